import type { Tensor } from '../tensor.js';
import { record } from '../autograd/node.js';
import { asTensor, sumTo, type TensorLike } from './util.js';
import { applyBinary } from './compare.js';
import { winnerShare } from './maximum.js';

/** Elementwise smaller of a and b (broadcasting); the gradient goes to the smaller, split on ties. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor('minimum', a);
  const y = asTensor('minimum', b);
  return record('minimum', applyBinary('minimum', x, y), [x, y], (g) => [
    x.requiresGrad ? sumTo(applyBinary('mul', g, winnerShare('lt', x, y)), x.shape) : null,
    y.requiresGrad ? sumTo(applyBinary('mul', g, winnerShare('lt', y, x)), y.shape) : null,
  ]);
}
