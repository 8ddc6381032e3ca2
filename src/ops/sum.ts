import type { Tensor } from '../tensor.js';
import { empty } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { normalizeAxes, reducedShape } from '../shape.js';
import { broadcastTo, checkTensor, keptShape } from './util.js';

/** Sum over `axis` (a number, a list, or all axes when omitted); the gradient is broadcast back. */
export function sum(x: Tensor, axis?: number | number[], keepDims = false): Tensor {
  checkTensor('sum', x);
  const axes = normalizeAxes('sum', axis, x.ndim);
  const out = empty(reducedShape(x.shape, axes, keepDims));
  backend().reduce('sum', x.data, x.shape, axes, out.data);
  return record('sum', out, [x], (g) => {
    const kept = g.detach();
    kept.shape = keptShape(x.shape, axes);
    return [broadcastTo(kept, x.shape)];
  }, { axis: axes, keepDims });
}
