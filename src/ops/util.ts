/** Shared helpers of the ops: argument conversion, broadcasting and its gradient. */
import { Tensor } from '../tensor.js';
import { empty } from '../creation.js';
import { backend } from '../backend/registry.js';
import { broadcastStrides, reducedShape, sameShape, stridesOf } from '../shape.js';

export type TensorLike = Tensor | number;

/** A tensor for an op argument: tensors pass through, numbers become 0-d constants. */
export function asTensor(op: string, value: TensorLike, what = 'argument'): Tensor {
  if (value instanceof Tensor) return value;
  if (typeof value === 'number') return new Tensor(new Float32Array([value]), []);
  throw new Error(`${op}: ${what} must be a Tensor or a number, got ${value === null ? 'null' : typeof value}`);
}

/** Sums a broadcast gradient back down to `shape` (the backward of broadcasting). */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const axes: number[] = [];
  for (let d = 0; d < g.ndim; d++) {
    if (d < lead || (shape[d - lead] === 1 && g.shape[d] !== 1)) axes.push(d);
  }
  const out = empty(shape.slice());
  if (axes.length === 0) out.data.set(g.data);
  else backend().reduce('sum', g.data, g.shape, axes, out.data);
  return out;
}

/** Copies t broadcast to `shape` (shape must be a broadcast of t's). */
export function broadcastTo(t: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(t.shape, shape)) return t;
  const out = empty(shape.slice());
  backend().copyStrided(t.data, 0, broadcastStrides(t.shape, shape), out.data, 0, stridesOf(shape), shape, false);
  return out;
}

/** The shape with reduced axes kept as 1, for broadcasting a reduction's gradient back. */
export function keptShape(shape: readonly number[], axes: readonly number[]): number[] {
  return reducedShape(shape, axes, true);
}

export function checkTensor(op: string, value: unknown, what = 'input'): asserts value is Tensor {
  if (!(value instanceof Tensor)) {
    throw new Error(`${op}: ${what} must be a Tensor, got ${value === null ? 'null' : typeof value}`);
  }
}
