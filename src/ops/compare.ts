/**
 * Elementwise comparisons eq gt ge lt le: 0/1 float tensors with broadcasting, constants of
 * the graph (never requiring grad, like torch's bool results). `applyBinary` is the plain
 * broadcast kernel call the differentiable binary ops also use for their gradients.
 */
import type { Tensor } from '../tensor.js';
import type { BinaryOp } from '../backend/backend.js';
import { emptyUninitialized } from '../creation.js';
import { backend } from '../backend/registry.js';
import { broadcastShapes } from '../shape.js';
import { asTensor, type TensorLike } from './util.js';

/** x op y with broadcasting, outside the graph; `opName` names the op in broadcast errors. The kernel writes every element. */
export function applyBinary(op: BinaryOp, x: Tensor, y: Tensor, opName: string = op): Tensor {
  const out = emptyUninitialized(broadcastShapes(opName, x.shape, y.shape));
  backend().binary(op, x.data, x.shape, y.data, y.shape, out.data, out.shape);
  return out;
}

function compare(op: 'eq' | 'gt' | 'ge' | 'lt' | 'le', a: TensorLike, b: TensorLike): Tensor {
  return applyBinary(op, asTensor(op, a), asTensor(op, b));
}

/** 1 where a = b, else 0. */
export function eq(a: TensorLike, b: TensorLike): Tensor {
  return compare('eq', a, b);
}

/** 1 where a > b, else 0. */
export function gt(a: TensorLike, b: TensorLike): Tensor {
  return compare('gt', a, b);
}

/** 1 where a ≥ b, else 0. */
export function ge(a: TensorLike, b: TensorLike): Tensor {
  return compare('ge', a, b);
}

/** 1 where a < b, else 0. */
export function lt(a: TensorLike, b: TensorLike): Tensor {
  return compare('lt', a, b);
}

/** 1 where a ≤ b, else 0. */
export function le(a: TensorLike, b: TensorLike): Tensor {
  return compare('le', a, b);
}
