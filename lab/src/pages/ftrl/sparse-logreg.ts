/**
 * Logistic regression on hashed word features, trained twice on the same mini-batches with the
 * same L1 strength λ (objective: mean log-loss + λ·‖w‖₁, the bias unpenalized):
 *   - FTRL (the library's optim.FTRL), the L1 term inside its closed-form per-coordinate solution.
 *     After t steps the penalty of all t rounds, t·λ·‖w‖₁, is in the minimized objective, so the
 *     weights' group gets l1 = t·λ before each step (McMahan 2011's FTRL-Proximal with a composite
 *     L1 term; keras' l1 is that total);
 *   - Adagrad (optim.Adagrad) with λ·‖w‖₁ added to each mini-batch's loss: its subgradient λ·sign(w)
 *     joins the gradient, and the step overshoots zero instead of landing on it.
 * DOM-free: the page draws what it keeps, and tests can run it in Node.
 */
import { nn, optim, tensor, zeros, type Tensor } from 'nabla';
import { mulberry32 } from '../../ui/mulberry32.js';

export interface Corpus {
  buckets: number;
  labels: number[];
  trainSize: number;
  offsets: number[];
  /** Bucket indices of all mails, as decoded from the build step's base64. */
  indices: Uint16Array;
  tokens: string[];
  collisions: number[];
}

export interface RawCorpus extends Omit<Corpus, 'indices'> {
  indices: string;
}

export function decodeCorpus(raw: RawCorpus): Corpus {
  const bin = atob(raw.indices);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return { ...raw, indices: new Uint16Array(bytes.buffer) };
}

export type OptimizerKind = 'ftrl' | 'adagrad';

export interface RunSettings {
  /** L1 strength λ per example-averaged loss. */
  l1: number;
  batchSize: number;
  ftrlLr: number;
  adagradLr: number;
  seed: number;
}

export interface Snapshot {
  step: number;
  epoch: number;
  nonzero: number;
  /** Weights with 0 < |w| < NEAR_ZERO: "almost zero", as Adagrad + L1 leaves many. */
  nearZero: number;
  testAccuracy: number;
  trainLoss: number;
}

export const NEAR_ZERO = 1e-3;

/** One model (weights over the buckets and a bias) and its optimizer. */
export class Learner {
  readonly w: Tensor;
  readonly b: Tensor;
  readonly optimizer: optim.FTRL | optim.Adagrad;
  step = 0;
  readonly history: Snapshot[] = [];

  constructor(readonly kind: OptimizerKind, readonly corpus: Corpus, readonly settings: RunSettings) {
    this.w = zeros([corpus.buckets, 1]);
    this.w.requiresGrad = true;
    this.b = zeros([1]);
    this.b.requiresGrad = true;
    this.optimizer = kind === 'ftrl'
      ? new optim.FTRL([{ params: [this.w], l1: 0 }, { params: [this.b], l1: 0 }], { lr: settings.ftrlLr })
      : new optim.Adagrad([this.w, this.b], { lr: settings.adagradLr });
  }

  /** One step on the dense batch x [B, buckets] with labels y [B, 1]. */
  train(x: Tensor, y: Tensor): number {
    const { l1 } = this.settings;
    const logits = x.matmul(this.w).add(this.b);
    const dataLoss = nn.functional.binaryCrossEntropyWithLogits(logits, y);
    this.step++;
    let loss = dataLoss;
    if (this.optimizer instanceof optim.FTRL) {
      // The closed form takes the whole penalty of the rounds so far.
      this.optimizer.paramGroups[0].l1 = l1 * this.step;
    } else if (l1 > 0) {
      loss = dataLoss.add(this.w.abs().sum().mul(l1));
    }
    this.optimizer.zeroGrad();
    loss.backward();
    this.optimizer.step();
    return dataLoss.item();
  }

  /** Weights as a plain array (bucket order). */
  weights(): Float32Array {
    return this.w.data;
  }

  counts(): { nonzero: number; nearZero: number } {
    const w = this.w.data;
    let nonzero = 0;
    let nearZero = 0;
    for (let i = 0; i < w.length; i++) {
      if (w[i] !== 0) {
        nonzero++;
        if (Math.abs(w[i]) < NEAR_ZERO) nearZero++;
      }
    }
    return { nonzero, nearZero };
  }

