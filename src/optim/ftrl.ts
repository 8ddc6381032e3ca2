/**
 * FTRL-Proximal, as keras.optimizers.Ftrl (Keras 3) computes it. Per coordinate, with the
 * accumulator n (from initialAccumulatorValue) and the linear term z (from 0):
 *   n' = n + g²,  z ← z + (g + 2·l2Shrinkage·θ) − (n'^(−lrPower) − n^(−lrPower))/lr · θ,
 *   θ ← |z| ≤ l1 ? 0 : (sign(z)·l1 − z) / (n'^(−lrPower)/lr + 2·(l2 + beta/(2·lr))).
 * L1 sets coordinates exactly to zero: the sparsity FTRL is used for.
 */
import { Optimizer, type ParamsInput, type UpdateRule } from './optimizer.js';
import { longLivedFloats } from '../long-lived-floats.js';
import { inRange, nonNegative } from './options.js';
import { backend } from '../backend/registry.js';

export interface FTRLOptions {
  lr: number;
  lrPower: number;
  initialAccumulatorValue: number;
  l1: number;
  l2: number;
  l2Shrinkage: number;
  beta: number;
}

export interface FTRLState {
  step: number;
  /** n: Σ g², from initialAccumulatorValue. */
  accumulator: Float32Array;
  /** z: the linear term. */
  linear: Float32Array;
}

export const ftrlRule: UpdateRule<FTRLOptions, FTRLState> = {
  name: 'FTRL',
  defaults: { lr: 1e-3, lrPower: -0.5, initialAccumulatorValue: 0.1, l1: 0, l2: 0, l2Shrinkage: 0, beta: 0 },
  checks: {
    // lr divides (n^(−lrPower)/lr, beta/(2·lr)), so 0 is not allowed.
    lr: inRange(0, Infinity, { openLo: true }),
    lrPower: inRange(-Infinity, 0),
    initialAccumulatorValue: nonNegative,
    l1: nonNegative,
    l2: nonNegative,
    l2Shrinkage: nonNegative,
    beta: nonNegative,
  },

  init: (size, { initialAccumulatorValue }) => ({
    step: 0,
    accumulator: longLivedFloats(size, initialAccumulatorValue),
    linear: longLivedFloats(size),
  }),

  update(param, grad, state, { lr, lrPower, l1, l2, l2Shrinkage, beta }) {
    state.step += 1;
    const n = state.accumulator;
    const z = state.linear;
    const power = -lrPower;
    const l2Total = 2 * (l2 + beta / (2 * lr));
    for (let i = 0; i < param.length; i++) {
      const g = grad[i];
      const w = param[i];
      const before = n[i] ** power;
      n[i] = n[i] + g * g;
      // θ from the stored (float32) n and z, as Keras's float32 variables: so θ is a function of the
      // state alone, and a step with g = 0 (and no l2Shrinkage) gives back the very same θ.
      const after = n[i] ** power;
      z[i] = z[i] + g + 2 * l2Shrinkage * w - ((after - before) / lr) * w;
      const zi = z[i];
      param[i] = Math.abs(zi) <= l1 ? 0 : (Math.sign(zi) * l1 - zi) / (after / lr + l2Total);
    }
  },

  // Row-sparse: the same per coordinate on the touched rows (backend sparseFtrlUpdate). Dense, a row with
  // g = 0 keeps n and z and so gets θ(z, n) again: its value after its last touch, or 0 if never touched
  // (z = 0) — hence sparse equals dense bit for bit when the weights start at 0 (θ(0, n₀) = 0), as FTRL
  // models do. l2Shrinkage moves every coordinate at every step: refused with a sparse gradient.
  sparseRefusal: ({ l2Shrinkage }) =>
    l2Shrinkage !== 0 ? `FTRL takes sparse gradients only with l2Shrinkage 0 (it moves every coordinate at every step; got ${l2Shrinkage})` : null,
  sparseUpdate(param, { indices, values, rowSize }, state, { lr, lrPower, l1, l2, beta }) {
    state.step += 1;
    backend().sparseFtrlUpdate(param, state.accumulator, state.linear, rowSize, indices, values, { lr, lrPower, l1, l2, beta });
  },
};

export class FTRL extends Optimizer<FTRLOptions, FTRLState> {
  constructor(params: ParamsInput<FTRLOptions>, options: Partial<FTRLOptions> = {}) {
    super(ftrlRule, params, options);
  }
}
