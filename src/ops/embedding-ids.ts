/**
 * Ids and offsets for the embedding ops: integer ids from a tensor (float32 values, exact up to
 * 2^24) or an Int32Array, each checked against the table, and bag offsets checked as PyTorch's
 * (from 0, nondecreasing, within the ids). Errors name the layer and the bad value.
 */
import { Tensor } from '../tensor.js';
import { formatShape } from '../shape.js';

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

const RADIX_BITS = 11;
const RADIX = 1 << RADIX_BITS;

/**
 * The unique rows among ids (padding left out), ascending, and each id's slot among them (−1 for
 * padding): what a sparse gradient's scatter needs. An LSD radix sort of (id, position) pairs, 11 bits
 * a pass (two passes for ids below 2^22): O(n) in the number of ids, never in the table. V8's
 * TypedArray sort plus a binary search per id took 3× as long, 60% of a batch-32 logistic-regression step.
 */
export function uniqueRows(ids: Int32Array, n: number, paddingIdx: number): { indices: Int32Array; slots: Int32Array } {
  let max = 0;
  for (let k = 0; k < n; k++) if (ids[k] > max) max = ids[k];
  let keys = ids.slice(0, n);
  let positions = new Int32Array(n);
  for (let k = 0; k < n; k++) positions[k] = k;
  let keysOut = new Int32Array(n);
  let positionsOut = new Int32Array(n);
  const counts = new Int32Array(RADIX);
  // JavaScript shifts count mod 32: stop at 32, or a fourth pass would sort by bits 1–11 again.
  for (let shift = 0; shift < 32 && (shift === 0 || max >>> shift > 0); shift += RADIX_BITS) {
    counts.fill(0);
    for (let k = 0; k < n; k++) counts[(keys[k] >>> shift) & (RADIX - 1)]++;
    for (let d = 0, sum = 0; d < RADIX; d++) {
      const c = counts[d];
      counts[d] = sum;
      sum += c;
    }
    for (let k = 0; k < n; k++) {
      const at = counts[(keys[k] >>> shift) & (RADIX - 1)]++;
      keysOut[at] = keys[k];
      positionsOut[at] = positions[k];
    }
    [keys, keysOut] = [keysOut, keys];
    [positions, positionsOut] = [positionsOut, positions];
  }
  const unique = keysOut; // free scratch of n entries
  const slots = new Int32Array(n);
  let count = 0;
  for (let k = 0; k < n; k++) {
    const r = keys[k];
    if (r === paddingIdx) {
      slots[positions[k]] = -1;
      continue;
    }
    if (count === 0 || unique[count - 1] !== r) unique[count++] = r;
    slots[positions[k]] = count - 1;
  }
  return { indices: unique.slice(0, count), slots };
}
