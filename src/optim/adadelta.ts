/**
 * Adadelta (torch.optim.Adadelta): no global step size to tune — each coordinate's step is
 * g scaled by RMS(previous steps) / RMS(gradients): v ← ρv + (1 − ρ)g²,
 * Δ = √(u + eps) / √(v + eps) · g, u ← ρu + (1 − ρ)Δ², θ ← θ − lr·Δ.
 */
import { Optimizer, type ParamsInput, type UpdateRule } from './optimizer.js';
import { longLivedFloats } from '../long-lived-floats.js';
import { inRange, nonNegative } from './options.js';

export interface AdadeltaOptions {
  lr: number;
  rho: number;
  eps: number;
  weightDecay: number;
}

export interface AdadeltaState {
  step: number;
  /** Running mean of g². */
  squareAvg: Float32Array;
  /** Running mean of Δ². */
  accDelta: Float32Array;
}

export const adadeltaRule: UpdateRule<AdadeltaOptions, AdadeltaState> = {
  name: 'Adadelta',
  defaults: { lr: 1.0, rho: 0.9, eps: 1e-6, weightDecay: 0 },
  checks: {
    lr: nonNegative,
    rho: inRange(0, 1),
    eps: nonNegative,
    weightDecay: nonNegative,
  },

  init: (size) => ({ step: 0, squareAvg: longLivedFloats(size), accDelta: longLivedFloats(size) }),

  update(param, grad, state, { lr, rho, eps, weightDecay }) {
    state.step += 1;
    const v = state.squareAvg;
    const u = state.accDelta;
    for (let i = 0; i < param.length; i++) {
      const g = grad[i] + weightDecay * param[i];
      const vi = (v[i] = rho * v[i] + (1 - rho) * g * g);
      const delta = (Math.sqrt(u[i] + eps) / Math.sqrt(vi + eps)) * g;
      u[i] = rho * u[i] + (1 - rho) * delta * delta;
      param[i] -= lr * delta;
    }
  },
};

export class Adadelta extends Optimizer<AdadeltaOptions, AdadeltaState> {
  constructor(params: ParamsInput<AdadeltaOptions>, options: Partial<AdadeltaOptions> = {}) {
    super(adadeltaRule, params, options);
  }
}
