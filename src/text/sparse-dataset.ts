/**
 * Documents as sparse sets of feature ids, with class labels: the CSR layout EmbeddingBag takes
 * (all ids end to end, and where each document's ids start). Browser-safe.
 */
import { checkIndex } from '../data/dataset.js';

/** A batch as EmbeddingBag takes it: ids end to end, offsets[i] where sample i's ids start; labels y. */
export interface SparseBatch {
  ids: Int32Array;
  offsets: Int32Array;
  y: Int32Array;
  indices: Int32Array;
}

export class SparseDataset {
  /** All documents' ids, end to end. */
  readonly ids: Int32Array;
  /** starts[i] … starts[i + 1] is document i's range of ids (length + 1 entries). */
  readonly starts: Int32Array;
  readonly y: Int32Array;
  /** The id space: every id is below this. */
  readonly buckets: number;

  constructor(docs: Int32Array[] | { ids: Int32Array; starts: Int32Array }, y: Int32Array, buckets: number) {
    if (Array.isArray(docs)) {
      const starts = new Int32Array(docs.length + 1);
      docs.forEach((d, i) => (starts[i + 1] = starts[i] + d.length));
      const ids = new Int32Array(starts[docs.length]);
      docs.forEach((d, i) => ids.set(d, starts[i]));
      this.ids = ids;
      this.starts = starts;
    } else {
      this.ids = docs.ids;
      this.starts = docs.starts;
    }
    if (this.starts.length !== y.length + 1) throw new Error(`SparseDataset: ${this.starts.length - 1} documents but ${y.length} labels`);
    this.y = y;
    this.buckets = buckets;
  }

  get length(): number {
    return this.y.length;
  }

  /** Document i's ids (a view). */
  features(i: number): Int32Array {
    checkIndex('SparseDataset.features', i, this.length);
    return this.ids.subarray(this.starts[i], this.starts[i + 1]);
  }

  /** The samples at `indices`, in that order. */
  batch(indices: Int32Array): SparseBatch {
    let total = 0;
    for (const i of indices) {
      checkIndex('SparseDataset.batch', i, this.length);
      total += this.starts[i + 1] - this.starts[i];
    }
    const ids = new Int32Array(total);
    const offsets = new Int32Array(indices.length);
    const y = new Int32Array(indices.length);
    let at = 0;
    indices.forEach((i, k) => {
      offsets[k] = at;
      ids.set(this.ids.subarray(this.starts[i], this.starts[i + 1]), at);
      at += this.starts[i + 1] - this.starts[i];
      y[k] = this.y[i];
    });
    return { ids, offsets, y, indices: indices.slice() };
  }

  /** The documents at `indices` as a new dataset (e.g. a split). */
  subset(indices: Int32Array): SparseDataset {
    const b = this.batch(indices);
    const starts = new Int32Array(indices.length + 1);
    starts.set(b.offsets);
    starts[indices.length] = b.ids.length;
    return new SparseDataset({ ids: b.ids, starts }, b.y, this.buckets);
  }

  /** Distinct ids over all documents. */
  distinctFeatures(): number {
    const seen = new Uint8Array(this.buckets);
    let n = 0;
    for (const id of this.ids) if (!seen[id]) (seen[id] = 1), n++;
    return n;
  }
}
