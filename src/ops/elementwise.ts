/**
 * The shared shape of every elementwise unary op: the forward kernel, and a backward that
 * multiplies the upstream gradient by the op's local derivative (Backend.unaryBackward).
 */
import type { Tensor } from '../tensor.js';
import type { UnaryOp, UnaryParams } from '../backend/backend.js';
import { emptyUninitialized } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { asTensor, type TensorLike } from './util.js';

export function unaryOp(op: UnaryOp, value: TensorLike, params?: UnaryParams, attrs?: Record<string, unknown>): Tensor {
  const x = asTensor(op, value);
  const y = emptyUninitialized(x.shape.slice());
  backend().unary(op, x.data, y.data, params);
  return record(op, y, [x], (g) => {
    const dx = emptyUninitialized(x.shape.slice());
    backend().unaryBackward(op, x.data, y.data, g.data, dx.data, params);
    return [dx];
  }, attrs);
}
