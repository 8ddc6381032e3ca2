import { Tensor } from '../tensor.js';
import { record } from '../autograd/node.js';
import { formatShape } from '../shape.js';
import { broadcastTo, checkTensor, sumTo } from './util.js';

/**
 * x broadcast to `shape` (like torch.expand: size-1 axes repeat, new axes are added in front,
 * −1 keeps an axis's size). Copies; the gradient is summed back over the repeated axes.
 */
export function expand(x: Tensor, shape: number[]): Tensor {
  checkTensor('expand', x);
  if (!Array.isArray(shape) || shape.length < x.ndim) {
    throw new Error(`expand: target shape ${Array.isArray(shape) ? formatShape(shape) : String(shape)} has fewer dimensions than the input shape ${formatShape(x.shape)}`);
  }
  const lead = shape.length - x.ndim;
  const target = shape.map((d, i) => {
    const own = i >= lead ? x.shape[i - lead] : undefined;
    if (d === -1 && own !== undefined) return own;
    if (!Number.isInteger(d) || d < 0) {
      throw new Error(`expand: invalid size ${d} at dimension ${i} of ${formatShape(shape)} (−1 only keeps an existing dimension)`);
    }
    if (own !== undefined && own !== d && own !== 1) {
      throw new Error(`expand: cannot expand shape ${formatShape(x.shape)} to ${formatShape(shape)} (dimension ${i}: size ${own} is neither 1 nor ${d})`);
    }
    return d;
  });
  const copied = broadcastTo(x, target);
  // Already the target shape: share the storage (as reshape does) rather than record onto x itself.
  const out = copied === x ? new Tensor(x.data, target) : copied;
  return record('expand', out, [x], (g) => [sumTo(g, x.shape)], { shape: target });
}
