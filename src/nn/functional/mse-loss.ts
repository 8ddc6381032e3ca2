import type { Tensor } from '../../tensor.js';
import { sub } from '../../ops/sub.js';
import { square } from '../../ops/square.js';
import { checkReduction, checkSameShape, reduceLoss, type LossOptions } from './reduction.js';

/** Mean squared error (input − target)², reduced. */
export function mseLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  const { reduction = 'mean' } = options;
  checkReduction('mseLoss', reduction);
  checkSameShape('mseLoss', input, target);
  return reduceLoss(square(sub(input, target)), reduction);
}
