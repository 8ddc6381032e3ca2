/**
 * The embedding-bag kernels: the gather (each bag's rows summed, weighted or averaged) and its
 * backward scatter into the rows of a gradient (dense: the ids themselves; sparse: each id's slot
 * among the unique touched rows). Check their arguments like the native kernels, whose messages
 * they share. Sums in double; the scatter adds into float32 rows in the order of the ids, so a
 * dense and a sparse gradient hold the same bits in every touched row.
 */
import type { EmbeddingBagMode } from '../backend.js';

function fail(kernel: string, message: string): never {
  throw new Error(`${kernel}: ${message}`);
}

/** Checks shared by both kernels (as the native ones): offsets (numBags + 1) within ids, ids ≥ 0; returns the largest id. */
function checkBags(kernel: string, ids: Int32Array, offsets: Int32Array, numBags: number, perSampleWeights: Float32Array | null): number {
  if (!Number.isInteger(numBags) || numBags < 0) fail(kernel, `numBags must be an integer ≥ 0, got ${numBags}`);
  if (offsets.length < numBags + 1) fail(kernel, `offsets has ${offsets.length} elements, needs at least ${numBags + 1}`);
  if (offsets[0] !== 0) fail(kernel, `offsets[0] is ${offsets[0]}, must be 0`);
  for (let b = 0; b < numBags; b++) {
    if (offsets[b + 1] < offsets[b]) fail(kernel, `offsets[${b + 1}] is ${offsets[b + 1]}, less than offsets[${b}]`);
  }
  const n = offsets[numBags];
  if (n > ids.length) fail(kernel, `ids has ${ids.length} elements, needs at least ${n}`);
  let largest = -1;
  for (let k = 0; k < n; k++) {
    if (ids[k] < 0) fail(kernel, `ids[${k}] is ${ids[k]}, an id must be ≥ 0`);
    largest = Math.max(largest, ids[k]);
  }
  if (perSampleWeights !== null && perSampleWeights.length < n) fail(kernel, `perSampleWeights has ${perSampleWeights.length} elements, needs at least ${n}`);
  return largest;
}

/** The weight of ids[k] in its bag: its per-sample weight, or 1, or 1/count for a mean. */
function bagCount(ids: Int32Array, start: number, end: number, paddingIdx: number): number {
  let count = 0;
  for (let k = start; k < end; k++) if (ids[k] !== paddingIdx) count++;
  return count;
}

/**
 * out[b, :] = Σ_{k ∈ [offsets[b], offsets[b+1]), ids[k] ≠ paddingIdx} w_k · weight[ids[k], :], with w_k =
 * perSampleWeights[k] (or 1); 'mean' divides by the bag's number of non-padding ids (an empty bag is 0).
 */
export function embeddingBag(
  weight: Float32Array, dim: number, ids: Int32Array, offsets: Int32Array, numBags: number, mode: EmbeddingBagMode,
  perSampleWeights: Float32Array | null, paddingIdx: number, out: Float32Array,
): void {
  const kernel = 'embeddingBag';
  if (!Number.isInteger(dim) || dim < 1) fail(kernel, `dim must be an integer ≥ 1, got ${dim}`);
  const largest = checkBags(kernel, ids, offsets, numBags, perSampleWeights);
  if (weight.length < (largest + 1) * dim) fail(kernel, `weight has ${weight.length} elements, needs at least ${(largest + 1) * dim}`);
  if (out.length < numBags * dim) fail(kernel, `out has ${out.length} elements, needs at least ${numBags * dim}`);
  const acc = new Float64Array(dim);
  for (let b = 0; b < numBags; b++) {
    const start = offsets[b];
    const end = offsets[b + 1];
    acc.fill(0);
    for (let k = start; k < end; k++) {
      const id = ids[k];
      if (id === paddingIdx) continue;
      const w = perSampleWeights === null ? 1 : perSampleWeights[k];
      const o = id * dim;
      for (let j = 0; j < dim; j++) acc[j] += w * weight[o + j];
    }
    const count = mode === 'mean' ? bagCount(ids, start, end, paddingIdx) : 1;
    const o = b * dim;
    for (let j = 0; j < dim; j++) out[o + j] = count === 0 ? 0 : acc[j] / count;
  }
}

/**
 * out[rows[k], :] += w_k · grad[bag(k), :] for each k with ids[k] ≠ paddingIdx, in the order of k, where
 * w_k is as in the forward (perSampleWeights[k], or 1, or 1/count for 'mean'). rows[k] is the row of
 * `out` that ids[k] goes to (the id itself for a dense gradient, its slot for a sparse one).
 */
export function embeddingBagBackward(
  grad: Float32Array, dim: number, ids: Int32Array, offsets: Int32Array, numBags: number, mode: EmbeddingBagMode,
  perSampleWeights: Float32Array | null, paddingIdx: number, rows: Int32Array, out: Float32Array,
): void {
  const kernel = 'embeddingBagBackward';
  if (!Number.isInteger(dim) || dim < 1) fail(kernel, `dim must be an integer ≥ 1, got ${dim}`);
  if (grad.length < numBags * dim) fail(kernel, `grad has ${grad.length} elements, needs at least ${numBags * dim}`);
  checkBags(kernel, ids, offsets, numBags, perSampleWeights);
  const n = offsets[numBags];
  if (rows.length < n) fail(kernel, `rows has ${rows.length} elements, needs at least ${n}`);
  let lastRow = -1;
  for (let k = 0; k < n; k++) {
    if (ids[k] === paddingIdx) continue;
    if (rows[k] < 0) fail(kernel, `rows[${k}] is ${rows[k]}, a row must be ≥ 0`);
    lastRow = Math.max(lastRow, rows[k]);
  }
  if (out.length < (lastRow + 1) * dim) fail(kernel, `out has ${out.length} elements, needs at least ${(lastRow + 1) * dim}`);
  for (let b = 0; b < numBags; b++) {
    const start = offsets[b];
    const end = offsets[b + 1];
    const count = mode === 'mean' ? bagCount(ids, start, end, paddingIdx) : 1;
    const g = b * dim;
    for (let k = start; k < end; k++) {
      if (ids[k] === paddingIdx) continue;
      const w = (perSampleWeights === null ? 1 : perSampleWeights[k]) / count;
      const o = rows[k] * dim;
      for (let j = 0; j < dim; j++) out[o + j] += w * grad[g + j];
    }
  }
}
