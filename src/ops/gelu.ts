import type { Tensor } from '../tensor.js';
import { unaryOp } from './elementwise.js';
import type { TensorLike } from './util.js';

/** x·Φ(x) with the exact Gaussian CDF Φ (erf form, torch's default); local gradient Φ(x) + x·φ(x). */
export function gelu(x: TensorLike): Tensor {
  return unaryOp('gelu', x);
}
