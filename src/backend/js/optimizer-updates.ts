/**
 * One-pass optimizer updates for the js backend (see Backend.adamUpdate / sgdUpdate): the
 * reference loops of torch.optim.Adam and torch.optim.SGD, in float64 arithmetic on float32 state.
 * Each returns whether every updated parameter value (as stored, in float32) is finite.
 */
import type { AdamUpdateParams, SgdUpdateParams } from '../backend.js';

export function adamUpdate(
  param: Float32Array, grad: Float32Array, expAvg: Float32Array, expAvgSq: Float32Array,
  maxExpAvgSq: Float32Array | null, params: AdamUpdateParams,
): boolean {
  const { lr, beta1, beta2, eps, weightDecay, decoupled, step } = params;
  const stepSize = lr / (1 - beta1 ** step);
  const bias2Sqrt = Math.sqrt(1 - beta2 ** step);
  const l2 = decoupled ? 0 : weightDecay;
  const shrink = decoupled ? 1 - lr * weightDecay : 1;
  const m = expAvg;
  const v = expAvgSq;
  const vMax = maxExpAvgSq;
  let finite = true;
  for (let i = 0; i < param.length; i++) {
    const p = param[i] * shrink;
    const g = grad[i] + l2 * p;
    const mi = (m[i] = beta1 * m[i] + (1 - beta1) * g);
    let vi = (v[i] = beta2 * v[i] + (1 - beta2) * g * g);
    if (vMax) vi = vMax[i] = Math.max(vMax[i], vi);
    const r = Math.fround(p - (stepSize * mi) / (Math.sqrt(vi) / bias2Sqrt + eps));
    param[i] = r;
    if (r - r !== 0) finite = false;
  }
  return finite;
}

export function sgdUpdate(param: Float32Array, grad: Float32Array, momentumBuffer: Float32Array | null, params: SgdUpdateParams): boolean {
  const { lr, momentum, dampening, weightDecay, nesterov, initBuffer } = params;
  const n = param.length;
  let finite = true;
  if (momentumBuffer === null) {
    for (let i = 0; i < n; i++) {
      const r = Math.fround(param[i] - lr * (grad[i] + weightDecay * param[i]));
      param[i] = r;
      if (r - r !== 0) finite = false;
    }
    return finite;
  }
  const buf = momentumBuffer;
  for (let i = 0; i < n; i++) {
    const g = grad[i] + weightDecay * param[i];
    const b = initBuffer ? g : momentum * buf[i] + (1 - dampening) * g;
    buf[i] = b;
    const r = Math.fround(param[i] - lr * (nesterov ? g + momentum * b : b));
    param[i] = r;
    if (r - r !== 0) finite = false;
  }
  return finite;
}
