/**
 * Adam (torch.optim.Adam): running means of g and g² (m, v), bias-corrected, give the step
 * θ ← θ − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + eps). AMSGrad divides by the running maximum
 * of v instead (PyTorch keeps the maximum of the raw v, then bias-corrects it).
 */
import { Optimizer, type ParamsInput, type UpdateRule } from './optimizer.js';
import { boolean, inRange, nonNegative, pairOf } from './options.js';

export interface AdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
}

export interface AdamState {
  step: number;
  expAvg: Float32Array;
  expAvgSq: Float32Array;
  /** max over steps of expAvgSq (amsgrad only; created when first needed). */
  maxExpAvgSq: Float32Array | null;
}

export const adamChecks = {
  lr: nonNegative,
  betas: pairOf(inRange(0, 1, { openHi: true })),
  eps: nonNegative,
  weightDecay: nonNegative,
  amsgrad: boolean,
};

export function initAdamState(size: number): AdamState {
  return { step: 0, expAvg: new Float32Array(size), expAvgSq: new Float32Array(size), maxExpAvgSq: null };
}

/**
 * One Adam step. `decoupled` selects AdamW's weight decay (θ ← θ·(1 − lr·weightDecay) before
 * the step) instead of Adam's L2 term added to the gradient.
 */
export function adamStep(param: Float32Array, grad: Float32Array, state: AdamState, options: AdamOptions, decoupled: boolean): void {
  const { lr, betas: [beta1, beta2], eps, weightDecay, amsgrad } = options;
  const step = (state.step += 1);
  const stepSize = lr / (1 - beta1 ** step);
  const bias2Sqrt = Math.sqrt(1 - beta2 ** step);
  const l2 = decoupled ? 0 : weightDecay;
  const shrink = decoupled ? 1 - lr * weightDecay : 1;
  const m = state.expAvg;
  const v = state.expAvgSq;
  const vMax = amsgrad ? (state.maxExpAvgSq ??= new Float32Array(param.length)) : null;
  for (let i = 0; i < param.length; i++) {
    const p = param[i] * shrink;
    const g = grad[i] + l2 * p;
    const mi = (m[i] = beta1 * m[i] + (1 - beta1) * g);
    let vi = (v[i] = beta2 * v[i] + (1 - beta2) * g * g);
    if (vMax) vi = vMax[i] = Math.max(vMax[i], vi);
    param[i] = p - (stepSize * mi) / (Math.sqrt(vi) / bias2Sqrt + eps);
  }
}

export const adamRule: UpdateRule<AdamOptions, AdamState> = {
  name: 'Adam',
  defaults: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false },
  checks: adamChecks,
  init: initAdamState,
  update: (param, grad, state, options) => adamStep(param, grad, state, options, false),
};

export class Adam extends Optimizer<AdamOptions, AdamState> {
  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(adamRule, params, options);
  }
}
