import type { Tensor } from '../../tensor.js';
import { sub } from '../../ops/sub.js';
import { abs } from '../../ops/abs.js';
import { checkReduction, checkSameShape, reduceLoss, type LossOptions } from './reduction.js';

/** Mean absolute error |input − target|, reduced. */
export function l1Loss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  const { reduction = 'mean' } = options;
  checkReduction('l1Loss', reduction);
  checkSameShape('l1Loss', input, target);
  return reduceLoss(abs(sub(input, target)), reduction);
}
