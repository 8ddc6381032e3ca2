import type { Tensor } from '../tensor.js';
import { formatShape, normalizeAxis } from '../shape.js';
import { checkTensor } from './util.js';
import { narrow } from './narrow.js';

/** The size of `axis` and the axis normalized; x must have at least 1 dimension (torch's rule). */
export function splitAxis(op: string, x: Tensor, axis: number): { a: number; size: number } {
  checkTensor(op, x);
  if (x.ndim === 0) throw new Error(`${op}: expected a tensor with at least 1 dimension, got a 0-d tensor`);
  const a = normalizeAxis(op, axis, x.ndim);
  return { a, size: x.shape[a] };
}

/** x cut along axis a into consecutive pieces of the given lengths (one narrow each). */
export function pieces(x: Tensor, a: number, lengths: readonly number[]): Tensor[] {
  let start = 0;
  return lengths.map((length) => {
    const piece = narrow(x, a, start, length);
    start += length;
    return piece;
  });
}

/**
 * x cut along `axis` (default 0) into pieces (torch.split): with a number, pieces of that size
 * and a smaller last one when the size does not divide; with a list, pieces of those sizes,
 * which must add up to the axis's size. Each piece is its own graph node; gradients flow back
 * into the right slice of x.
 */
export function split(x: Tensor, splitSizeOrSections: number | readonly number[], axis = 0): Tensor[] {
  const { a, size } = splitAxis('split', x, axis);
  if (typeof splitSizeOrSections === 'number') {
    const step = splitSizeOrSections;
    if (!Number.isInteger(step) || step < 0) throw new Error(`split: splitSize must be a non-negative integer, got ${String(step)}`);
    if (step === 0 && size > 0) throw new Error(`split: splitSize can only be 0 if axis ${a} has size 0, got size ${size} (shape ${formatShape(x.shape)})`);
    if (size === 0) return pieces(x, a, [0]);
    const count = Math.ceil(size / step);
    return pieces(x, a, Array.from({ length: count }, (_, i) => Math.min(step, size - i * step)));
  }
  if (!Array.isArray(splitSizeOrSections)) {
    throw new Error(`split: splitSizeOrSections must be a number or a list of numbers, got ${splitSizeOrSections === null ? 'null' : typeof splitSizeOrSections}`);
  }
  const sections = splitSizeOrSections as readonly number[];
  if (!sections.every((s) => Number.isInteger(s) && s >= 0)) {
    throw new Error(`split: sections must be non-negative integers, got [${sections.map(String).join(', ')}]`);
  }
  const total = sections.reduce((s, v) => s + v, 0);
  if (total !== size) {
    throw new Error(`split: sections [${sections.join(', ')}] add up to ${total}, but axis ${a} has size ${size} (shape ${formatShape(x.shape)})`);
  }
  return pieces(x, a, sections);
}
