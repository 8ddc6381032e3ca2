/**
 * The BatchNorm experiment: the same deep MLP twice, once plain (Linear → act) and once with
 * BatchNorm1d after every Linear and before the nonlinearity (Linear → BN → act), both starting
 * from the same weights and trained by SGD with momentum on the same mini-batches of a spiral.
 * A step keeps what the page draws: each hidden layer's activations, the BN layers' inputs
 * (for the one-mini-batch panel) and each layer's weight-gradient norm.
 */
import { nn, optim, data, manualSeed, randn, type Tensor } from 'nabla';

type Module = nn.Module;

export type Activation = 'tanh' | 'relu' | 'sigmoid';
export const ACTIVATIONS: readonly Activation[] = ['tanh', 'relu', 'sigmoid'];

export interface ExperimentSettings {
  activation: Activation;
  /** Hidden layers. */
  depth: number;
  /** Weights start as N(0, (initScale/√fanIn)²): 1 is LeCun's normal initialization. */
  initScale: number;
  lr: number;
  seed: number;
}

export const WIDTH = 32;
export const CLASSES = 3;
export const BATCH_SIZE = 64;
export const POINTS = 600;
export const MOMENTUM = 0.9;
/** Steps after which a run stops (the curves have said what they have to say by then). */
export const MAX_STEPS = 1500;
/** Loss curves plot the mean mini-batch loss of each window of this many steps. */
export const CURVE_WINDOW = 10;

export type NetKind = 'plain' | 'bn';

interface Block {
  linear: nn.Linear;
  norm: nn.BatchNorm1d | null;
  act: Module;
}

/** What a step leaves behind for the charts. */
export interface LayerSnapshot {
  /** Post-activation values of the batch, [B·WIDTH] row-major. */
  activations: Float32Array;
  /** ‖∂L/∂W‖ of the layer's Linear weight. */
  gradNorm: number;
  /** The BatchNorm's input (the Linear's output) for the batch, [B, WIDTH]; null in the plain net. */
  bnInput: Tensor | null;
}

export class Net {
  readonly blocks: Block[];
  readonly head: nn.Linear;
  readonly model: nn.Sequential;
  readonly optimizer: optim.SGD;
  /** Mini-batch loss of every step. */
  readonly losses: number[] = [];
  /** Loss curve: [step, mean loss of the window ending there]. */
  readonly curve: [number, number][] = [];
  /** The step at which the loss first became NaN/∞ (training stops there), or null. */
  nanAt: number | null = null;
  layers: LayerSnapshot[] = [];

  constructor(readonly kind: NetKind, settings: ExperimentSettings, initialWeights: Float32Array[]) {
    const makeAct = (): Module => (settings.activation === 'tanh' ? new nn.Tanh() : settings.activation === 'relu' ? new nn.ReLU() : new nn.Sigmoid());
    this.blocks = [];
    for (let i = 0; i < settings.depth; i++) {
      // A Linear's bias is redundant before BatchNorm (the mean is subtracted), so the BN net has none.
      const linear = new nn.Linear(i === 0 ? 2 : WIDTH, WIDTH, { bias: kind === 'plain' });
      linear.weight.data.set(initialWeights[i]);
      linear.bias?.data.fill(0);
      this.blocks.push({ linear, norm: kind === 'bn' ? new nn.BatchNorm1d(WIDTH) : null, act: makeAct() });
    }
    this.head = new nn.Linear(WIDTH, CLASSES);
    this.head.weight.data.set(initialWeights[settings.depth]);
    this.head.bias!.data.fill(0);
    this.model = new nn.Sequential(...this.blocks.flatMap((b) => (b.norm ? [b.linear, b.norm, b.act] : [b.linear, b.act])), this.head);
    this.optimizer = new optim.SGD(this.model.parameters(), { lr: settings.lr, momentum: MOMENTUM });
  }

  get diverged(): boolean {
    return this.nanAt !== null;
  }

