import type { Tensor } from '../../tensor.js';
import { emptyUninitialized } from '../../creation.js';
import { backend } from '../../backend/registry.js';
import { record } from '../../autograd/node.js';
import { nextUint32 } from '../../random.js';
import { checkTensor } from '../../ops/util.js';

/**
 * Inverted dropout: in training, each element is zeroed with probability p and the survivors
 * are scaled by 1/(1 − p), so evaluation needs no rescaling. One op over the backends' dropout
 * kernels: the mask is a hash of each element's index keyed by two draws of the seeded generator
 * (Backend.dropoutMask), kept as one byte per element for the backward, which sends the gradient
 * through the same mask.
 */
export function dropout(x: Tensor, p = 0.5, training = true): Tensor {
  checkTensor('dropout', x);
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new Error(`dropout: p must be a probability in [0, 1], got ${String(p)}`);
  if (!training || p === 0) return x;
  const be = backend();
  const out = emptyUninitialized(x.shape.slice());
  const keep = new Uint8Array(x.size);
  be.dropout(nextUint32(), nextUint32(), p, x.data, out.data, keep);
  return record('dropout', out, [x], (g) => {
    const dx = emptyUninitialized(x.shape.slice());
    be.dropoutBackward(g.data, keep, p, dx.data);
    return [dx];
  }, { p });
}

/** Dropout's keep mask for n elements (1 = kept, probability 1 − p), drawn as dropout draws it. */
export function dropoutKeep(n: number, p: number): Uint8Array {
  const keep = new Uint8Array(n);
  backend().dropoutMask(nextUint32(), nextUint32(), p, keep);
  return keep;
}
