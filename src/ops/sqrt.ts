import type { Tensor } from '../tensor.js';
import { unaryOp } from './elementwise.js';
import type { TensorLike } from './util.js';

/** √x; local gradient 1/(2√x). */
export function sqrt(x: TensorLike): Tensor {
  return unaryOp('sqrt', x);
}
