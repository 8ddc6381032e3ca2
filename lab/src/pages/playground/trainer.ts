/**
 * One playground run: the data set (seeded), its train/test split, inputs standardized with the
 * training set's mean and standard deviation, the network and optimizer (seeded), mini-batches
 * from a seeded DataLoader, and the evaluations the page draws (losses, the grid of predictions).
 * Everything random comes from the state's seed, so the same state gives the same run.
 */
import { data, manualSeed, noGrad, nn, tensor, train, type Tensor } from 'nabla';
import { buildNetwork, type Network } from './model.js';
import type { PlaygroundState } from './state.js';

export const POINTS = 400;
/** Losses are evaluated on the whole training and test sets every this many steps. */
export const EVAL_EVERY = 10;

export interface Domain {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

function generate(state: PlaygroundState): data.Points {
  const options = { noise: state.noise, seed: state.seed };
  switch (state.dataset) {
    case 'spiral': return data.spiral(POINTS, { ...options, classes: 3 });
    case 'moons': return data.moons(POINTS, options);
    case 'circles': return data.circles(POINTS, { ...options, factor: 0.5 });
    case 'xor': return data.xor(POINTS, options);
    case 'gaussians': return data.gaussians(POINTS, options);
  }
}

export class Trainer {
  /** Raw coordinates [n, 2] and labels of every point; `isTest[i]` marks the test points. */
  readonly xy: Float32Array;
  readonly labels: Int32Array;
  readonly isTest: Uint8Array;
  readonly classes: number;
  /** A square region around the data (raw coordinates) for the decision map. */
  readonly domain: Domain;
  readonly network: Network;
  readonly optimizer: train.TrainableOptimizer;
  readonly batchSize: number;
  step = 0;
  epoch = 0;
  /** [step, training loss, test loss] every EVAL_EVERY steps, and at step 0. */
  readonly history: [number, number, number][] = [];
  /** The step whose mini-batch loss became NaN/∞, or null. */
  divergedAt: number | null = null;

  /** The training set's per-feature mean and standard deviation: the network sees (raw − mean)/std. */
  readonly mean: [number, number];
  readonly std: [number, number];
  private readonly train: { x: Tensor; y: Int32Array };
  private readonly test: { x: Tensor; y: Int32Array };
  private readonly loader: data.DataLoader;
  private batches: Iterator<data.Batch>;

  constructor(readonly state: PlaygroundState) {
    const points = generate(state);
    this.xy = points.x.data;
    this.labels = points.y;
    let classes = 0;
    for (const c of this.labels) classes = Math.max(classes, c + 1);
    this.classes = Math.max(2, classes);

    const all = new data.TensorDataset(points.x, points.y);
    const nTrain = Math.round((POINTS * state.trainPercent) / 100);
    const [trainSet, testSet] = data.randomSplit(all, [nTrain, POINTS - nTrain], { seed: state.seed });
    this.isTest = new Uint8Array(POINTS);
    for (const i of testSet.indices) this.isTest[i] = 1;

    this.mean = [0, 0];
    this.std = [0, 0];
    for (let d = 0; d < 2; d++) {
      let s = 0;
      for (const i of trainSet.indices) s += this.xy[2 * i + d];
      const m = s / nTrain;
      let v = 0;
      for (const i of trainSet.indices) v += (this.xy[2 * i + d] - m) ** 2;
      this.mean[d] = m;
      this.std[d] = Math.sqrt(v / nTrain) || 1;
    }
    this.train = this.standardized(trainSet.indices);
    this.test = this.standardized(testSet.indices);
    this.domain = squareDomain(this.xy);

    manualSeed(state.seed);
    this.network = buildNetwork(2, state.layers, state.batchNorm, this.classes);
    this.optimizer = train.makeOptimizer(state.optimizer, this.network.model.parameters(), state.lr);
    // BatchNorm needs more than one value per unit in a training batch.
    this.batchSize = Math.min(nTrain, Math.max(state.batchNorm ? 2 : 1, state.batchSize));
    this.loader = new data.DataLoader(new data.TensorDataset(this.train.x, this.train.y), {
      batchSize: this.batchSize, shuffle: true, seed: state.seed,
      dropLast: state.batchNorm && nTrain % this.batchSize === 1,
    });
    this.batches = this.loader[Symbol.iterator]();
    this.record();
  }

