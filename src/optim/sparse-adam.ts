/**
 * SparseAdam (torch.optim.SparseAdam): a lazy Adam for embeddings with sparse: true. Only the rows a
 * step touches move, and only their moments: m ← m + (g − m)(1 − β1), v ← v + (g² − v)(1 − β2),
 * θ ← θ − lr·√(1 − β2ᵗ)/(1 − β1ᵗ) · m / (√v + eps), t the parameter's step count (every step). A
 * dense gradient is taken too (every row touched: plain Adam without weight decay), so one
 * optimizer can drive a model with an embedding and dense layers; PyTorch 1.13 refuses dense ones.
 */
import { Optimizer, type ParamsInput, type UpdateRule } from './optimizer.js';
import { longLivedFloats } from '../long-lived-floats.js';
import { inRange, nonNegative, pairOf } from './options.js';
import { backend } from '../backend/registry.js';

export interface SparseAdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
}

export interface SparseAdamState {
  step: number;
  expAvg: Float32Array;
  expAvgSq: Float32Array;
}

/** lr·√(1 − β2ᵗ)/(1 − β1ᵗ): the bias corrections folded into the step. */
const stepSizeAt = (step: number, lr: number, beta1: number, beta2: number) => (lr * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);

export const sparseAdamRule: UpdateRule<SparseAdamOptions, SparseAdamState> = {
  name: 'SparseAdam',
  defaults: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8 },
  checks: { lr: nonNegative, betas: pairOf(inRange(0, 1, { openHi: true })), eps: nonNegative },

  init: (size) => ({ step: 0, expAvg: longLivedFloats(size), expAvgSq: longLivedFloats(size) }),

  // Dense: the same per coordinate on every one (the js loop, as sparseAdamUpdate's).
  update(param, grad, state, { lr, betas: [beta1, beta2], eps }) {
    const stepSize = stepSizeAt((state.step += 1), lr, beta1, beta2);
    const { expAvg: m, expAvgSq: v } = state;
    for (let i = 0; i < param.length; i++) {
      const g = grad[i];
      m[i] = m[i] + (g - m[i]) * (1 - beta1);
      v[i] = v[i] + (g * g - v[i]) * (1 - beta2);
      param[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) + eps);
    }
  },

  sparseUpdate(param, { indices, values, rowSize }, state, { lr, betas: [beta1, beta2], eps }) {
    const stepSize = stepSizeAt((state.step += 1), lr, beta1, beta2);
    backend().sparseAdamUpdate(param, state.expAvg, state.expAvgSq, rowSize, indices, values, { beta1, beta2, eps, stepSize });
  },
};

export class SparseAdam extends Optimizer<SparseAdamOptions, SparseAdamState> {
  constructor(params: ParamsInput<SparseAdamOptions>, options: Partial<SparseAdamOptions> = {}) {
    super(sparseAdamRule, params, options);
  }
}
