import type { Tensor } from '../tensor.js';
import { pieces, split, splitAxis } from './split.js';

/**
 * x cut along `axis` (default 0) into at most `chunks` pieces (torch.chunk): pieces of
 * ⌈size / chunks⌉ and a smaller last one, so there may be fewer than `chunks` (7 in 4 → 2, 2,
 * 2, 1; 5 in 4 → 2, 2, 1). An axis of size 0 gives `chunks` empty pieces, as torch.
 */
export function chunk(x: Tensor, chunks: number, axis = 0): Tensor[] {
  const { a, size } = splitAxis('chunk', x, axis);
  if (!Number.isInteger(chunks) || chunks <= 0) throw new Error(`chunk: chunks must be a positive integer, got ${String(chunks)}`);
  if (size === 0) return pieces(x, a, new Array<number>(chunks).fill(0));
  return split(x, Math.ceil(size / chunks), a);
}
