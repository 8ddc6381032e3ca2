import type { Tensor } from '../tensor.js';
import { empty } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { broadcastShapes, formatShape } from '../shape.js';
import { asTensor, checkTensor, sumTo, type TensorLike } from './util.js';

const ZERO = asTensor('where', 0);

/** Broadcast select: cond[i] ≠ 0 ? t[i] : u[i], into `shape` (no graph node: the kernel of where, triu, tril, maskedFill). */
export function select(cond: Tensor, t: Tensor, u: Tensor, shape: number[]): Tensor {
  const out = empty(shape.slice());
  backend().where(cond.data, cond.shape, t.data, t.shape, u.data, u.shape, out.data, out.shape);
  return out;
}

/**
 * a where cond is nonzero, b elsewhere (cond, a and b broadcast together). The gradient goes
 * to a where cond holds and to b elsewhere; cond gets none.
 */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  checkTensor('where', cond, 'condition');
  const x = asTensor('where', a, 'first value');
  const y = asTensor('where', b, 'second value');
  let shape: number[];
  try {
    shape = broadcastShapes('where', broadcastShapes('where', cond.shape, x.shape), y.shape);
  } catch {
    throw new Error(
      `where: condition ${formatShape(cond.shape)} and values ${formatShape(x.shape)}, ${formatShape(y.shape)} cannot be broadcast together`,
    );
  }
  return record('where', select(cond, x, y, shape), [cond, x, y], (g) => [
    null,
    x.requiresGrad ? sumTo(select(cond, g, ZERO, shape), x.shape) : null,
    y.requiresGrad ? sumTo(select(cond, ZERO, g, shape), y.shape) : null,
  ]);
}
