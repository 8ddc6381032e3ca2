/**
 * The deep-network experiment: `depth` hidden layers of `width` units (Linear → activation) on
 * a small 2-D data set, weights drawn N(0, (scale/√fan_in)²), trained by full-batch SGD with
 * momentum. After any step it reports, per layer, the activations (for histograms), how many
 * units are dead (ReLU: zero for every sample) or saturated, and ‖∂L/∂W‖ — where the lecture's
 * vanishing gradients show up.
 */
import { data, manualSeed, nn, noGrad, optim, type Tensor } from 'nabla';
import { ACTIVATION_INFO, type Activation } from './functions.js';

export interface NetConfig {
  activation: Activation;
  depth: number;
  width: number;
  /** Weight std = initScale / √fan_in. */
  initScale: number;
  lr: number;
  seed: number;
}

export interface LayerStats {
  /** The activation's outputs over the whole data set, [samples × units]. */
  values: Float32Array;
  units: number;
  mean: number;
  std: number;
  /** ReLU: units that output 0 for every sample. */
  dead: number | null;
  /** Sigmoid/tanh: fraction of outputs within 1% of their limits. */
  saturated: number | null;
}

export interface Snapshot {
  step: number;
  loss: number;
  accuracy: number;
  /** ‖∂L/∂W‖ of each Linear, first hidden layer first, the output layer last. */
  gradNorms: number[];
  layers: LayerStats[];
}

const SAMPLES = 300;
const CLASSES = 3;

function norm(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

function layerStats(activation: Activation, h: Tensor): LayerStats {
  const [n, units] = h.shape;
  const v = h.data;
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i];
  const mean = sum / v.length;
  let sq = 0;
  for (let i = 0; i < v.length; i++) sq += (v[i] - mean) ** 2;
  let dead: number | null = null;
  if (activation === 'relu') {
    dead = 0;
    for (let u = 0; u < units; u++) {
      let alive = false;
      for (let b = 0; b < n && !alive; b++) alive = v[b * units + u] > 0;
      if (!alive) dead++;
    }
  }
  let saturated: number | null = null;
  if (activation === 'sigmoid' || activation === 'tanh') {
    let count = 0;
    for (let i = 0; i < v.length; i++) if (activation === 'sigmoid' ? v[i] < 0.01 || v[i] > 0.99 : Math.abs(v[i]) > 0.99) count++;
    saturated = count / v.length;
  }
  return { values: v, units, mean, std: Math.sqrt(sq / v.length), dead, saturated };
}

export class DeepNet {
  readonly model: nn.Sequential;
  readonly linears: nn.Linear[] = [];
  private readonly optimizer: optim.SGD;
  private readonly x: Tensor;
  private readonly y: Int32Array;
  step = 0;
  private last: { loss: number; accuracy: number; gradNorms: number[] } | null = null;

  constructor(readonly config: NetConfig) {
    const { activation, depth, width, initScale, lr, seed } = config;
    const points = data.spiral(SAMPLES, { classes: CLASSES, seed: 7 });
    this.x = points.x;
    this.y = points.y;
    manualSeed(seed);
    const modules: nn.Module[] = [];
    let fanIn = 2;
    for (let l = 0; l < depth; l++) {
      const layer = new nn.Linear(fanIn, width);
      this.linears.push(layer);
      modules.push(layer, ACTIVATION_INFO[activation].module());
      fanIn = width;
    }
    const out = new nn.Linear(fanIn, CLASSES);
    this.linears.push(out);
    modules.push(out);
    for (const layer of this.linears) {
      nn.init.normal(layer.weight, 0, initScale / Math.sqrt(layer.inFeatures));
      nn.init.zeros(layer.bias!);
    }
    this.model = new nn.Sequential(...modules);
    this.optimizer = new optim.SGD(this.model.parameters(), { lr, momentum: 0.9 });
  }

  /** Forward and backward on the whole set (gradients left on the parameters); returns the loss. */
  private forwardBackward(): number {
    this.optimizer.zeroGrad();
    const logits = this.model.forward(this.x);
    const loss = nn.functional.crossEntropy(logits, this.y);
    loss.backward();
    let correct = 0;
    const l = logits.data;
    for (let i = 0; i < this.y.length; i++) {
      let best = 0;
      for (let c = 1; c < CLASSES; c++) if (l[i * CLASSES + c] > l[i * CLASSES + best]) best = c;
      if (best === this.y[i]) correct++;
    }
    const value = loss.item();
    this.last = { loss: value, accuracy: correct / this.y.length, gradNorms: this.linears.map((m) => (m.weight.grad ? norm(m.weight.grad.data) : 0)) };
    return value;
  }

  /** One SGD step; returns the loss before it. */
  train(): number {
    const loss = this.forwardBackward();
    if (Number.isFinite(loss)) this.optimizer.step();
    this.step++;
    return loss;
  }

  /** The network as it is now: activations of every hidden layer, and the gradients of the latest step (computed now if none). */
  snapshot(): Snapshot {
    if (!this.last) this.forwardBackward();
    const { activation } = this.config;
    const layers = noGrad(() => {
      const stats: LayerStats[] = [];
      let h = this.x;
      for (const m of this.model.children()) {
        h = m.forward(h);
        if (!(m instanceof nn.Linear)) stats.push(layerStats(activation, h));
      }
      return stats;
    });
    return { step: this.step, ...this.last!, layers };
  }
}
