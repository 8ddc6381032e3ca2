import type { Tensor } from '../tensor.js';
import { unaryOp } from './elementwise.js';
import type { TensorLike } from './util.js';

/** x for x > 0, alpha·(eˣ − 1) otherwise; local gradient 1, or y + alpha for x ≤ 0. */
export function elu(x: TensorLike, alpha = 1): Tensor {
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) {
    throw new Error(`elu: alpha must be a finite number, got ${String(alpha)}`);
  }
  return unaryOp('elu', x, { alpha }, { alpha });
}
