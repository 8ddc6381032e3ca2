/**
 * The benchmark's workloads: the same model, optimizer and batch size in every system (nabla,
 * PyTorch, TensorFlow.js), trained on MNIST. Each worker builds its model from this description.
 */

export type Activation = 'relu' | 'sigmoid' | 'tanh';

export type OptimizerSpec =
  | { name: 'adam'; lr: number }
  | { name: 'adamw'; lr: number }
  | { name: 'sgd'; lr: number; momentum: number };

/**
 * Linear → BatchNorm1d → activation per hidden layer, then a Linear to the 10 classes; no hidden
 * layer is logistic regression.
 */
export interface MlpWorkload {
  kind: 'mlp';
  name: string;
  description: string;
  hidden: number[];
  /** One activation for every hidden layer, or one per hidden layer. */
  activation: Activation | Activation[];
  /** BatchNorm1d after each hidden Linear (absent: true). */
  batchNorm?: boolean;
  optimizer: OptimizerSpec;
  batch: number;
  /**
   * Multiplies --steps (absent: 1). Small networks take a fraction of a millisecond per step: they
   * run more steps, so a trial lasts long enough to time and JavaScript's JIT has warmed up, as it has
   * for a user training thousands of steps.
   */
  stepScale?: number;
}

/**
 * Two blocks of Conv2d(3×3, padding 1) → BatchNorm2d → ReLU → MaxPool2d(2) on 1×28×28 images,
 * then a Linear from channels[1]·7·7 to the 10 classes.
 */
export interface CnnWorkload {
  kind: 'cnn';
  name: string;
  description: string;
  channels: [number, number];
  optimizer: OptimizerSpec;
  batch: number;
}

/**
 * CharGPT (src/text/char-gpt.ts) on a character stream (token-data.ts): token and position embeddings,
 * `layers` pre-norm TransformerEncoderLayers (GELU, feed-forward 4·width, causal mask), LayerNorm, a
 * Linear head; cross-entropy over every position; a sample is one sequence of `context` characters.
 */
export interface GptWorkload {
  kind: 'gpt';
  name: string;
  description: string;
  vocab: number;
  context: number;
  width: number;
  layers: number;
  heads: number;
  dropout: number;
  optimizer: OptimizerSpec;
  batch: number;
  /** As MlpWorkload's: a step takes ~100 ms, so fewer steps than the MNIST workloads. */
  stepScale?: number;
}

/**
 * A character model: Embedding(vocab, width) → LSTM(width, hidden, layers, batch first) → Linear(hidden,
 * vocab), cross-entropy at every position, on `sequence` characters per sample from a fixed pseudo-random
 * stream (token-data.ts, as the gpt workload's; the values do not change the work). nabla's model is CharRNN, what `nabla train
 * --model lstm` trains.
 */
export interface LstmWorkload {
  kind: 'lstm';
  name: string;
  description: string;
  vocab: number;
  width: number;
  hidden: number;
  layers: number;
  sequence: number;
  optimizer: OptimizerSpec;
  batch: number;
  /** As MlpWorkload's; below 1, fewer steps (an LSTM step is ~100 ms). */
  stepScale?: number;
}

export type Workload = MlpWorkload | CnnWorkload | GptWorkload | LstmWorkload;

const adam: OptimizerSpec = { name: 'adam', lr: 1e-3 };

/** The activation of each hidden layer. */
export function hiddenActivations(w: MlpWorkload): Activation[] {
  return w.hidden.map((_, i) => (Array.isArray(w.activation) ? w.activation[i] : w.activation));
}

export function usesBatchNorm(w: MlpWorkload): boolean {
  return w.batchNorm ?? true;
}

function describeOptimizer(spec: OptimizerSpec): string {
  if (spec.name === 'adam') return `Adam lr ${spec.lr}`;
  if (spec.name === 'adamw') return `AdamW lr ${spec.lr}`;
  return spec.momentum ? `SGD lr ${spec.lr} momentum ${spec.momentum}` : `SGD lr ${spec.lr}`;
}

function mlp(name: string, hidden: number[], changes: Partial<MlpWorkload> = {}): MlpWorkload {
  const w: MlpWorkload = { kind: 'mlp', name, description: '', hidden, activation: 'relu', optimizer: adam, batch: 128, ...changes };
  if (Array.isArray(w.activation) && w.activation.length !== hidden.length) throw new Error(`bench: ${name} needs one activation per hidden layer`);
  const activations = hiddenActivations(w);
  const bn = usesBatchNorm(w) ? 'BN-' : '';
  const layers = hidden.length ? `MLP 784-${hidden.map((h, i) => `${h}-${bn}${activations[i]}`).join('-')}-10` : 'logistic regression 784-10';
  w.description = `${layers}, ${describeOptimizer(w.optimizer)}, batch ${w.batch}`;
  return w;
}

