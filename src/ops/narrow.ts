import type { Tensor } from '../tensor.js';
import { normalizeAxis, stridesOf } from '../shape.js';
import { checkTensor } from './util.js';
import { takeBox } from './strided-box.js';

/** The `length` elements of `axis` from `start` on (negative start counts from the end), like torch.narrow. */
export function narrow(x: Tensor, axis: number, start: number, length: number): Tensor {
  checkTensor('narrow', x);
  if (x.ndim === 0) throw new Error('narrow: cannot narrow a 0-d tensor');
  const a = normalizeAxis('narrow', axis, x.ndim);
  const size = x.shape[a];
  if (!Number.isInteger(start) || start < -size || start > size) {
    throw new Error(`narrow: start ${start} is out of range for axis ${a} of size ${size}`);
  }
  const from = start < 0 ? start + size : start;
  if (!Number.isInteger(length) || length < 0 || from + length > size) {
    throw new Error(`narrow: start ${from} + length ${length} exceeds axis ${a} of size ${size}`);
  }
  const shape = x.shape.slice();
  shape[a] = length;
  const strides = stridesOf(x.shape);
  return takeBox('narrow', x, { offset: from * strides[a], strides, shape }, { axis: a, start: from, length });
}
