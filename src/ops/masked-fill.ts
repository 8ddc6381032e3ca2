import type { Tensor } from '../tensor.js';
import { record } from '../autograd/node.js';
import { broadcastShapes, formatShape } from '../shape.js';
import { asTensor, checkTensor, sumTo } from './util.js';
import { select } from './where.js';

const ZERO = asTensor('maskedFill', 0);

/** Throws unless every value of the mask is 0 or 1 (nabla's tensors are float: a boolean mask holds 0s and 1s). */
function checkBooleanMask(mask: Tensor): void {
  const m = mask.data;
  for (let i = 0; i < m.length; i++) {
    if (m[i] !== 0 && m[i] !== 1) throw new Error(`maskedFill: mask must hold only 0 and 1 (true = fill), got ${m[i]} at flat index ${i}`);
  }
}

/**
 * x with `value` where mask is 1 (torch.masked_fill): mask and x broadcast together, as torch's
 * out-of-place masked_fill. value may be ±Infinity (−Infinity before a softmax blocks a position).
 * The gradient reaches x where it was not filled; the mask gets none.
 */
export function maskedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  checkTensor('maskedFill', x);
  checkTensor('maskedFill', mask, 'mask');
  if (typeof value !== 'number') throw new Error(`maskedFill: value must be a number, got ${value === null ? 'null' : typeof value}`);
  let shape: number[];
  try {
    shape = broadcastShapes('maskedFill', x.shape, mask.shape);
  } catch {
    throw new Error(`maskedFill: mask ${formatShape(mask.shape)} cannot be broadcast with input ${formatShape(x.shape)}`);
  }
  checkBooleanMask(mask);
  const out = select(mask, asTensor('maskedFill', value), x, shape);
  return record('maskedFill', out, [x, mask], (g) => [
    x.requiresGrad ? sumTo(select(mask, ZERO, g, shape), x.shape) : null,
    null,
  ], { value });
}
