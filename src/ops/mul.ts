import type { Tensor } from '../tensor.js';
import { record } from '../autograd/node.js';
import { asTensor, sumTo, type TensorLike } from './util.js';
import { applyBinary } from './compare.js';

/** a · b elementwise with broadcasting; d(a·b)/da = b, d(a·b)/db = a. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor('mul', a);
  const y = asTensor('mul', b);
  return record('mul', applyBinary('mul', x, y), [x, y], (g) => [
    x.requiresGrad ? sumTo(applyBinary('mul', g, y), x.shape) : null,
    y.requiresGrad ? sumTo(applyBinary('mul', g, x), y.shape) : null,
  ]);
}
