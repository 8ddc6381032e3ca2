import type { Tensor } from '../tensor.js';
import { record } from '../autograd/node.js';
import { asTensor, sumTo, type TensorLike } from './util.js';
import { applyBinary } from './compare.js';

const HALF = asTensor('maximum', 0.5);
const ONE = asTensor('maximum', 1);

/**
 * The share of the gradient that goes to x in max/min(x, y): 0 where x strictly loses, ½ on
 * ties (PyTorch splits them), 1 otherwise, NaN included (PyTorch's rule, so a NaN on either
 * side gets the whole gradient); `wins` is 'gt' for maximum, 'lt' for minimum.
 */
export function winnerShare(wins: 'gt' | 'lt', x: Tensor, y: Tensor): Tensor {
  const loses = applyBinary(wins === 'gt' ? 'lt' : 'gt', x, y);
  const losesOrTies = applyBinary(wins === 'gt' ? 'le' : 'ge', x, y);
  return applyBinary('sub', ONE, applyBinary('mul', applyBinary('add', loses, losesOrTies), HALF));
}

/** Elementwise larger of a and b (broadcasting); the gradient goes to the larger, split on ties. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor('maximum', a);
  const y = asTensor('maximum', b);
  return record('maximum', applyBinary('maximum', x, y), [x, y], (g) => [
    x.requiresGrad ? sumTo(applyBinary('mul', g, winnerShare('gt', x, y)), x.shape) : null,
    y.requiresGrad ? sumTo(applyBinary('mul', g, winnerShare('gt', y, x)), y.shape) : null,
  ]);
}
