import type { Tensor } from '../tensor.js';
import { unaryOp } from './elementwise.js';
import type { TensorLike } from './util.js';

/** x for x > 0, negativeSlope·x otherwise; the slope keeps a gradient flowing for negative inputs. */
export function leakyRelu(x: TensorLike, negativeSlope = 0.01): Tensor {
  if (typeof negativeSlope !== 'number' || !Number.isFinite(negativeSlope)) {
    throw new Error(`leakyRelu: negativeSlope must be a finite number, got ${String(negativeSlope)}`);
  }
  return unaryOp('leakyRelu', x, { alpha: negativeSlope }, { negativeSlope });
}
