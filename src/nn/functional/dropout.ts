import type { Tensor } from '../../tensor.js';
import { emptyUninitialized } from '../../creation.js';
import { stateWords } from '../../random.js';
import { backend } from '../../backend/registry.js';
import { mul } from '../../ops/mul.js';
import { checkTensor } from '../../ops/util.js';

/**
 * Inverted dropout: in training, each element is zeroed with probability p and the survivors
 * are scaled by 1/(1 − p), so evaluation needs no rescaling. The mask comes from the seeded
 * generator; the gradient flows through the same mask.
 */
export function dropout(x: Tensor, p = 0.5, training = true): Tensor {
  checkTensor('dropout', x);
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new Error(`dropout: p must be a probability in [0, 1], got ${String(p)}`);
  if (!training || p === 0) return x;
  return mul(x, dropoutMask(x.shape, p));
}

/**
 * Dropout's multipliers: 1/(1 − p) where a uniform draw u ≥ p (probability 1 − p), else 0 (all 0 for p = 1),
 * from the seeded generator: the draws rand(shape) would make, in one kernel call.
 */
export function dropoutMask(shape: number[], p: number): Tensor {
  const mask = emptyUninitialized(shape);
  backend().dropoutMask(stateWords(), p, mask.data);
  return mask;
}
