import type { Tensor } from '../tensor.js';
import { unaryOp } from './elementwise.js';
import type { TensorLike } from './util.js';

/** σ(x) = 1 / (1 + e^−x), one fused op whose local gradient is σ(x)(1 − σ(x)). */
export function sigmoid(x: TensorLike): Tensor {
  return unaryOp('sigmoid', x);
}
