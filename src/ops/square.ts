import type { Tensor } from '../tensor.js';
import { unaryOp } from './elementwise.js';
import type { TensorLike } from './util.js';

/** x²; local gradient 2x. */
export function square(x: TensorLike): Tensor {
  return unaryOp('square', x);
}
