import type { Tensor } from '../tensor.js';
import { empty } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { broadcastShapes } from '../shape.js';
import { asTensor, sumTo, type TensorLike } from './util.js';

function product(x: Tensor, y: Tensor): Tensor {
  const out = empty(broadcastShapes('mul', x.shape, y.shape));
  backend().binary('mul', x.data, x.shape, y.data, y.shape, out.data, out.shape);
  return out;
}

/** a · b elementwise with broadcasting; d(a·b)/da = b, d(a·b)/db = a. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor('mul', a);
  const y = asTensor('mul', b);
  return record('mul', product(x, y), [x, y], (g) => [
    x.requiresGrad ? sumTo(product(g, y), x.shape) : null,
    y.requiresGrad ? sumTo(product(g, x), y.shape) : null,
  ]);
}
