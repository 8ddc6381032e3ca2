import { Tensor } from '../tensor.js';
import { backend } from '../backend/registry.js';
import { formatShape, normalizeAxis } from '../shape.js';
import { checkTensor } from './util.js';

/**
 * The position of the largest (or smallest) value along `axis` — the first one on ties — as a
 * float tensor of indices; without an axis, the index into the flattened tensor. Not differentiable.
 */
function argExtremum(op: 'argmax' | 'argmin', x: Tensor, axis: number | undefined, keepDims: boolean): Tensor {
  checkTensor(op, x);
  if (axis !== undefined && typeof axis !== 'number') {
    throw new Error(`${op}: axis must be a single number, got ${JSON.stringify(axis)}`);
  }
  const kind = op === 'argmax' ? 'max' : 'min';
  if (axis === undefined) {
    if (x.size === 0) throw new Error(`${op}: cannot reduce an empty tensor of shape ${formatShape(x.shape)}`);
    const index = new Int32Array(1);
    backend().argReduce(kind, x.data, [x.size], 0, index);
    return new Tensor(Float32Array.from(index), keepDims ? x.shape.map(() => 1) : []);
  }
  const a = normalizeAxis(op, axis, x.ndim);
  if (x.ndim === 0) return new Tensor(new Float32Array(1), []);
  if (x.shape[a] === 0) throw new Error(`${op}: cannot reduce over the empty axis ${a} of shape ${formatShape(x.shape)}`);
  const shape = x.shape.slice();
  if (keepDims) shape[a] = 1;
  else shape.splice(a, 1);
  const index = new Int32Array(x.size / x.shape[a]);
  backend().argReduce(kind, x.data, x.shape, a, index);
  return new Tensor(Float32Array.from(index), shape);
}

/** Index of the largest value along `axis` (the flat index when omitted); a float tensor, no gradient. */
export function argmax(x: Tensor, axis?: number, keepDims = false): Tensor {
  return argExtremum('argmax', x, axis, keepDims);
}

/** Index of the smallest value along `axis` (the flat index when omitted); a float tensor, no gradient. */
export function argmin(x: Tensor, axis?: number, keepDims = false): Tensor {
  return argExtremum('argmin', x, axis, keepDims);
}
