import type { Tensor } from '../tensor.js';
import { normalizeAxis } from '../shape.js';
import { checkTensor } from './util.js';
import { viewAs } from './view.js';

/** Merges axes startDim..endDim (inclusive) into one, like torch.flatten; a 0-d tensor becomes [1]. Shares storage. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  checkTensor('flatten', x);
  const start = normalizeAxis('flatten', startDim, x.ndim);
  const end = normalizeAxis('flatten', endDim, x.ndim);
  if (x.ndim === 0) return viewAs('flatten', x, [1]);
  if (start > end) {
    throw new Error(`flatten: startDim ${startDim} must not come after endDim ${endDim} (rank ${x.ndim})`);
  }
  let merged = 1;
  for (let d = start; d <= end; d++) merged *= x.shape[d];
  const shape = [...x.shape.slice(0, start), merged, ...x.shape.slice(end + 1)];
  return viewAs('flatten', x, shape, { startDim: start, endDim: end });
}
