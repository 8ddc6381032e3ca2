/**
 * AdamW (torch.optim.AdamW): Adam with decoupled weight decay — the parameter shrinks by
 * lr·weightDecay before the Adam step instead of weightDecay·θ being added to the gradient.
 */
import { Optimizer, type ParamsInput, type UpdateRule } from './optimizer.js';
import { adamChecks, adamStep, initAdamState, type AdamOptions, type AdamState } from './adam.js';

export type AdamWOptions = AdamOptions;

export const adamwRule: UpdateRule<AdamWOptions, AdamState> = {
  name: 'AdamW',
  defaults: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false },
  checks: adamChecks,
  init: initAdamState,
  update: (param, grad, state, options) => adamStep(param, grad, state, options, true),
};

export class AdamW extends Optimizer<AdamWOptions, AdamState> {
  constructor(params: ParamsInput<AdamWOptions>, options: Partial<AdamWOptions> = {}) {
    super(adamwRule, params, options);
  }
}
