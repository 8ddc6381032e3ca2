/**
 * Adagrad (torch.optim.Adagrad): each coordinate's step shrinks with the sum of its squared
 * gradients, sum ← sum + g², θ ← θ − clr·g / (√sum + eps), clr = lr / (1 + (step − 1)·lrDecay).
 */
import { Optimizer, type ParamsInput, type UpdateRule } from './optimizer.js';
import { longLivedFloats } from '../long-lived-floats.js';
import { nonNegative } from './options.js';
import { backend } from '../backend/registry.js';

export interface AdagradOptions {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
}

export interface AdagradState {
  step: number;
  /** Σ g², starting at initialAccumulatorValue. */
  sum: Float32Array;
}

export const adagradRule: UpdateRule<AdagradOptions, AdagradState> = {
  name: 'Adagrad',
  defaults: { lr: 0.01, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 },
  checks: {
    lr: nonNegative,
    lrDecay: nonNegative,
    weightDecay: nonNegative,
    initialAccumulatorValue: nonNegative,
    eps: nonNegative,
  },

  init: (size, { initialAccumulatorValue }) => ({ step: 0, sum: longLivedFloats(size, initialAccumulatorValue) }),

  update(param, grad, state, { lr, lrDecay, weightDecay, eps }) {
    state.step += 1;
    const clr = lr / (1 + (state.step - 1) * lrDecay);
    const sum = state.sum;
    for (let i = 0; i < param.length; i++) {
      const g = grad[i] + weightDecay * param[i];
      const s = (sum[i] += g * g);
      param[i] -= (clr * g) / (Math.sqrt(s) + eps);
    }
  },

  // Row-sparse (as torch's sparse Adagrad): the same per coordinate on the touched rows. A coordinate with
  // zero gradient keeps its value in the dense rule, so from any start dense and sparse agree bit for bit.
  // weightDecay moves every coordinate: refused with a sparse gradient, as PyTorch.
  sparseRefusal: ({ weightDecay }) => (weightDecay !== 0 ? `Adagrad takes sparse gradients only with weightDecay 0 (got ${weightDecay})` : null),
  sparseUpdate(param, { indices, values, rowSize }, state, { lr, lrDecay, eps }) {
    state.step += 1;
    const clr = lr / (1 + (state.step - 1) * lrDecay);
    backend().sparseAdagradUpdate(param, state.sum, rowSize, indices, values, clr, eps);
  },
};

export class Adagrad extends Optimizer<AdagradOptions, AdagradState> {
  constructor(params: ParamsInput<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super(adagradRule, params, options);
  }
}
