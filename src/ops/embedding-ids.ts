/**
 * Ids and offsets for the embedding ops: integer ids from a tensor (float32 values, exact up to
 * 2^24) or an Int32Array, each checked against the table, and bag offsets checked as PyTorch's
 * (from 0, nondecreasing, within the ids). Errors name the layer and the bad value.
 */
import { Tensor } from '../tensor.js';
import { formatShape } from '../shape.js';
import { backend } from '../backend/registry.js';

/** The largest integer every smaller one of which float32 holds exactly. */
export const FLOAT32_EXACT_INT = 2 ** 24;

export type Ids = Tensor | Int32Array;

/** The ids as an Int32Array (a tensor's values converted; an Int32Array as is), each in [0, numRows). */
export function toIds(owner: string, ids: unknown, numRows: number): Int32Array {
  let out: Int32Array;
  if (ids instanceof Int32Array) {
    out = ids;
  } else if (ids instanceof Tensor) {
    const v = ids.data;
    out = new Int32Array(v.length);
    for (let k = 0; k < v.length; k++) {
      const x = v[k];
      if (!Number.isInteger(x)) throw new Error(`${owner}: ids must be integers, got ${x} at position ${k} of shape ${formatShape(ids.shape)}`);
      if (Math.abs(x) > FLOAT32_EXACT_INT) {
        throw new Error(`${owner}: id ${x} at position ${k} is past 2^24 = ${FLOAT32_EXACT_INT}, where a float32 tensor cannot hold every integer; pass the ids as an Int32Array`);
      }
      out[k] = x;
    }
  } else {
    const got = ids === null || ids === undefined ? String(ids) : Array.isArray(ids) ? 'an array (wrap it with tensor() or Int32Array.from())' : `a ${typeof ids}`;
    throw new Error(`${owner}: ids must be a Tensor of integers or an Int32Array, got ${got}`);
  }
  for (let k = 0; k < out.length; k++) {
    if (out[k] < 0 || out[k] >= numRows) throw new Error(`${owner}: id ${out[k]} at position ${k} is out of range [0, ${numRows})`);
  }
  return out;
}

/** The shape of the ids: a tensor's, or [length] for an Int32Array. */
export function idsShape(ids: Ids): number[] {
  return ids instanceof Tensor ? ids.shape.slice() : [ids.length];
}

/**
 * Bag offsets (the start of each bag, as PyTorch's `offsets`) checked against n ids, plus n at the
 * end: numBags + 1 entries, the form the kernels take.
 */
export function toOffsets(owner: string, offsets: unknown, n: number): Int32Array {
  let values: ArrayLike<number>;
  if (offsets instanceof Tensor) {
    if (offsets.ndim !== 1) throw new Error(`${owner}: offsets must be 1-D, got shape ${formatShape(offsets.shape)}`);
    values = offsets.data;
  } else if (offsets instanceof Int32Array || Array.isArray(offsets)) {
    values = offsets as ArrayLike<number>;
  } else {
    throw new Error(`${owner}: offsets must be a 1-D Tensor of integers, an Int32Array or a number[], got ${offsets === null ? 'null' : typeof offsets}`);
  }
  const out = new Int32Array(values.length + 1);
  for (let b = 0; b < values.length; b++) {
    const o = values[b];
    if (!Number.isInteger(o)) throw new Error(`${owner}: offsets must be integers, got ${o} at position ${b}`);
    if (b === 0 && o !== 0) throw new Error(`${owner}: offsets[0] must be 0 (the first bag starts at the first id), got ${o}`);
    if (b > 0 && o < values[b - 1]) throw new Error(`${owner}: offsets must be nondecreasing, got offsets[${b}] = ${o} after ${values[b - 1]}`);
    if (o > n) throw new Error(`${owner}: offsets[${b}] = ${o} is past the end of the ${n} ids`);
    out[b] = o;
  }
  out[values.length] = n;
  return out;
}

/**
 * The unique rows among ids (padding left out), ascending, and each id's slot among them (−1 for
 * padding): what a sparse gradient's scatter needs. The backend's uniqueRows (a radix sort, O(n) in
 * the ids, never in the table; native in the addon: over a batch-32 pass of the spam corpus 30–41 → 13–20 ms
 * with these arrays, ~7 ms of it the kernel).
 */
export function uniqueRows(ids: Int32Array, n: number, paddingIdx: number): { indices: Int32Array; slots: Int32Array } {
  const unique = new Int32Array(n);
  const slots = new Int32Array(n);
  const count = backend().uniqueRows(ids, n, paddingIdx, unique, slots);
  return { indices: unique.slice(0, count), slots };
}
