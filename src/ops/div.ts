import type { Tensor } from '../tensor.js';
import { record } from '../autograd/node.js';
import { asTensor, sumTo, type TensorLike } from './util.js';
import { applyBinary } from './compare.js';
import { negated } from './neg.js';

/** a / b with broadcasting; d(a/b)/da = 1/b, d(a/b)/db = −a/b² = −(a/b)/b. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor('div', a);
  const y = asTensor('div', b);
  const out = applyBinary('div', x, y);
  return record('div', out, [x, y], (g) => {
    const gOverB = applyBinary('div', g, y);
    return [
      x.requiresGrad ? sumTo(gOverB, x.shape) : null,
      y.requiresGrad ? sumTo(negated(applyBinary('mul', gOverB, out)), y.shape) : null,
    ];
  });
}
