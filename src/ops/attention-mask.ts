/**
 * Attention masks. nabla's tensors are float32, so the two kinds PyTorch tells apart by dtype are told
 * apart by type here: a Tensor is a float mask, added to the scores (−Infinity blocks a position); a
 * boolean mask is nested arrays of booleans (`[[true, false], …]`), whose `true` means "takes part"
 * for scaledDotProductAttention and "is blocked" for MultiheadAttention, as in PyTorch.
 *
 * The fused kernel takes one additive float matrix [L, S] per (batch item, head), shared where the
 * mask broadcasts: `combineMasks` adds the parts (attnMask, keyPaddingMask, a causal triangle) into
 * the fewest matrices the broadcast needs and says which one each item reads.
 */
import { Tensor } from '../tensor.js';
import { backend } from '../backend/registry.js';
import { broadcastShapes, formatShape, sizeOf } from '../shape.js';
import { batchIndices } from './matmul.js';

/** Nested arrays of booleans, any depth (a boolean mask). */
export type BoolArray = readonly (boolean | BoolArray)[];

export type AttentionMask = Tensor | BoolArray;

/** A mask as additive float values with its shape. */
export interface AdditiveMask {
  values: Float32Array;
  shape: number[];
  /** The Tensor it came from (a float mask), so a mask that requires grad can be added by the graph instead. */
  tensor: Tensor | null;
}

/** One additive matrix [L, S] per distinct mask; item n (b·heads + h) reads matrix index[n]. */
export interface CombinedMask {
  data: Float32Array;
  index: Int32Array;
  /** The matrices' own batch shape (each dimension 1 or the items' own), for the composed path. */
  shape: number[];
}

function boolShape(owner: string, what: string, value: BoolArray): number[] {
  const shape: number[] = [];
  let level: unknown = value;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  if (level !== undefined && typeof level !== 'boolean') {
    throw new Error(`${owner}: ${what} must be a Tensor (a float mask, added to the scores) or nested arrays of booleans, got an array of ${typeof level}`);
  }
  return shape;
}

/**
 * A mask as additive values: a Tensor as it is; a boolean mask as 0 where a position takes part and
 * −Infinity where it is blocked, `trueMeans` saying which a `true` is.
 */
export function additiveMask(owner: string, what: string, mask: AttentionMask, trueMeans: 'attend' | 'block'): AdditiveMask {
  if (mask instanceof Tensor) return { values: mask.data, shape: mask.shape.slice(), tensor: mask };
  if (!Array.isArray(mask)) {
    throw new Error(`${owner}: ${what} must be a Tensor (a float mask, added to the scores) or nested arrays of booleans, got ${mask === null ? 'null' : typeof mask}`);
  }
  const shape = boolShape(owner, what, mask);
  const values = new Float32Array(sizeOf(shape));
  const blocked = trueMeans === 'block';
  let n = 0;
  const walk = (level: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof level !== 'boolean') throw new Error(`${owner}: ${what} must hold only booleans, got ${typeof level} at ${what}${path}`);
      values[n++] = level === blocked ? -Infinity : 0;
      return;
    }
    if (!Array.isArray(level) || level.length !== shape[depth]) {
      throw new Error(`${owner}: ${what} is ragged: expected length ${shape[depth]} at ${what}${path}, got ${Array.isArray(level) ? `length ${level.length}` : typeof level}`);
    }
    level.forEach((x, i) => walk(x, depth + 1, `${path}[${i}]`));
  };
  walk(mask, 0, '');
  return { values, shape, tensor: null };
}

/** −Infinity above the diagonal of an [L, S] matrix (row i keeps columns j ≤ i), 0 elsewhere. */
export function causalMask(L: number, S: number): AdditiveMask {
  const values = new Float32Array(L * S);
  for (let i = 0; i < L; i++) values.fill(-Infinity, i * S + Math.min(i + 1, S), (i + 1) * S);
  return { values, shape: [L, S], tensor: null };
}

/**
 * The sum of `parts`, each broadcast against [...batch, L, S] (an error names the part that does not
 * broadcast), as matrices over the broadcast of the parts' batch dimensions; null without parts.
 */
export function combineMasks(owner: string, parts: { name: string; mask: AdditiveMask }[], batch: readonly number[], L: number, S: number): CombinedMask | null {
  if (parts.length === 0) return null;
  const target = [...batch, L, S];
  let maskBatch = batch.map(() => 1);
  for (const { name, mask } of parts) {
    let ok = mask.shape.length <= target.length;
    const offset = target.length - mask.shape.length;
    mask.shape.forEach((d, i) => { if (d !== 1 && d !== target[offset + i]) ok = false; });
    if (!ok) throw new Error(`${owner}: ${name} of shape ${formatShape(mask.shape)} does not broadcast to the scores' shape ${formatShape(target)}`);
    const padded = [...new Array<number>(offset).fill(1), ...mask.shape];
    maskBatch = broadcastShapes(owner, maskBatch, padded.slice(0, batch.length));
  }
  const shape = [...maskBatch, L, S];
  const data = new Float32Array(sizeOf(shape));
  const be = backend();
  for (const { mask } of parts) be.binary('add', data, shape, mask.values, mask.shape, data, shape);
  return { data, index: batchIndices(batch.slice(), maskBatch), shape: maskBatch };
}
