/** The training loss fit() and evaluate() use: a named loss or any (output, labels) → scalar function. */
import type { Tensor } from '../tensor.js';
import { crossEntropy } from '../ops/cross-entropy.js';

export type LossFn = (output: Tensor, labels: Int32Array) => Tensor;
export type LossOption = 'crossEntropy' | LossFn;

export function resolveLoss(loss: LossOption = 'crossEntropy'): LossFn {
  if (loss === 'crossEntropy') return (out, y) => crossEntropy(out, y);
  if (typeof loss === 'function') return loss;
  throw new Error(`fit: loss must be 'crossEntropy' or a function (output, labels) => Tensor, got ${JSON.stringify(loss)}`);
}
