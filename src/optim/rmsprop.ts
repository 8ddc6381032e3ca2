/**
 * RMSprop (torch.optim.RMSprop): divide the gradient by a running root mean square,
 * v ← alpha·v + (1 − alpha)·g², θ ← θ − lr·g / (√v + eps). Centered subtracts the squared
 * running mean of g from v (an estimate of the variance); momentum accumulates the scaled step.
 */
import { Optimizer, type ParamsInput, type UpdateRule } from './optimizer.js';
import { longLivedFloats } from '../long-lived-floats.js';
import { boolean, inRange, nonNegative } from './options.js';

export interface RMSpropOptions {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
}

export interface RMSpropState {
  step: number;
  squareAvg: Float32Array;
  /** Running mean of g (centered only; created when first needed). */
  gradAvg: Float32Array | null;
  /** Momentum buffer (momentum > 0 only; created when first needed). */
  momentumBuffer: Float32Array | null;
}

export const rmspropRule: UpdateRule<RMSpropOptions, RMSpropState> = {
  name: 'RMSprop',
  defaults: { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false },
  checks: {
    lr: nonNegative,
    alpha: inRange(0, 1),
    eps: nonNegative,
    weightDecay: nonNegative,
    momentum: nonNegative,
    centered: boolean,
  },

  init: (size) => ({ step: 0, squareAvg: longLivedFloats(size), gradAvg: null, momentumBuffer: null }),

  update(param, grad, state, { lr, alpha, eps, weightDecay, momentum, centered }) {
    state.step += 1;
    const n = param.length;
    const sq = state.squareAvg;
    const mean = centered ? (state.gradAvg ??= new Float32Array(n)) : null;
    const buf = momentum > 0 ? (state.momentumBuffer ??= new Float32Array(n)) : null;
    for (let i = 0; i < n; i++) {
      const g = grad[i] + weightDecay * param[i];
      let v = (sq[i] = alpha * sq[i] + (1 - alpha) * g * g);
      if (mean) {
        const m = (mean[i] = alpha * mean[i] + (1 - alpha) * g);
        v -= m * m;
      }
      // Centered, v − m² ≥ 0 holds exactly but not in float32 state: clamp, or a constant tiny gradient gives √(−ε) = NaN.
      const scaled = g / (Math.sqrt(Math.max(v, 0)) + eps);
      if (buf) param[i] -= lr * (buf[i] = momentum * buf[i] + scaled);
      else param[i] -= lr * scaled;
    }
  },
};

export class RMSprop extends Optimizer<RMSpropOptions, RMSpropState> {
  constructor(params: ParamsInput<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super(rmspropRule, params, options);
  }
}
