/** A node of the computational graph: the op that produced a tensor, its inputs, and its backward closure. */
import type { Tensor } from '../tensor.js';
import { isGradEnabled } from './grad-mode.js';
import { anomalyMode, checkForward } from './anomaly.js';

/**
 * Given dL/d(output), returns dL/d(input) for each input (null where an input needs none).
 * Each returned gradient has its input's shape; the engine accumulates them with +=.
 */
export type BackwardFn = (grad: Tensor) => (Tensor | null)[];

export interface GraphNode {
  op: string;
  inputs: Tensor[];
  backward: BackwardFn;
  /** Constants of the op worth showing (an exponent, an axis, a slope). */
  attrs?: Record<string, unknown>;
  /** After backward(): dL/d(output) at this node (the upstream gradient). */
  grad?: Tensor;
  /** After backward(): the gradient this node sent to each input (the downstream gradients). */
  inputGrads?: (Tensor | null)[];
  /** Under anomaly detection: the stack where the op ran, to report where a bad value came from. */
  callSite?: Error;
}

/**
 * Links `out` into the graph when grad mode is on and any input requires grad; returns out.
 * Ops call this after computing their forward value, with their backward beside it.
 */
export function record(
  op: string, out: Tensor, inputs: Tensor[], backward: BackwardFn, attrs?: Record<string, unknown>,
): Tensor {
  const callSite = anomalyMode.enabled ? checkForward(op, out, inputs) : undefined;
  if (!isGradEnabled()) return out;
  for (const t of inputs) {
    if (t.requiresGrad) {
      out.requiresGrad = true;
      out.node = { op, inputs, backward, attrs, callSite };
      return out;
    }
  }
  return out;
}
