/** Fused BatchNorm kernels for the js backend (see Backend.batchNorm / batchNormBackward). */
import type { BatchNormActivation, BatchNormParams } from '../backend.js';
import { sigmoid } from './unary.js';

/** The activation as a small integer the loops switch on (a per-element closure costs 2× on the CNN). */
const NONE = 0;
const RELU = 1;
const SIGMOID = 2;
const TANH = 3;

function activationCode(kernel: string, activation: BatchNormActivation | null | undefined): number {
  switch (activation) {
    case undefined: case null: return NONE;
    case 'relu': return RELU;
    case 'sigmoid': return SIGMOID;
    case 'tanh': return TANH;
    default: throw new Error(`${kernel}: activation must be 'relu', 'sigmoid' or 'tanh', got ${String(activation)}`);
  }
}

/**
 * x viewed as [n, c, inner]; per channel: statistics, normalize, scale and shift in one kernel.
 * Training: batch mean and biased variance (float64 sums, shifted by the channel's first value
 * so large means do not cancel), and the running statistics updated in place with the unbiased
 * variance. Eval: the running statistics. `mean` and `invStd` receive the statistics used.
 * With params.activation the output is act(batchNorm(x)), the js unary kernel's value of the
 * float32 normalized value (the fused BatchNorm→ReLU, →sigmoid, →tanh).
 */
export function batchNorm(
  x: Float32Array, n: number, c: number, inner: number,
  weight: Float32Array | null, bias: Float32Array | null,
  runningMean: Float32Array | null, runningVar: Float32Array | null,
  params: BatchNormParams, out: Float32Array, mean: Float32Array, invStd: Float32Array,
): void {
  const { training, momentum, eps } = params;
  const act = activationCode('batchNorm', params.activation);
  const count = n * inner;
  const batchStride = c * inner;
  for (let ch = 0; ch < c; ch++) {
    const first = ch * inner;
    let mu: number;
    let variance: number;
    if (training) {
      const shift = count > 0 ? x[first] : 0;
      let s = 0;
      let ss = 0;
      for (let b = 0; b < n; b++) {
        const o = b * batchStride + first;
        for (let i = 0; i < inner; i++) {
          const d = x[o + i] - shift;
          s += d;
          ss += d * d;
        }
      }
      const dm = s / count;
      mu = shift + dm;
      variance = Math.max(ss / count - dm * dm, 0);
      if (runningMean) runningMean[ch] = (1 - momentum) * runningMean[ch] + momentum * mu;
      if (runningVar) runningVar[ch] = (1 - momentum) * runningVar[ch] + momentum * variance * (count / (count - 1));
    } else {
      mu = runningMean![ch];
      variance = runningVar![ch];
    }
    const inv = 1 / Math.sqrt(variance + eps);
    mean[ch] = mu;
    invStd[ch] = inv;
    // y = (x − μ)·inv·γ + β = x·scale + offset
    const scale = inv * (weight ? weight[ch] : 1);
    const offset = (bias ? bias[ch] : 0) - mu * scale;
    for (let b = 0; b < n; b++) {
      const o = b * batchStride + first;
      if (act === RELU) {
        for (let i = 0; i < inner; i++) {
          const v = Math.fround(x[o + i] * scale + offset);
          out[o + i] = v < 0 ? 0 : v;
        }
      } else if (act === SIGMOID) {
        for (let i = 0; i < inner; i++) out[o + i] = sigmoid(Math.fround(x[o + i] * scale + offset));
      } else if (act === TANH) {
        for (let i = 0; i < inner; i++) out[o + i] = Math.tanh(Math.fround(x[o + i] * scale + offset));
      } else {
        for (let i = 0; i < inner; i++) out[o + i] = x[o + i] * scale + offset;
      }
    }
  }
}

/**
 * The closed-form backward, per channel, from the statistics the forward used:
 * dβ = Σ dy, dγ = Σ dy·x̂, and dx = γ·invStd·(dy − mean(dy) − x̂·mean(dy·x̂)) in training
 * (the batch statistics depend on x), dx = γ·invStd·dy in eval. Null outputs are skipped.
 * After a forward with a fused activation (named by `activation`, its output activationOut), dy is
 * the activation's upstream gradient and counts as dy·f'(y).
 */
