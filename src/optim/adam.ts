/**
 * Adam (torch.optim.Adam): running means of g and g² (m, v), bias-corrected, give the step
 * θ ← θ − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + eps). AMSGrad divides by the running maximum
 * of v instead (PyTorch keeps the maximum of the raw v, then bias-corrects it).
 */
import { Optimizer, type ParamsInput, type UpdateRule } from './optimizer.js';
import { longLivedFloats } from '../long-lived-floats.js';
import { boolean, inRange, nonNegative, pairOf } from './options.js';
import { backend } from '../backend/registry.js';

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
  return { step: 0, expAvg: longLivedFloats(size), expAvgSq: longLivedFloats(size), maxExpAvgSq: null };
}

/**
 * One Adam step. `decoupled` selects AdamW's weight decay (θ ← θ·(1 − lr·weightDecay) before
 * the step) instead of Adam's L2 term added to the gradient.
 */
export function adamStep(param: Float32Array, grad: Float32Array, state: AdamState, options: AdamOptions, decoupled: boolean): boolean {
  const { lr, betas: [beta1, beta2], eps, weightDecay, amsgrad } = options;
  const step = (state.step += 1);
  const vMax = amsgrad ? (state.maxExpAvgSq ??= new Float32Array(param.length)) : null;
  // One pass in the backend's kernel (the reference loop is the js backend's adamUpdate); whether all of param is finite.
  return backend().adamUpdate(param, grad, state.expAvg, state.expAvgSq, vMax, { lr, beta1, beta2, eps, weightDecay, decoupled, step });
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
