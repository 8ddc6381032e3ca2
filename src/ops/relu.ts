import type { Tensor } from '../tensor.js';
import { unaryOp } from './elementwise.js';
import type { TensorLike } from './util.js';

/** max(x, 0); local gradient 1 for x > 0, else 0 (0 at the kink, like PyTorch). */
export function relu(x: TensorLike): Tensor {
  return unaryOp('relu', x);
}
