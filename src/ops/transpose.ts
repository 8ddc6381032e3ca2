import type { Tensor } from '../tensor.js';
import { normalizeAxis } from '../shape.js';
import { checkTensor } from './util.js';
import { applyPermutation } from './permute.js';

/** x with axes dim0 and dim1 swapped; by default the last two (a matrix transpose). Copies. */
export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  checkTensor('transpose', x);
  const a = normalizeAxis('transpose', dim0, x.ndim);
  const b = normalizeAxis('transpose', dim1, x.ndim);
  if (x.ndim === 0) return applyPermutation('transpose', x, [], { dim0, dim1 });
  const perm = Array.from({ length: x.ndim }, (_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return applyPermutation('transpose', x, perm, { dim0: a, dim1: b });
}
