import type { Tensor } from '../tensor.js';
import { unaryOp } from './elementwise.js';
import type { TensorLike } from './util.js';

/** eˣ; its local gradient is its own output. */
export function exp(x: TensorLike): Tensor {
  return unaryOp('exp', x);
}
