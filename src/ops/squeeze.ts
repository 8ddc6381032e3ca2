import type { Tensor } from '../tensor.js';
import { normalizeAxes } from '../shape.js';
import { checkTensor } from './util.js';
import { viewAs } from './view.js';

/**
 * Drops size-1 axes: all of them, or those among `axis` (like torch.squeeze, a listed axis
 * whose size is not 1 is left as is). Shares storage.
 */
export function squeeze(x: Tensor, axis?: number | number[]): Tensor {
  checkTensor('squeeze', x);
  if (x.ndim === 0) {
    normalizeAxes('squeeze', axis, 1);
    return viewAs('squeeze', x, []);
  }
  const axes = normalizeAxes('squeeze', axis, x.ndim);
  const shape = x.shape.filter((d, i) => !(d === 1 && axes.includes(i)));
  return viewAs('squeeze', x, shape, { axis: axes });
}