  /** Accuracy on mails [from, to) of the corpus (sparse dot products: no dense matrix needed). */
  accuracy(from: number, to: number): number {
    const { offsets, indices, labels } = this.corpus;
    const w = this.w.data;
    const b = this.b.data[0];
    let right = 0;
    for (let m = from; m < to; m++) {
      let s = b;
      for (let k = offsets[m]; k < offsets[m + 1]; k++) s += w[indices[k]];
      if ((s > 0 ? 1 : 0) === labels[m]) right++;
    }
    return to > from ? right / (to - from) : NaN;
  }
}

/** Both learners on the same stream of mini-batches. */
export class SparseRace {
  readonly ftrl: Learner;
  readonly adagrad: Learner;
  step = 0;
  private order: number[] = [];
  private cursor = 0;
  private readonly random: () => number;
  private lossSum = { ftrl: 0, adagrad: 0 };
  private lossCount = 0;

  constructor(readonly corpus: Corpus, readonly settings: RunSettings, readonly maxEpochs: number) {
    this.ftrl = new Learner('ftrl', corpus, settings);
    this.adagrad = new Learner('adagrad', corpus, settings);
    this.random = mulberry32(settings.seed);
    this.snapshot();
  }

  get stepsPerEpoch(): number {
    return Math.floor(this.corpus.trainSize / this.settings.batchSize);
  }

  get epoch(): number {
    return this.step / this.stepsPerEpoch;
  }

  get done(): boolean {
    return this.step >= this.maxEpochs * this.stepsPerEpoch;
  }

  private nextBatch(): { x: Tensor; y: Tensor } {
    const { batchSize } = this.settings;
    const { buckets, offsets, indices, labels, trainSize } = this.corpus;
    if (this.cursor + batchSize > this.order.length) {
      this.order = Array.from({ length: trainSize }, (_, i) => i);
      for (let i = this.order.length - 1; i > 0; i--) {
        const j = Math.floor(this.random() * (i + 1));
        [this.order[i], this.order[j]] = [this.order[j], this.order[i]];
      }
      this.cursor = 0;
    }
    const x = new Float32Array(batchSize * buckets);
    const y = new Float32Array(batchSize);
    for (let r = 0; r < batchSize; r++) {
      const m = this.order[this.cursor++];
      for (let k = offsets[m]; k < offsets[m + 1]; k++) x[r * buckets + indices[k]] = 1;
      y[r] = labels[m];
    }
    return { x: tensor(x, { shape: [batchSize, buckets] }), y: tensor(y, { shape: [batchSize, 1] }) };
  }

  /** One step of both learners on the same mini-batch; a snapshot at the end of each epoch. */
  advance(): void {
    const { x, y } = this.nextBatch();
    this.lossSum.ftrl += this.ftrl.train(x, y);
    this.lossSum.adagrad += this.adagrad.train(x, y);
    this.lossCount++;
    this.step++;
    if (this.step % this.stepsPerEpoch === 0) this.snapshot();
  }

  private snapshot(): void {
    const { trainSize, labels } = this.corpus;
    for (const kind of ['ftrl', 'adagrad'] as const) {
      const l = this[kind];
      l.history.push({
        step: this.step,
        epoch: this.epoch,
        ...l.counts(),
        testAccuracy: l.accuracy(trainSize, labels.length),
        trainLoss: this.lossCount ? this.lossSum[kind] / this.lossCount : NaN,
      });
      this.lossSum[kind] = 0;
    }
    this.lossCount = 0;
  }

  /** The buckets with the largest positive (spam) and negative (ham) weights of a learner. */
  topTokens(kind: OptimizerKind, k: number): { spam: TokenWeight[]; ham: TokenWeight[] } {
    const w = this[kind].weights();
    const all: TokenWeight[] = [];
    for (let i = 0; i < w.length; i++) {
      if (w[i] !== 0) all.push({ bucket: i, token: this.corpus.tokens[i], collisions: this.corpus.collisions[i], weight: w[i] });
    }
    all.sort((a, c) => c.weight - a.weight);
    return {
      spam: all.slice(0, k).filter((t) => t.weight > 0),
      ham: all.slice(-k).reverse().filter((t) => t.weight < 0),
    };
  }
}

export interface TokenWeight {
  bucket: number;
  token: string;
  collisions: number;
  weight: number;
}
