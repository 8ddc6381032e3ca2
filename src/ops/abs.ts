import type { Tensor } from '../tensor.js';
import { unaryOp } from './elementwise.js';
import type { TensorLike } from './util.js';

/** |x|; local gradient sign(x) (0 at 0, like PyTorch). */
export function abs(x: TensorLike): Tensor {
  return unaryOp('abs', x);
}
