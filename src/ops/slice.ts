import type { Tensor } from '../tensor.js';
import { formatShape, stridesOf } from '../shape.js';
import { checkTensor } from './util.js';
import { takeBox } from './strided-box.js';

/**
 * One entry of a slice spec: an index (selects it and drops the axis; negative counts from the
 * end), null (the whole axis), or [start, end, step] with Python slice semantics.
 */
export type SliceEntry = number | null | readonly [start?: number | null, end?: number | null, step?: number];

/** Python's rule for a slice bound: negatives count from the end, then clamp to [0, size]. */
function bound(value: number | null | undefined, size: number, fallback: number, what: string, axis: number): number {
  if (value === null || value === undefined) return fallback;
  if (!Number.isInteger(value)) throw new Error(`slice: ${what} ${value} of axis ${axis} must be an integer`);
  const v = value < 0 ? value + size : value;
  return Math.min(Math.max(v, 0), size);
}

/**
 * Basic indexing, as x[i, a:b:s, :] in NumPy/PyTorch: `spec` has one entry per leading axis
 * (the rest are kept whole), e.g. slice(x, [null, [1, -1], 0]). Copies; the gradient scatters back.
 */
export function slice(x: Tensor, spec: readonly SliceEntry[]): Tensor {
  checkTensor('slice', x);
  if (!Array.isArray(spec)) throw new Error(`slice: spec must be an array with one entry per leading axis, got ${String(spec)}`);
  if (spec.length > x.ndim) {
    throw new Error(`slice: spec has ${spec.length} entries but the tensor has shape ${formatShape(x.shape)} (rank ${x.ndim})`);
  }
  const strides = stridesOf(x.shape);
  let offset = 0;
  const boxStrides: number[] = [];
  const boxShape: number[] = [];
  for (let axis = 0; axis < x.ndim; axis++) {
    const size = x.shape[axis];
    const entry = axis < spec.length ? spec[axis] : null;
    if (typeof entry === 'number') {
      if (!Number.isInteger(entry)) throw new Error(`slice: index ${entry} for axis ${axis} must be an integer`);
      if (entry < -size || entry >= size) {
        throw new Error(`slice: index ${entry} is out of range for axis ${axis} of size ${size}`);
      }
      offset += (entry < 0 ? entry + size : entry) * strides[axis];
    } else if (entry === null || entry === undefined) {
      boxStrides.push(strides[axis]);
      boxShape.push(size);
    } else if (Array.isArray(entry) && entry.length <= 3) {
      const [startArg, endArg, stepArg] = entry as readonly (number | null | undefined)[];
      const step = stepArg ?? 1;
      if (!Number.isInteger(step) || step < 1) throw new Error(`slice: step ${step} of axis ${axis} must be a positive integer`);
      const start = bound(startArg, size, 0, 'start', axis);
      const end = bound(endArg, size, size, 'end', axis);
      offset += start * strides[axis];
      boxStrides.push(strides[axis] * step);
      boxShape.push(Math.max(0, Math.ceil((end - start) / step)));
    } else {
      throw new Error(`slice: entry ${axis} must be a number, null or [start, end, step], got ${JSON.stringify(entry)}`);
    }
  }
  return takeBox('slice', x, { offset, strides: boxStrides, shape: boxShape }, { spec });
}
