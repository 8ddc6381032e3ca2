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

/**
 * n and z side by side, coordinate i's at 2i and 2i + 1: a row of a sparse embedding's state is then
 * one stretch of memory, not two far apart (on a 2^24-row table, one cache miss per row instead of
 * two). stateDict() shows them as Keras's two variables, `accumulator` (n) and `linear` (z).
 */
export interface FTRLState {
  step: number;
  /** [n_0, z_0, n_1, z_1, …]: n = Σ g² from initialAccumulatorValue, z the linear term from 0. */
  nz: Float32Array;
}

/** A fresh state's nz for `size` coordinates: n = initialAccumulatorValue, z = 0. */
function initialNz(size: number, initialAccumulatorValue: number): Float32Array {
  const nz = longLivedFloats(2 * size);
  if (initialAccumulatorValue !== 0) for (let i = 0; i < nz.length; i += 2) nz[i] = initialAccumulatorValue;
  return nz;
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

  init: (size, { initialAccumulatorValue }) => ({ step: 0, nz: initialNz(size, initialAccumulatorValue) }),

  update(param, grad, state, { lr, lrPower, l1, l2, l2Shrinkage, beta }) {
    state.step += 1;
    const nz = state.nz;
    const power = -lrPower;
    const l2Total = 2 * (l2 + beta / (2 * lr));
    for (let i = 0; i < param.length; i++) {
      const g = grad[i];
      const w = param[i];
      const before = nz[2 * i] ** power;
      nz[2 * i] = nz[2 * i] + g * g;
      // θ from the stored (float32) n and z, as Keras's float32 variables: so θ is a function of the
      // state alone, and a step with g = 0 (and no l2Shrinkage) gives back the very same θ.
      const after = nz[2 * i] ** power;
      nz[2 * i + 1] = nz[2 * i + 1] + g + 2 * l2Shrinkage * w - ((after - before) / lr) * w;
      const zi = nz[2 * i + 1];
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
    backend().sparseFtrlUpdate(param, state.nz, rowSize, indices, values, { lr, lrPower, l1, l2, beta });
  },

  toDict({ step, nz }) {
    const accumulator = new Float32Array(nz.length / 2);
    const linear = new Float32Array(nz.length / 2);
    for (let i = 0; i < accumulator.length; i++) {
      accumulator[i] = nz[2 * i];
      linear[i] = nz[2 * i + 1];
    }
    return { step, accumulator, linear };
  },
  fromDict({ step, accumulator, linear }, fresh) {
    const n = accumulator as ArrayLike<number>;
    const z = linear as ArrayLike<number>;
    for (let i = 0; i < n.length; i++) {
      fresh.nz[2 * i] = n[i];
      fresh.nz[2 * i + 1] = z[i];
    }
    fresh.step = step as number;
    return fresh;
  },
};

export class FTRL extends Optimizer<FTRLOptions, FTRLState> {
  constructor(params: ParamsInput<FTRLOptions>, options: Partial<FTRLOptions> = {}) {
    super(ftrlRule, params, options);
  }
}
