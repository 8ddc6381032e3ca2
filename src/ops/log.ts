import type { Tensor } from '../tensor.js';
import { unaryOp } from './elementwise.js';
import type { TensorLike } from './util.js';

/** Natural logarithm; local gradient 1/x. */
export function log(x: TensorLike): Tensor {
  return unaryOp('log', x);
}
