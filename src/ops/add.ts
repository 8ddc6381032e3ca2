import type { Tensor } from '../tensor.js';
import { record } from '../autograd/node.js';
import { asTensor, sumTo, type TensorLike } from './util.js';
import { applyBinary } from './compare.js';

/** a + b with broadcasting; the gradient passes through to both (summed over broadcast axes). */
export function add(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor('add', a);
  const y = asTensor('add', b);
  return record('add', applyBinary('add', x, y), [x, y], (g) => [
    x.requiresGrad ? sumTo(g, x.shape) : null,
    y.requiresGrad ? sumTo(g, y.shape) : null,
  ]);
}
