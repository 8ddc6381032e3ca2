/** Subsets of a dataset, and random splits into disjoint subsets (torch.utils.data.random_split). */
import { checkIndex, isGatherable, type Batch, type Dataset, type Sample } from './dataset.js';
import { randomPermutation, withSeed, checkSeed } from './rng-stream.js';

/** The samples of `dataset` at `indices`, in that order. */
export class Subset<T = Sample> implements Dataset<T> {
  readonly dataset: Dataset<T>;
  readonly indices: Int32Array;
  /** Present when the parent dataset can gather batches itself (then so can this subset). */
  readonly gather?: (indices: Int32Array) => Batch;

  constructor(dataset: Dataset<T>, indices: Int32Array | ArrayLike<number>) {
    for (let k = 0; k < indices.length; k++) checkIndex('Subset', indices[k], dataset.length);
    const own = Int32Array.from(indices);
    this.dataset = dataset;
    this.indices = own;
    const parent = dataset as unknown as Dataset<Sample>;
    if (isGatherable(parent)) {
      this.gather = (batch: Int32Array) => {
        const mapped = new Int32Array(batch.length);
        for (let k = 0; k < batch.length; k++) {
          checkIndex('Subset.gather', batch[k], own.length);
          mapped[k] = own[batch[k]];
        }
        return { ...parent.gather(mapped), indices: batch.slice() };
      };
    }
  }

  get length(): number {
    return this.indices.length;
  }

  get(index: number): T {
    checkIndex('Subset.get', index, this.indices.length);
    return this.dataset.get(this.indices[index]);
  }
}

export interface SplitOptions {
  /** Seeds a stream of its own; without it the global generator (manualSeed) is used. */
  seed?: number;
}

/** Sample counts from `lengths`: counts that sum to the dataset's length, or fractions that sum to 1 (remainders go to the first splits, as in PyTorch). */
function splitCounts(lengths: number[], n: number): number[] {
  if (!Array.isArray(lengths) || lengths.length === 0 || lengths.some((v) => typeof v !== 'number' || !(v >= 0))) {
    throw new Error(`randomSplit: lengths must be a non-empty array of non-negative numbers, got ${JSON.stringify(lengths)}`);
  }
  const total = lengths.reduce((a, b) => a + b, 0);
  if (lengths.every(Number.isInteger) && total === n) return lengths.slice();
  if (Math.abs(total - 1) > 1e-9 || lengths.some((v) => v > 1)) {
    throw new Error(`randomSplit: lengths must be sample counts summing to the dataset's length ${n} or fractions summing to 1, got ${JSON.stringify(lengths)} (sum ${total})`);
  }
  const counts = lengths.map((f) => Math.floor(f * n));
  let remainder = n - counts.reduce((a, b) => a + b, 0);
  for (let i = 0; remainder > 0; i = (i + 1) % counts.length, remainder--) counts[i]++;
  return counts;
}

/** Disjoint random subsets of the given sizes (counts or fractions), covering the dataset. */
export function randomSplit<T>(dataset: Dataset<T>, lengths: number[], options: SplitOptions = {}): Subset<T>[] {
  checkSeed('randomSplit', options.seed);
  const counts = splitCounts(lengths, dataset.length);
  const order = withSeed('randomSplit', options.seed, () => randomPermutation(dataset.length));
  const subsets: Subset<T>[] = [];
  let start = 0;
  for (const count of counts) {
    subsets.push(new Subset(dataset, order.subarray(start, start + count)));
    start += count;
  }
  return subsets;
}

/** A random split into training and validation subsets, `validationFraction` of the samples (rounded down) for validation. */
export function trainValidationSplit<T>(
  dataset: Dataset<T>,
  validationFraction: number,
  options: SplitOptions = {},
): { train: Subset<T>; validation: Subset<T> } {
  if (typeof validationFraction !== 'number' || !(validationFraction > 0 && validationFraction < 1)) {
    throw new Error(`trainValidationSplit: validationFraction must be a number strictly between 0 and 1, got ${String(validationFraction)}`);
  }
  const nValidation = Math.floor(validationFraction * dataset.length);
  const [train, validation] = randomSplit(dataset, [dataset.length - nValidation, nValidation], options);
  return { train, validation };
}
