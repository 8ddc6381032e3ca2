import { Tensor } from '../tensor.js';
import { empty, zeros } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { formatShape, normalizeAxis } from '../shape.js';
import { checkTensor } from './util.js';

export type Indices = readonly number[] | Int32Array | Tensor;

/** The indices as integers, each checked against the axis size. */
function toIndices(indices: Indices, axis: number, size: number): Int32Array {
  let values: ArrayLike<number>;
  if (indices instanceof Tensor) {
    if (indices.ndim > 1) throw new Error(`indexSelect: indices must be a 0-d or 1-d tensor, got shape ${formatShape(indices.shape)}`);
    values = indices.data;
  } else if (Array.isArray(indices) || indices instanceof Int32Array) {
    values = indices;
  } else {
    throw new Error(`indexSelect: indices must be a number[], an Int32Array or a tensor of integers, got ${typeof indices}`);
  }
  const out = new Int32Array(values.length);
  for (let k = 0; k < values.length; k++) {
    const i = values[k];
    if (!Number.isInteger(i)) throw new Error(`indexSelect: index ${i} (position ${k}) is not an integer`);
    if (i < 0 || i >= size) throw new Error(`indexSelect: index ${i} is out of range for axis ${axis} of size ${size}`);
    out[k] = i;
  }
  return out;
}

/**
 * The slices of x at `indices` along `axis`, in that order (repeats allowed), like
 * torch.index_select. The gradient adds each upstream slice back at its index, so repeated
 * indices accumulate.
 */
export function indexSelect(x: Tensor, axis: number, indices: Indices): Tensor {
  checkTensor('indexSelect', x);
  const a = normalizeAxis('indexSelect', axis, x.ndim);
  const size = x.ndim === 0 ? 1 : x.shape[a];
  const idx = toIndices(indices, a, size);
  let outer = 1;
  for (let d = 0; d < a; d++) outer *= x.shape[d];
  let inner = 1;
  for (let d = a + 1; d < x.ndim; d++) inner *= x.shape[d];
  const shape = x.ndim === 0 ? [idx.length] : x.shape.slice();
  shape[a] = idx.length;
  const out = empty(shape);
  // Each selected index is one [outer, inner] box: rows `size·inner` apart in x, `count·inner` apart in out.
  const box = [outer, inner];
  const xStrides = [size * inner, 1];
  const outStrides = [idx.length * inner, 1];
  const be = backend();
  for (let k = 0; k < idx.length; k++) {
    be.copyStrided(x.data, idx[k] * inner, xStrides, out.data, k * inner, outStrides, box, false);
  }
  return record('indexSelect', out, [x], (g) => {
    const dx = zeros(x.shape);
    for (let k = 0; k < idx.length; k++) {
      be.copyStrided(g.data, k * inner, outStrides, dx.data, idx[k] * inner, xStrides, box, true);
    }
    return [dx];
  }, { axis: a, indices: Array.from(idx) });
}