/** The reference workload first; `npm run bench` runs it alone unless told otherwise. */
export const WORKLOADS: Workload[] = [
  mlp('mlp', [512, 256]),
  mlp('mlp-narrow', [256, 128]),
  mlp('mlp-wide', [1024, 512]),
  mlp('mlp-sigmoid', [512, 256], { activation: 'sigmoid' }),
  mlp('mlp-tanh', [512, 256], { activation: 'tanh' }),
  mlp('mlp-sgd', [512, 256], { optimizer: { name: 'sgd', lr: 0.01, momentum: 0.9 } }),
  mlp('mlp-b32', [512, 256], { batch: 32 }),
  mlp('mlp-b512', [512, 256], { batch: 512 }),
  {
    kind: 'cnn',
    name: 'cnn',
    description: 'CNN conv3x3(1→16)-BN-ReLU-maxpool2, conv3x3(16→32)-BN-ReLU-maxpool2, linear 1568→10, Adam lr 0.001, batch 128',
    channels: [16, 32],
    optimizer: adam,
    batch: 128,
  },
  // Small networks, as people train on MNIST: the per-step overhead weighs more than in the wide ones.
  mlp('small-100', [100], { batchNorm: false, batch: 32, stepScale: 10 }),
  mlp('small-tanh', [300, 100], { activation: ['relu', 'tanh'], optimizer: { name: 'sgd', lr: 0.01, momentum: 0.9 }, batch: 64, stepScale: 4 }),
  mlp('small-64x3', [64, 64, 64], { batch: 16, stepScale: 10 }),
  mlp('logistic', [], { optimizer: { name: 'sgd', lr: 0.1, momentum: 0 }, batch: 32, stepScale: 20 }),
  {
    kind: 'gpt',
    name: 'gpt',
    description: 'CharGPT vocab 85, context 64, width 128, 4 layers × 4 heads (pre-norm, GELU, causal), dropout 0.1, 823,381 parameters, AdamW lr 0.001, batch 32',
    vocab: 85,
    context: 64,
    width: 128,
    layers: 4,
    heads: 4,
    dropout: 0.1,
    optimizer: { name: 'adamw', lr: 1e-3 },
    batch: 32,
    stepScale: 0.1,
  },
  {
    kind: 'lstm',
    name: 'lstm',
    description: 'character LSTM: embedding 85→256, 2-layer LSTM 256 (batch first), linear 256→85, cross-entropy at all 64 positions, Adam lr 0.001, batch 32',
    vocab: 85,
    width: 256,
    hidden: 256,
    layers: 2,
    sequence: 64,
    optimizer: adam,
    batch: 32,
    stepScale: 0.25,
  },
];

export function findWorkload(name: string): Workload {
  const w = WORKLOADS.find((x) => x.name === name);
  if (!w) throw new Error(`bench: unknown workload '${name}'; available: ${WORKLOADS.map((x) => x.name).join(', ')}`);
  return w;
}

/**
 * Floating-point operations of the matrix products (and convolutions) of one training sample,
 * forward + backward: a product of an [in] row by an [in, out] matrix is 2·in·out; the backward
 * computes dW (2·in·out) and dX (2·in·out) except for the first layer, whose input needs no gradient.
 * Elementwise work (BatchNorm, activations, the loss, the optimizer) is left out: it is O(width), not O(width²).
 */
export function flopsPerSample(w: Workload): number {
  if (w.kind === 'gpt') {
    // Per position and layer: q, k, v and output projections 4·W², feed-forward 8·W², scores and
    // weighted values 2·T·W (the whole T×T, as the kernels compute it); then the head W·V. Forward
    // and backward (dX and dW) are 3 products each, 2 FLOP per multiply-add.
    const { width: W, context: T, vocab: V } = w;
    return 6 * T * (w.layers * (12 * W * W + 2 * T * W) + W * V);
  }
  if (w.kind === 'lstm') {
    // Per position: each layer's 4 gates from its input and its state, and the output Linear; all of them
    // backward too (the embedding's output needs its gradient, so even layer 0 computes dX).
    let macs = w.hidden * w.vocab;
    for (let l = 0; l < w.layers; l++) macs += 4 * w.hidden * ((l === 0 ? w.width : w.hidden) + w.hidden);
    return 2 * 3 * macs * w.sequence;
  }
  const layers: { macs: number; first: boolean }[] = [];
  if (w.kind === 'mlp') {
    const sizes = [784, ...w.hidden, 10];
    for (let i = 0; i + 1 < sizes.length; i++) layers.push({ macs: sizes[i] * sizes[i + 1], first: i === 0 });
  } else {
    const [c1, c2] = w.channels;
    layers.push({ macs: c1 * 1 * 9 * 28 * 28, first: true });
    layers.push({ macs: c2 * c1 * 9 * 14 * 14, first: false });
    layers.push({ macs: c2 * 7 * 7 * 10, first: false });
  }
  return layers.reduce((sum, l) => sum + 2 * l.macs * (l.first ? 2 : 3), 0);
}
