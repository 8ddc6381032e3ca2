import type { Tensor } from '../tensor.js';
import { empty } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { broadcastShapes } from '../shape.js';
import { asTensor, sumTo, type TensorLike } from './util.js';

/** a + b with broadcasting; the gradient passes through to both (summed over broadcast axes). */
export function add(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor('add', a);
  const y = asTensor('add', b);
  const out = empty(broadcastShapes('add', x.shape, y.shape));
  backend().binary('add', x.data, x.shape, y.data, y.shape, out.data, out.shape);
  return record('add', out, [x, y], (g) => [sumTo(g, x.shape), sumTo(g, y.shape)]);
}
