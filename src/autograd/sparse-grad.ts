/**
 * A row-sparse gradient (what torch calls a coalesced sparse COO gradient of an embedding): only
 * the rows of a [numRows, ...rowShape] parameter that a step touched. It is a Tensor of its
 * values — `data`/`values` hold the touched rows, shape [nnz, ...rowShape] — so code that reads
 * any gradient's numbers (norms, clipping, non-finite scans, zero-filling) reads exactly the
 * stored values, at a cost ∝ nnz. `indices` are the touched rows, unique and ascending;
 * `denseShape` is the parameter's shape. Nothing here is ever O(numRows) except `toDense()`.
 */
import { Tensor } from '../tensor.js';
import { formatShape } from '../shape.js';

export class SparseGrad extends Tensor {
  /** The rows the values belong to: unique, ascending. */
  readonly indices: Int32Array;
  /** The parameter's (dense) shape, [numRows, ...rowShape]. */
  readonly denseShape: number[];
  /** What made the gradient, as errors name it (`Embedding(1000, 8, sparse: true)`). */
  readonly origin: string;

  constructor(indices: Int32Array, values: Float32Array, denseShape: number[], origin = 'a sparse gradient') {
    const rowSize = denseShape.slice(1).reduce((a, b) => a * b, 1);
    if (values.length !== indices.length * rowSize) {
      throw new Error(`SparseGrad: ${indices.length} rows of ${rowSize} values need ${indices.length * rowSize} values, got ${values.length}`);
    }
    super(values, [indices.length, ...denseShape.slice(1)]);
    for (let k = 0; k < indices.length; k++) {
      const r = indices[k];
      if (r < 0 || r >= denseShape[0] || (k > 0 && r <= indices[k - 1])) {
        throw new Error(`SparseGrad: indices must be unique, ascending and in [0, ${denseShape[0]}), got ${r} at position ${k}`);
      }
    }
    this.indices = indices;
    this.denseShape = denseShape.slice();
    this.origin = origin;
  }

  override get isSparse(): boolean {
    return true;
  }

  /** The touched rows' values, [nnz, ...rowShape] (the same array as `data`). */
  get values(): Float32Array {
    return this.data;
  }

  /** Number of touched rows. */
  get nnz(): number {
    return this.indices.length;
  }

  /** Values per row. */
  get rowSize(): number {
    return this.nnz === 0 ? this.denseShape.slice(1).reduce((a, b) => a * b, 1) : this.data.length / this.nnz;
  }

  /** The dense gradient (O(numRows): for tests and for code that needs it). */
  toDense(): Tensor {
    const d = this.rowSize;
    const out = new Float32Array(this.denseShape.reduce((a, b) => a * b, 1));
    for (let k = 0; k < this.nnz; k++) out.set(this.data.subarray(k * d, (k + 1) * d), this.indices[k] * d);
    return new Tensor(out, this.denseShape.slice());
  }

  /** Adds this gradient's rows into a dense array of the parameter's shape, in place. */
  addInto(dense: Float32Array): void {
    const d = this.rowSize;
    for (let k = 0; k < this.nnz; k++) {
      const o = this.indices[k] * d;
      for (let j = 0; j < d; j++) dense[o + j] += this.data[k * d + j];
    }
  }

  /** this + other (same parameter): a new gradient, a merge of the sorted rows (O(nnz_a + nnz_b)). */
  plus(other: SparseGrad): SparseGrad {
    return SparseGrad.merge(this, other);
  }

  /** The sum of two sparse gradients of one parameter: a merge of their sorted rows (O(nnz_a + nnz_b)). */
  static merge(a: SparseGrad, b: SparseGrad): SparseGrad {
    if (a.denseShape.length !== b.denseShape.length || a.denseShape.some((s, i) => s !== b.denseShape[i])) {
      throw new Error(`SparseGrad.merge: shapes ${formatShape(a.denseShape)} and ${formatShape(b.denseShape)} differ`);
    }
    const d = a.rowSize;
    const idx: number[] = [];
    const vals = new Float32Array((a.nnz + b.nnz) * d);
    let i = 0;
    let j = 0;
    let n = 0;
    while (i < a.nnz || j < b.nnz) {
      const ra = i < a.nnz ? a.indices[i] : Infinity;
      const rb = j < b.nnz ? b.indices[j] : Infinity;
      const row = Math.min(ra, rb);
      const o = n * d;
      if (ra === row) vals.set(a.data.subarray(i * d, ++i * d), o);
      if (rb === row) {
        if (ra === row) for (let c = 0; c < d; c++) vals[o + c] += b.data[j * d + c];
        else vals.set(b.data.subarray(j * d, (j + 1) * d), o);
        j++;
      }
      idx.push(row);
      n++;
    }
    return new SparseGrad(Int32Array.from(idx), vals.slice(0, n * d), a.denseShape, a.origin);
  }
}

export function isSparseGrad(g: unknown): g is SparseGrad {
  return g instanceof SparseGrad;
}
