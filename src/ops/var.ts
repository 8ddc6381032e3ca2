import type { Tensor } from '../tensor.js';
import { empty } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { normalizeAxes, reducedShape } from '../shape.js';
import { checkTensor, keptShape } from './util.js';
import { reducedCount } from './mean.js';

export interface VarOptions {
  /** Divide by n − 1 (Bessel's correction, the default, as torch.var) instead of n. */
  unbiased?: boolean;
  /** Subtracted from n in the divisor; overrides `unbiased` (torch.var's `correction`). */
  correction?: number;
  keepDims?: boolean;
}

/**
 * Variance over `axis` (a number, a list, or all axes when omitted): Σ(x − mean)² / (n − correction).
 * The gradient is g · 2(x − mean) / (n − correction). Exported as `var` (a reserved word for a
 * function name in JavaScript).
 */
export function variance(x: Tensor, axis?: number | number[], options: VarOptions = {}): Tensor {
  checkTensor('var', x);
  const { unbiased = true, keepDims = false } = options;
  const correction = options.correction ?? (unbiased ? 1 : 0);
  if (typeof correction !== 'number' || !Number.isFinite(correction) || correction < 0) {
    throw new Error(`var: correction must be a non-negative number, got ${String(options.correction)}`);
  }
  const axes = normalizeAxes('var', axis, x.ndim);
  const kept = keptShape(x.shape, axes);
  const n = reducedCount(x.shape, axes);
  const be = backend();
  const mean = empty(kept);
  be.reduce('sum', x.data, x.shape, axes, mean.data);
  be.binary('div', mean.data, kept, Float32Array.of(n), [], mean.data, kept);
  const centered = empty(x.shape.slice());
  be.binary('sub', x.data, x.shape, mean.data, kept, centered.data, x.shape);
  const squares = empty(x.shape.slice());
  be.unary('square', centered.data, squares.data);
  const out = empty(reducedShape(x.shape, axes, keepDims));
  be.reduce('sum', squares.data, x.shape, axes, out.data);
  // n − correction ≤ 0 gives inf or NaN, as in PyTorch.
  const divisor = Float32Array.of(n - correction);
  be.binary('div', out.data, out.shape, divisor, [], out.data, out.shape);
  return record('var', out, [x], (g) => {
    // g / ((n − correction) / 2) is exactly 2·g / (n − correction): the factor 2 costs no pass over x.
    const scale = empty(kept);
    be.binary('div', g.data, kept, Float32Array.of(divisor[0] / 2), [], scale.data, kept);
    const dx = empty(x.shape.slice());
    be.binary('mul', centered.data, x.shape, scale.data, kept, dx.data, x.shape);
    return [dx];
  }, { axis: axes, correction, keepDims });
}