export function batchNormBackward(
  x: Float32Array, dy: Float32Array, n: number, c: number, inner: number,
  weight: Float32Array | null, mean: Float32Array, invStd: Float32Array, training: boolean,
  dx: Float32Array | null, dWeight: Float32Array | null, dBias: Float32Array | null,
  activation: BatchNormActivation | null, activationOut: Float32Array | null,
): void {
  const act = activationCode('batchNormBackward', activation);
  if (act !== NONE && activationOut === null) throw new Error('batchNormBackward: activationOut is needed with an activation');
  // dy becomes dy·f'(y) as it is read, as the unary kernels' backward computes and stores it
  // (rounded to float32): ReLU dy where y > 0 (NaN passes dy), sigmoid dy·y(1 − y), tanh
  // dy·(1 − y²). One loop per activation (a test per element costs 25% on the CNN's shapes).
  const y = activationOut ?? dy;
  const count = n * inner;
  const batchStride = c * inner;
  for (let ch = 0; ch < c; ch++) {
    const first = ch * inner;
    const mu = mean[ch];
    const inv = invStd[ch];
    let sumDy = 0;
    let sumDyXhat = 0;
    // Rows b of this channel: values [o, o + inner), o = b·batchStride + first.
    const last = (n - 1) * batchStride + first;
    switch (act) {
      case NONE:
        for (let o = first; o <= last; o += batchStride) {
          for (let i = o; i < o + inner; i++) {
            const g = dy[i];
            sumDy += g;
            sumDyXhat += g * (x[i] - mu) * inv;
          }
        }
        break;
      case RELU:
        for (let o = first; o <= last; o += batchStride) {
          for (let i = o; i < o + inner; i++) {
            const g = y[i] <= 0 ? 0 : dy[i];
            sumDy += g;
            sumDyXhat += g * (x[i] - mu) * inv;
          }
        }
        break;
      case SIGMOID:
        for (let o = first; o <= last; o += batchStride) {
          for (let i = o; i < o + inner; i++) {
            const g = Math.fround(dy[i] * y[i] * (1 - y[i]));
            sumDy += g;
            sumDyXhat += g * (x[i] - mu) * inv;
          }
        }
        break;
      default:
        for (let o = first; o <= last; o += batchStride) {
          for (let i = o; i < o + inner; i++) {
            const g = Math.fround(dy[i] * (1 - y[i] * y[i]));
            sumDy += g;
            sumDyXhat += g * (x[i] - mu) * inv;
          }
        }
    }
    if (dBias) dBias[ch] = sumDy;
    if (dWeight) dWeight[ch] = sumDyXhat;
    if (!dx) continue;
    const k = inv * (weight ? weight[ch] : 1);
    if (!training) {
      // dx = k·g: the running statistics are constants.
      switch (act) {
        case NONE:
          for (let o = first; o <= last; o += batchStride) for (let i = o; i < o + inner; i++) dx[i] = k * dy[i];
          break;
        case RELU:
          for (let o = first; o <= last; o += batchStride) for (let i = o; i < o + inner; i++) dx[i] = k * (y[i] <= 0 ? 0 : dy[i]);
          break;
        case SIGMOID:
          for (let o = first; o <= last; o += batchStride) for (let i = o; i < o + inner; i++) dx[i] = k * Math.fround(dy[i] * y[i] * (1 - y[i]));
          break;
        default:
          for (let o = first; o <= last; o += batchStride) for (let i = o; i < o + inner; i++) dx[i] = k * Math.fround(dy[i] * (1 - y[i] * y[i]));
      }
      continue;
    }
    // dx = k·(g − mean(g) − x̂·mean(g·x̂)), x̂ = (x − μ)·invStd.
    const meanDy = sumDy / count;
    const meanDyXhat = sumDyXhat / count;
    switch (act) {
      case NONE:
        for (let o = first; o <= last; o += batchStride) {
          for (let i = o; i < o + inner; i++) dx[i] = k * (dy[i] - meanDy - (x[i] - mu) * inv * meanDyXhat);
        }
        break;
      case RELU:
        for (let o = first; o <= last; o += batchStride) {
          for (let i = o; i < o + inner; i++) dx[i] = k * ((y[i] <= 0 ? 0 : dy[i]) - meanDy - (x[i] - mu) * inv * meanDyXhat);
        }
        break;
      case SIGMOID:
        for (let o = first; o <= last; o += batchStride) {
          for (let i = o; i < o + inner; i++) dx[i] = k * (Math.fround(dy[i] * y[i] * (1 - y[i])) - meanDy - (x[i] - mu) * inv * meanDyXhat);
        }
        break;
      default:
        for (let o = first; o <= last; o += batchStride) {
          for (let i = o; i < o + inner; i++) dx[i] = k * (Math.fround(dy[i] * (1 - y[i] * y[i])) - meanDy - (x[i] - mu) * inv * meanDyXhat);
        }
    }
  }
}
