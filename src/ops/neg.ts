import type { Tensor } from '../tensor.js';
import { empty } from '../creation.js';
import { backend } from '../backend/registry.js';
import { unaryOp } from './elementwise.js';
import type { TensorLike } from './util.js';

/** −x. */
export function neg(x: TensorLike): Tensor {
  return unaryOp('neg', x);
}

/** −t outside the graph (for backward closures). */
export function negated(t: Tensor): Tensor {
  const out = empty(t.shape.slice());
  backend().unary('neg', t.data, out.data);
  return out;
}
