/**
 * DataLoader: iterates a dataset in batches (torch.utils.data.DataLoader), optionally in a
 * new random order each epoch. `for (const { x, y } of loader)` yields x [B, ...] and labels y.
 */
import { Tensor } from '../tensor.js';
import { formatShape, sameShape, sizeOf } from '../shape.js';
import { isGatherable, type Batch, type Dataset, type Sample } from './dataset.js';
import { RngStream, checkSeed, randomPermutation } from './rng-stream.js';
import { boolean, checkedByOwner, checkOptionsObject } from '../optim/options.js';

export interface DataLoaderOptions {
  batchSize?: number;
  /** A new random order every epoch (each time iteration starts). */
  shuffle?: boolean;
  /** Drop the last batch when it is smaller than batchSize. */
  dropLast?: boolean;
  /** Shuffle from a stream of its own seeded by this; without it, from the global generator (manualSeed). */
  seed?: number;
}

export class DataLoader implements Iterable<Batch> {
  readonly dataset: Dataset<Sample>;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  private readonly stream: RngStream | null;

  constructor(dataset: Dataset<Sample>, options: DataLoaderOptions = {}) {
    checkOptionsObject('DataLoader', options, { batchSize: checkedByOwner, shuffle: boolean, dropLast: boolean, seed: checkedByOwner });
    const { batchSize = 1, shuffle = false, dropLast = false, seed } = options;
    if (!dataset || typeof dataset.get !== 'function' || !Number.isInteger(dataset.length)) {
      throw new Error('DataLoader: dataset must have an integer length and a get(index) method');
    }
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new Error(`DataLoader: batchSize must be a positive integer, got ${String(batchSize)}`);
    }
    checkSeed('DataLoader', seed);
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.stream = seed === undefined ? null : new RngStream(seed, 'DataLoader');
  }

  /** Number of batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<Batch> {
    const order = this.epochOrder();
    const batches = this.length;
    for (let b = 0; b < batches; b++) {
      const indices = order.subarray(b * this.batchSize, Math.min((b + 1) * this.batchSize, order.length));
      yield this.collate(indices);
    }
  }

  private epochOrder(): Int32Array {
    const n = this.dataset.length;
    if (!this.shuffle) {
      const order = new Int32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      return order;
    }
    return this.stream ? this.stream.run(() => randomPermutation(n)) : randomPermutation(n);
  }

  private collate(indices: Int32Array): Batch {
    if (isGatherable(this.dataset)) return this.dataset.gather(indices);
    // A generic dataset: one get() and one row copy per sample.
    const y = new Int32Array(indices.length);
    let shape: number[] = [];
    let out = new Float32Array(0);
    for (let k = 0; k < indices.length; k++) {
      const sample = this.dataset.get(indices[k]);
      if (!(sample?.x instanceof Tensor) || !Number.isInteger(sample.y)) {
        throw new Error(`DataLoader: dataset.get(${indices[k]}) must return { x: Tensor, y: integer class index }`);
      }
      if (k === 0) {
        shape = sample.x.shape;
        out = new Float32Array(indices.length * sizeOf(shape));
      } else if (!sameShape(sample.x.shape, shape)) {
        throw new Error(`DataLoader: samples in a batch must have one shape: sample ${indices[k]} has ${formatShape(sample.x.shape)}, sample ${indices[0]} has ${formatShape(shape)}`);
      }
      out.set(sample.x.data, k * sample.x.size);
      y[k] = sample.y;
    }
    return { x: new Tensor(out, [indices.length, ...shape]), y, indices: indices.slice() };
  }
}
