import type { Tensor } from '../tensor.js';
import { unaryOp } from './elementwise.js';
import type { TensorLike } from './util.js';

/** 1/x; local gradient −1/x². */
export function reciprocal(x: TensorLike): Tensor {
  return unaryOp('reciprocal', x);
}
