import type { Tensor } from '../tensor.js';
import { record } from '../autograd/node.js';
import { asTensor, sumTo, type TensorLike } from './util.js';
import { applyBinary } from './compare.js';
import { negated } from './neg.js';

/** a − b with broadcasting; the gradient is g for a and −g for b (summed over broadcast axes). */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor('sub', a);
  const y = asTensor('sub', b);
  return record('sub', applyBinary('sub', x, y), [x, y], (g) => [
    x.requiresGrad ? sumTo(g, x.shape) : null,
    y.requiresGrad ? sumTo(negated(g), y.shape) : null,
  ]);
}
