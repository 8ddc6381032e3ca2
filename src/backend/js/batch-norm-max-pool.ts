/**
 * The fused BatchNorm(→ReLU)→max-pool kernels for the js backend, composed of the js batchNorm
 * and maxPool2d kernels (the native backend's version avoids the normalized batch in memory).
 */
import type { BatchNormParams, Window2d } from '../backend.js';
import { batchNorm, batchNormBackward } from './batch-norm.js';
import { maxPool2d, maxPool2dBackward } from './pool.js';

export function batchNormMaxPool2d(
  x: Float32Array, n: number, c: number, weight: Float32Array | null, bias: Float32Array | null,
  runningMean: Float32Array | null, runningVar: Float32Array | null, params: BatchNormParams, w: Window2d,
  out: Float32Array, argmax: Int32Array, mean: Float32Array, invStd: Float32Array,
): void {
  if (params.activation != null && params.activation !== 'relu') {
    throw new Error(`batchNormMaxPool2d: params.activation must be 'relu' or absent, got ${String(params.activation)}`);
  }
  const plane = w.height * w.width;
  const normalized = new Float32Array(n * c * plane);
  batchNorm(x, n, c, plane, weight, bias, runningMean, runningVar, params, normalized, mean, invStd);
  maxPool2d(normalized, n * c, w, out, argmax);
}

export function batchNormMaxPool2dBackward(
  x: Float32Array, dy: Float32Array, argmax: Int32Array, reluOut: Float32Array | null, n: number, c: number,
  w: Window2d, weight: Float32Array | null, mean: Float32Array, invStd: Float32Array, training: boolean,
  dx: Float32Array | null, dWeight: Float32Array | null, dBias: Float32Array | null,
): void {
  const plane = w.height * w.width;
  // Windows the ReLU cut send nothing back (their winner's normalized value was ≤ 0).
  const routed = reluOut ? dy.map((g, o) => (reluOut[o] <= 0 ? 0 : g)) : dy;
  const g = new Float32Array(n * c * plane);
  maxPool2dBackward(routed, argmax, n * c, w, g);
  batchNormBackward(x, g, n, c, plane, weight, mean, invStd, training, dx, dWeight, dBias, null, null);
}
