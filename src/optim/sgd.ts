/**
 * SGD (torch.optim.SGD): θ ← θ − lr·d, where d is the gradient (plus weightDecay·θ), or, with
 * momentum, the buffer b ← momentum·b + (1 − dampening)·g (b = g at the first step), or with
 * Nesterov g + momentum·b. With the whole data set as the batch this is plain gradient descent.
 */
import { Optimizer, type ParamsInput, type UpdateRule } from './optimizer.js';
import { boolean, inRange, nonNegative } from './options.js';
import { backend } from '../backend/registry.js';

export interface SGDOptions {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
}

export interface SGDState {
  step: number;
  /** Created at the first step with momentum (as a copy of the gradient, like PyTorch). */
  momentumBuffer: Float32Array | null;
}

export const sgdRule: UpdateRule<SGDOptions, SGDState> = {
  name: 'SGD',
  defaults: { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false },
  checks: {
    lr: nonNegative,
    momentum: nonNegative,
    dampening: inRange(0, 1),
    weightDecay: nonNegative,
    nesterov: boolean,
  },
  validate({ nesterov, momentum, dampening }) {
    if (nesterov && (momentum <= 0 || dampening !== 0)) {
      throw new Error(`SGD: nesterov requires momentum > 0 and dampening = 0, got momentum ${momentum} and dampening ${dampening}`);
    }
  },

  init: () => ({ step: 0, momentumBuffer: null }),

  update(param, grad, state, { lr, momentum, dampening, weightDecay, nesterov }) {
    state.step += 1;
    const initBuffer = momentum !== 0 && state.momentumBuffer === null;
    const buf = momentum === 0 ? null : (state.momentumBuffer ??= new Float32Array(param.length));
    // One pass in the backend's kernel (the reference loop is the js backend's sgdUpdate).
    return backend().sgdUpdate(param, grad, buf, { lr, momentum, dampening, weightDecay, nesterov, initBuffer });
  },

  // Row-sparse: θ[rows] −= lr·g, only without momentum and weight decay (which move every row), as PyTorch.
  sparseRefusal: ({ momentum, weightDecay }) =>
    momentum !== 0 || weightDecay !== 0 ? `SGD takes sparse gradients only with momentum 0 and weightDecay 0 (got momentum ${momentum}, weightDecay ${weightDecay})` : null,
  sparseUpdate(param, { indices, values, rowSize }, state, { lr }) {
    state.step += 1;
    backend().sparseSgdUpdate(param, rowSize, indices, values, lr);
  },
};

export class SGD extends Optimizer<SGDOptions, SGDState> {
  /** `lr` is required (in the constructor options or in every group). */
  constructor(params: ParamsInput<SGDOptions>, options: Partial<SGDOptions> = {}) {
    super(sgdRule, params, options);
  }
}
