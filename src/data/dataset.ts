/**
 * Datasets: anything with a length and samples by index (torch.utils.data.Dataset), and
 * TensorDataset, samples as the rows of a tensor with one integer class label each.
 */
import { Tensor } from '../tensor.js';
import { formatShape, sizeOf } from '../shape.js';

export interface Dataset<T = Sample> {
  readonly length: number;
  get(index: number): T;
}

/** One labelled example: its features (any shape) and its class index. */
export interface Sample {
  x: Tensor;
  y: number;
}

/** Samples stacked along a new first axis: x [B, ...], labels y, and the dataset indices they came from. */
export interface Batch {
  x: Tensor;
  y: Int32Array;
  indices: Int32Array;
}

/** A dataset that can gather many samples at once, with one row copy per sample (what DataLoader uses when it can). */
export interface GatherableDataset extends Dataset<Sample> {
  gather(indices: Int32Array): Batch;
}

export function isGatherable(dataset: Dataset<Sample>): dataset is GatherableDataset {
  return typeof (dataset as Partial<GatherableDataset>).gather === 'function';
}

export function checkIndex(owner: string, index: number, length: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new Error(`${owner}: index ${index} is out of range for ${length} samples`);
  }
}

/** Class labels as an Int32Array of non-negative integers, from an Int32Array, a number array or a tensor. */
export function toLabels(owner: string, y: Int32Array | ArrayLike<number> | Tensor): Int32Array {
  const values: ArrayLike<number> = y instanceof Tensor ? y.data : y;
  if (y instanceof Tensor && y.ndim !== 1) {
    throw new Error(`${owner}: labels must be a 1-D tensor, got shape ${formatShape(y.shape)}`);
  }
  const labels = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0) throw new Error(`${owner}: labels must be non-negative integers (class indices), got ${v} at ${i}`);
    labels[i] = v;
  }
  return labels;
}

/** Samples are the rows x[i] (a tensor of shape x.shape[1:]) with labels y[i]. */
export class TensorDataset implements GatherableDataset {
  readonly x: Tensor;
  readonly y: Int32Array;
  /** Elements per sample row. */
  private readonly rowSize: number;

  constructor(x: Tensor, y: Int32Array | ArrayLike<number> | Tensor) {
    if (!(x instanceof Tensor) || x.ndim < 1) {
      throw new Error(`TensorDataset: x must be a tensor with a sample axis first, got ${x instanceof Tensor ? `shape ${formatShape(x.shape)}` : typeof x}`);
    }
    const labels = toLabels('TensorDataset', y);
    if (labels.length !== x.shape[0]) {
      throw new Error(`TensorDataset: y has ${labels.length} labels but x has ${x.shape[0]} samples (x shape ${formatShape(x.shape)})`);
    }
    this.x = x;
    this.y = labels;
    this.rowSize = sizeOf(x.shape.slice(1));
  }

  get length(): number {
    return this.y.length;
  }

  /** A copy of row i, and its label. */
  get(index: number): Sample {
    checkIndex('TensorDataset.get', index, this.length);
    const start = index * this.rowSize;
    return { x: new Tensor(this.x.data.slice(start, start + this.rowSize), this.x.shape.slice(1)), y: this.y[index] };
  }

  gather(indices: Int32Array): Batch {
    const row = this.rowSize;
    const src = this.x.data;
    const out = new Float32Array(indices.length * row);
    const y = new Int32Array(indices.length);
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k];
      checkIndex('TensorDataset.gather', i, this.length);
      out.set(src.subarray(i * row, (i + 1) * row), k * row);
      y[k] = this.y[i];
    }
    return { x: new Tensor(out, [indices.length, ...this.x.shape.slice(1)]), y, indices: indices.slice() };
  }
}
