import type { Tensor } from '../tensor.js';
import { normalizeAxis } from '../shape.js';
import { checkTensor } from './util.js';
import { viewAs } from './view.js';

/** Inserts a size-1 axis at `axis` (−1 appends one at the end, like torch.unsqueeze). Shares storage. */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  checkTensor('unsqueeze', x);
  const at = normalizeAxis('unsqueeze', axis, x.ndim + 1);
  const shape = x.shape.slice();
  shape.splice(at, 0, 1);
  return viewAs('unsqueeze', x, shape, { axis: at });
}
