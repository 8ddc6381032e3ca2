/** The `reduction` option shared by the losses: 'mean' (default), 'sum', or 'none' (per element). */
import type { Tensor } from '../../tensor.js';
import { formatShape, sameShape } from '../../shape.js';
import { mean } from '../../ops/mean.js';
import { sum } from '../../ops/sum.js';
import { checkTensor } from '../../ops/util.js';

export type Reduction = 'mean' | 'sum' | 'none';

export interface LossOptions {
  reduction?: Reduction;
}

export function checkReduction(op: string, reduction: unknown): asserts reduction is Reduction {
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new Error(`${op}: reduction must be 'mean', 'sum' or 'none', got '${String(reduction)}'`);
  }
}

/** Reduces an elementwise loss as requested. */
export function reduceLoss(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'none') return loss;
  return reduction === 'sum' ? sum(loss) : mean(loss);
}

/** Both operands are tensors of the same shape (the elementwise losses do not broadcast). */
export function checkSameShape(op: string, input: unknown, target: unknown): void {
  checkTensor(op, input, 'input');
  checkTensor(op, target, 'target');
  if (!sameShape(input.shape, target.shape)) {
    throw new Error(`${op}: input shape ${formatShape(input.shape)} and target shape ${formatShape(target.shape)} must be equal`);
  }
}