  get stepsPerEpoch(): number {
    return this.loader.length;
  }

  get diverged(): boolean {
    return this.divergedAt !== null;
  }

  setLearningRate(lr: number): void {
    for (const g of this.optimizer.paramGroups) g.lr = lr;
  }

  /** One optimizer step on the next mini-batch. */
  advance(): void {
    if (this.diverged) return;
    let next = this.batches.next();
    if (next.done) {
      this.epoch++;
      this.batches = this.loader[Symbol.iterator]();
      next = this.batches.next();
    }
    const { x, y } = next.value as data.Batch;
    const { model } = this.network;
    const loss = nn.functional.crossEntropy(model.forward(x), y);
    this.step++;
    if (!Number.isFinite(loss.item())) {
      this.divergedAt = this.step;
      this.record();
      return;
    }
    this.optimizer.zeroGrad();
    loss.backward();
    this.optimizer.step();
    if (this.step % EVAL_EVERY === 0) this.record();
  }

  /** Full-set losses in eval mode (BatchNorm on its running statistics), without gradients. */
  private record(): void {
    this.history.push([this.step, this.loss(this.train), this.loss(this.test)]);
  }

  private loss(set: { x: Tensor; y: Int32Array }): number {
    if (set.y.length === 0) return NaN;
    return this.evaluate(() => nn.functional.crossEntropy(this.network.model.forward(set.x), set.y).item());
  }

  private evaluate<T>(f: () => T): T {
    const { model } = this.network;
    model.eval();
    try {
      return noGrad(f);
    } finally {
      model.train();
    }
  }

  /** Raw coordinates of the centres of a res × res grid over the domain (row 0 at the top), [res·res·2]. */
  gridPoints(res: number): Float32Array {
    const { x0, x1, y0, y1 } = this.domain;
    const grid = new Float32Array(res * res * 2);
    for (let r = 0; r < res; r++) {
      for (let c = 0; c < res; c++) {
        const k = r * res + c;
        grid[2 * k] = x0 + ((c + 0.5) / res) * (x1 - x0);
        grid[2 * k + 1] = y1 - ((r + 0.5) / res) * (y1 - y0);
      }
    }
    return grid;
  }

  /** The network's output (eval mode, no gradients) on raw coordinates [n·2], standardized as in training: logits [n, classes]. */
  logits(raw: ArrayLike<number>): Tensor {
    const n = raw.length >> 1;
    const x = new Float32Array(n * 2);
    for (let k = 0; k < n; k++) {
      x[2 * k] = (raw[2 * k] - this.mean[0]) / this.std[0];
      x[2 * k + 1] = (raw[2 * k + 1] - this.mean[1]) / this.std[1];
    }
    return this.evaluate(() => this.network.model.forward(tensor(x, { shape: [n, 2] })));
  }

  /** Class probabilities on the res × res grid of gridPoints (the decision map), [res·res·classes]. */
  predictGrid(res: number): Float32Array {
    return this.logits(this.gridPoints(res)).softmax(-1).data;
  }

  private standardized(indices: Int32Array): { x: Tensor; y: Int32Array } {
    const x = new Float32Array(indices.length * 2);
    const y = new Int32Array(indices.length);
    indices.forEach((i, k) => {
      x[2 * k] = (this.xy[2 * i] - this.mean[0]) / this.std[0];
      x[2 * k + 1] = (this.xy[2 * i + 1] - this.mean[1]) / this.std[1];
      y[k] = this.labels[i];
    });
    return { x: tensor(x, { shape: [indices.length, 2] }), y };
  }
}

/** The data's bounding box, made square and padded by 10%. */
function squareDomain(xy: Float32Array): Domain {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < xy.length; i += 2) {
    x0 = Math.min(x0, xy[i]);
    x1 = Math.max(x1, xy[i]);
    y0 = Math.min(y0, xy[i + 1]);
    y1 = Math.max(y1, xy[i + 1]);
  }
  const half = (Math.max(x1 - x0, y1 - y0) / 2) * 1.1 || 1;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  return { x0: cx - half, x1: cx + half, y0: cy - half, y1: cy + half };
}
