/**
 * Gradients a backward closure allocated for one input and shares with nothing else (a weight's
 * dW from a gemm, for instance). backward() hands such a gradient to a leaf as its .grad without
 * copying it; any other gradient reaching a leaf is copied, since it may be shared (add passes its
 * upstream gradient to both inputs, reshape returns a view of it).
 */
import type { Tensor } from '../tensor.js';

const exclusive = new WeakSet<Tensor>();

/** Marks t (freshly allocated by a backward closure, returned for a single input); returns t. */
export function exclusiveGrad<T extends Tensor | null>(t: T): T {
  if (t !== null) exclusive.add(t);
  return t;
}

export function isExclusiveGrad(t: Tensor): boolean {
  return exclusive.has(t);
}
