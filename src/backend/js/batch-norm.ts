/** Fused BatchNorm kernels for the js backend (see Backend.batchNorm / batchNormBackward). */
import type { BatchNormParams } from '../backend.js';

/**
 * x viewed as [n, c, inner]; per channel: statistics, normalize, scale and shift in one kernel.
 * Training: batch mean and biased variance (float64 sums, shifted by the channel's first value
 * so large means do not cancel), and the running statistics updated in place with the unbiased
 * variance. Eval: the running statistics. `mean` and `invStd` receive the statistics used.
 * With params.relu the output is relu(batchNorm(x)) (the fused BatchNorm→ReLU).
 */
export function batchNorm(
  x: Float32Array, n: number, c: number, inner: number,
  weight: Float32Array | null, bias: Float32Array | null,
  runningMean: Float32Array | null, runningVar: Float32Array | null,
  params: BatchNormParams, out: Float32Array, mean: Float32Array, invStd: Float32Array,
): void {
  const { training, momentum, eps, relu = false } = params;
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
      if (relu) {
        for (let i = 0; i < inner; i++) {
          const v = Math.fround(x[o + i] * scale + offset);
          out[o + i] = v < 0 ? 0 : v;
        }
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
 * Given the fused BatchNorm→ReLU forward's output reluOut, dy counts only where reluOut > 0.
 */
export function batchNormBackward(
  x: Float32Array, dy: Float32Array, n: number, c: number, inner: number,
  weight: Float32Array | null, mean: Float32Array, invStd: Float32Array, training: boolean,
  dx: Float32Array | null, dWeight: Float32Array | null, dBias: Float32Array | null,
  reluOut: Float32Array | null,
): void {
  const count = n * inner;
  const batchStride = c * inner;
  for (let ch = 0; ch < c; ch++) {
    const first = ch * inner;
    const mu = mean[ch];
    const inv = invStd[ch];
    let sumDy = 0;
    let sumDyXhat = 0;
    for (let b = 0; b < n; b++) {
      const o = b * batchStride + first;
      for (let i = 0; i < inner; i++) {
        const g = reluOut !== null && reluOut[o + i] <= 0 ? 0 : dy[o + i];
        sumDy += g;
        sumDyXhat += g * (x[o + i] - mu) * inv;
      }
    }
    if (dBias) dBias[ch] = sumDy;
    if (dWeight) dWeight[ch] = sumDyXhat;
    if (!dx) continue;
    const k = inv * (weight ? weight[ch] : 1);
    if (training) {
      const meanDy = sumDy / count;
      const meanDyXhat = sumDyXhat / count;
      for (let b = 0; b < n; b++) {
        const o = b * batchStride + first;
        for (let i = 0; i < inner; i++) {
          const xhat = (x[o + i] - mu) * inv;
          const g = reluOut !== null && reluOut[o + i] <= 0 ? 0 : dy[o + i];
          dx[o + i] = k * (g - meanDy - xhat * meanDyXhat);
        }
      }
    } else {
      for (let b = 0; b < n; b++) {
        const o = b * batchStride + first;
        for (let i = 0; i < inner; i++) dx[o + i] = k * (reluOut !== null && reluOut[o + i] <= 0 ? 0 : dy[o + i]);
      }
    }
  }
}
