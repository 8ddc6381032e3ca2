import type { Tensor } from '../tensor.js';
import { unaryOp } from './elementwise.js';
import type { TensorLike } from './util.js';

/** tanh(x), one fused op whose local gradient is 1 − tanh²(x) (≤ 1, vanishing as |x| grows). */
export function tanh(x: TensorLike): Tensor {
  return unaryOp('tanh', x);
}
