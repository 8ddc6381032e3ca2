import { Tensor } from '../../tensor.js';
import { formatShape } from '../../shape.js';
import { mul } from '../../ops/mul.js';
import { sum } from '../../ops/sum.js';
import { neg } from '../../ops/neg.js';
import { checkTensor } from '../../ops/util.js';
import { classIndices, type ClassIndices } from '../../ops/cross-entropy.js';
import { checkReduction, reduceLoss, type LossOptions } from './reduction.js';

/**
 * Negative log-likelihood of log-probabilities [N, C] (e.g. from logSoftmax) at the target
 * classes: −input[n, target[n]], reduced. Picks the entries with a one-hot mask.
 */
export function nllLoss(input: Tensor, target: ClassIndices, options: LossOptions = {}): Tensor {
  const { reduction = 'mean' } = options;
  checkTensor('nllLoss', input);
  if (input.ndim !== 2) throw new Error(`nllLoss: input must be 2-D log-probabilities [N, C], got shape ${formatShape(input.shape)}`);
  checkReduction('nllLoss', reduction);
  const [n, c] = input.shape;
  const classes = classIndices('nllLoss', target, n, c);
  const oneHot = new Float32Array(n * c);
  for (let i = 0; i < n; i++) oneHot[i * c + classes[i]] = 1;
  const picked = sum(mul(input, new Tensor(oneHot, [n, c])), 1);
  return reduceLoss(neg(picked), reduction);
}
