import type { Tensor } from '../tensor.js';
import { unaryOp } from './elementwise.js';
import type { TensorLike } from './util.js';

function checkBound(name: string, value: number | undefined): void {
  if (value !== undefined && (typeof value !== 'number' || Number.isNaN(value))) {
    throw new Error(`clamp: ${name} must be a number or undefined, got ${String(value)}`);
  }
}

/** x limited to [min, max] (either bound may be omitted); the gradient is 1 inside, 0 outside. */
export function clamp(x: TensorLike, min?: number, max?: number): Tensor {
  checkBound('min', min);
  checkBound('max', max);
  if (min === undefined && max === undefined) throw new Error('clamp: at least one of min and max must be given');
  if (min !== undefined && max !== undefined && min > max) {
    throw new Error(`clamp: min (${min}) must not be greater than max (${max})`);
  }
  return unaryOp('clamp', x, { min, max }, { min, max });
}
