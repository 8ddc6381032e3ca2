/**
 * Row-sparse optimizer updates: only the rows in `indices` (unique and ascending, refused otherwise), each with its gradient row in
 * `values` ([nnz, rowSize]); every other coordinate of the parameter and its state is left alone, so
 * a step costs O(nnz · rowSize). Each coordinate is computed exactly as the dense rule in optim/
 * computes it (float64 arithmetic, float32 storage, the same expression order), so where the dense
 * rule leaves an untouched coordinate unchanged (Adagrad, FTRL from its own state, SGD), dense and
 * sparse agree bit for bit. The native kernels compute the same in double.
 */
import type { SparseAdamUpdateParams, SparseFtrlUpdateParams } from '../backend.js';

/** Checks as the native kernels: indices ≥ 0, unique and ascending, param holding the largest row, values nnz rows, state as long as param. */
function checkRows(kernel: string, param: Float32Array, rowSize: number, indices: Int32Array, values: Float32Array, state: [string, Float32Array][]): void {
  if (!Number.isInteger(rowSize) || rowSize < 1) throw new Error(`${kernel}: rowSize must be an integer ≥ 1, got ${rowSize}`);
  if (values.length < indices.length * rowSize) throw new Error(`${kernel}: values has ${values.length} elements, needs at least ${indices.length * rowSize}`);
  let last = -1;
  for (let k = 0; k < indices.length; k++) {
    if (indices[k] < 0) throw new Error(`${kernel}: indices[${k}] is ${indices[k]}, a row must be ≥ 0`);
    if (indices[k] <= last) throw new Error(`${kernel}: indices[${k}] is ${indices[k]}, not above indices[${k - 1}] = ${last}: rows must be unique and ascending`);
    last = indices[k];
  }
  if (param.length < (last + 1) * rowSize) throw new Error(`${kernel}: param has ${param.length} elements, needs at least ${(last + 1) * rowSize}`);
  for (const [name, s] of state) {
    if (s.length < param.length) throw new Error(`${kernel}: ${name} has ${s.length} elements, needs at least ${param.length}`);
  }
}

/** θ[rows] ← θ[rows] − lr·g (SGD without momentum or weight decay). */
export function sparseSgdUpdate(param: Float32Array, rowSize: number, indices: Int32Array, values: Float32Array, lr: number): void {
  checkRows('sparseSgdUpdate', param, rowSize, indices, values, []);
  for (let k = 0; k < indices.length; k++) {
    const o = indices[k] * rowSize;
    const v = k * rowSize;
    for (let j = 0; j < rowSize; j++) param[o + j] -= lr * values[v + j];
  }
}

/** Adagrad on the rows (optim/adagrad.ts with weightDecay 0): sum += g², θ −= clr·g / (√sum + eps). */
export function sparseAdagradUpdate(
  param: Float32Array, sum: Float32Array, rowSize: number, indices: Int32Array, values: Float32Array, clr: number, eps: number,
): void {
  checkRows('sparseAdagradUpdate', param, rowSize, indices, values, [['sum', sum]]);
  for (let k = 0; k < indices.length; k++) {
    const o = indices[k] * rowSize;
    const v = k * rowSize;
    for (let j = 0; j < rowSize; j++) {
      const i = o + j;
      const g = values[v + j] + 0 * param[i];
      const s = (sum[i] += g * g);
      param[i] -= (clr * g) / (Math.sqrt(s) + eps);
    }
  }
}

/** FTRL on the rows (optim/ftrl.ts with l2Shrinkage 0): n, z (interleaved in nz) from the stored state, θ from z and n. */
export function sparseFtrlUpdate(
  param: Float32Array, nz: Float32Array, rowSize: number, indices: Int32Array, values: Float32Array,
  { lr, lrPower, l1, l2, beta }: SparseFtrlUpdateParams,
): void {
  checkRows('sparseFtrlUpdate', param, rowSize, indices, values, []);
  if (nz.length < 2 * param.length) throw new Error(`sparseFtrlUpdate: nz has ${nz.length} elements, needs at least ${2 * param.length}`);
  const power = -lrPower;
  const l2Total = 2 * (l2 + beta / (2 * lr));
  for (let k = 0; k < indices.length; k++) {
    const o = indices[k] * rowSize;
    const v = k * rowSize;
    for (let j = 0; j < rowSize; j++) {
      const i = o + j;
      const g = values[v + j];
      const w = param[i];
      const before = nz[2 * i] ** power;
      nz[2 * i] = nz[2 * i] + g * g;
      const after = nz[2 * i] ** power;
      nz[2 * i + 1] = nz[2 * i + 1] + g - ((after - before) / lr) * w;
      const zi = nz[2 * i + 1];
      param[i] = Math.abs(zi) <= l1 ? 0 : (Math.sign(zi) * l1 - zi) / (after / lr + l2Total);
    }
  }
}

/**
 * SparseAdam on the rows (torch.optim.SparseAdam): m += (g − m)(1 − β1), v += (g² − v)(1 − β2),
 * θ −= stepSize · m / (√v + eps), stepSize = lr·√(1 − β2ᵗ)/(1 − β1ᵗ) (t the parameter's step count).
 */
export function sparseAdamUpdate(
  param: Float32Array, expAvg: Float32Array, expAvgSq: Float32Array, rowSize: number, indices: Int32Array, values: Float32Array,
  { beta1, beta2, eps, stepSize }: SparseAdamUpdateParams,
): void {
  checkRows('sparseAdamUpdate', param, rowSize, indices, values, [['expAvg', expAvg], ['expAvgSq', expAvgSq]]);
  for (let k = 0; k < indices.length; k++) {
    const o = indices[k] * rowSize;
    const v = k * rowSize;
    for (let j = 0; j < rowSize; j++) {
      const i = o + j;
      const g = values[v + j];
      expAvg[i] = expAvg[i] + (g - expAvg[i]) * (1 - beta1);
      expAvgSq[i] = expAvgSq[i] + (g * g - expAvgSq[i]) * (1 - beta2);
      param[i] -= (stepSize * expAvg[i]) / (Math.sqrt(expAvgSq[i]) + eps);
    }
  }
}