  /** One SGD step on (x, y), keeping the layer snapshots. */
  step(x: Tensor, y: Int32Array): void {
    if (this.diverged) return;
    const post: Tensor[] = [];
    const bnInputs: (Tensor | null)[] = [];
    let h = x;
    for (const b of this.blocks) {
      const z = b.linear.forward(h);
      bnInputs.push(b.norm ? z : null);
      h = b.act.forward(b.norm ? b.norm.forward(z) : z);
      post.push(h);
    }
    const loss = nn.functional.crossEntropy(this.head.forward(h), y);
    const value = loss.item();
    this.losses.push(value);
    const n = this.losses.length;
    if (n % CURVE_WINDOW === 0) {
      let s = 0;
      for (let i = n - CURVE_WINDOW; i < n; i++) s += this.losses[i];
      this.curve.push([n, s / CURVE_WINDOW]);
    }
    if (!Number.isFinite(value)) {
      this.nanAt = n;
      return;
    }
    this.optimizer.zeroGrad();
    loss.backward();
    this.optimizer.step();
    this.layers = this.blocks.map((b, i) => ({
      activations: post[i].data.slice(),
      gradNorm: norm(b.linear.weight.grad?.data),
      bnInput: bnInputs[i] ? bnInputs[i]!.detach() : null,
    }));
  }

  /** Mean of the last `k` mini-batch losses (NaN once diverged). */
  recentLoss(k = 50): number {
    if (this.diverged) return NaN;
    const from = Math.max(0, this.losses.length - k);
    let s = 0;
    for (let i = from; i < this.losses.length; i++) s += this.losses[i];
    return this.losses.length === from ? NaN : s / (this.losses.length - from);
  }
}

function norm(v: Float32Array | undefined): number {
  if (!v) return 0;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

/** Both networks, their shared data and the stream of mini-batches. */
export class Experiment {
  readonly plain: Net;
  readonly bn: Net;
  step = 0;
  private readonly loader: data.DataLoader;
  private batches: Iterator<data.Batch>;

  constructor(readonly settings: ExperimentSettings) {
    manualSeed(settings.seed);
    const weights: Float32Array[] = [];
    for (let i = 0; i <= settings.depth; i++) {
      const fanIn = i === 0 ? 2 : WIDTH;
      const out = i === settings.depth ? CLASSES : WIDTH;
      // The head keeps scale 1: the experiment is about the hidden layers.
      const scale = i === settings.depth ? 1 : settings.initScale;
      weights.push(randn([out, fanIn]).mul(scale / Math.sqrt(fanIn)).data);
    }
    this.plain = new Net('plain', settings, weights);
    this.bn = new Net('bn', settings, weights);
    const points = data.spiral(POINTS, { classes: CLASSES, noise: 0.2, seed: settings.seed });
    this.loader = new data.DataLoader(new data.TensorDataset(points.x, points.y), {
      batchSize: BATCH_SIZE, shuffle: true, dropLast: true, seed: settings.seed,
    });
    this.batches = this.loader[Symbol.iterator]();
  }

  get done(): boolean {
    return this.step >= MAX_STEPS || (this.plain.diverged && this.bn.diverged);
  }

  /** One step of both networks on the same mini-batch. */
  advance(): void {
    let next = this.batches.next();
    if (next.done) {
      this.batches = this.loader[Symbol.iterator]();
      next = this.batches.next();
    }
    const { x, y } = next.value as data.Batch;
    this.plain.step(x, y);
    this.bn.step(x, y);
    this.step++;
  }
}

export type Health = 'starting' | 'learning' | 'stuck' | 'diverging' | 'nan';

/** How a run is going, judged against chance level ln(C) of the cross-entropy. */
export function health(net: Net): Health {
  if (net.diverged) return 'nan';
  const chance = Math.log(CLASSES);
  const recent = net.recentLoss();
  if (!(recent < 2 * chance)) return net.losses.length < 20 ? 'starting' : 'diverging';
  if (net.losses.length >= 300 && recent > 0.95 * chance) return 'stuck';
  return recent < 0.9 * chance ? 'learning' : 'starting';
}
