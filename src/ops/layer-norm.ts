import type { Tensor } from '../tensor.js';
import { empty, emptyUninitialized } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { exclusiveGrad } from '../autograd/exclusive-grad.js';
import { formatShape, sameShape } from '../shape.js';
import { checkTensor } from './util.js';

/** normalizedShape as a list of sizes (a number is one trailing dimension), checked. */
export function normalizedShapeOf(op: string, normalizedShape: number | readonly number[]): number[] {
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape;
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    const got = Array.isArray(shape) ? `[${shape.map(String).join(', ')}]` : String(normalizedShape);
    throw new Error(`${op}: normalizedShape must be a non-negative integer or a non-empty list of them, got ${got}`);
  }
  return shape.slice();
}

/** layerNorm's argument checks; `op` names the caller in errors. Returns x as [rows, cols]. */
export function checkLayerNormArgs(
  op: string, x: Tensor, shape: readonly number[], weight: Tensor | null, bias: Tensor | null, eps: number,
): { rows: number; cols: number } {
  checkTensor(op, x);
  const trailing = x.shape.slice(Math.max(0, x.ndim - shape.length));
  if (x.ndim < shape.length || !sameShape(trailing, shape)) {
    throw new Error(`${op}: expected input with trailing shape ${formatShape(shape)}, got ${formatShape(x.shape)}`);
  }
  for (const [name, t] of [['weight', weight], ['bias', bias]] as const) {
    if (t === null) continue;
    checkTensor(op, t, name);
    if (!sameShape(t.shape, shape)) throw new Error(`${op}: ${name} must have shape ${formatShape(shape)} (normalizedShape), got ${formatShape(t.shape)}`);
  }
  if (typeof eps !== 'number' || !(eps >= 0) || !Number.isFinite(eps)) throw new Error(`${op}: eps must be a finite number ≥ 0, got ${String(eps)}`);
  const cols = shape.reduce((a, b) => a * b, 1);
  return { rows: cols === 0 ? 0 : x.size / cols, cols };
}

/**
 * Layer normalization (torch.nn.functional.layer_norm): each slice of x over the trailing
 * dimensions `normalizedShape` is normalized with its own mean and biased variance, then scaled
 * by weight and shifted by bias (both of shape normalizedShape, optional). One fused kernel
 * forward (keeping each row's mean and 1/√(var + eps)) and one fused backward for x, weight and bias.
 */
export function layerNorm(
  x: Tensor, normalizedShape: number | readonly number[], weight?: Tensor | null, bias?: Tensor | null, eps = 1e-5,
): Tensor {
  const shape = normalizedShapeOf('layerNorm', normalizedShape);
  const w = weight ?? null;
  const b = bias ?? null;
  const { rows, cols } = checkLayerNormArgs('layerNorm', x, shape, w, b, eps);
  const out = emptyUninitialized(x.shape.slice());
  const mean = new Float32Array(rows);
  const rstd = new Float32Array(rows);
  backend().layerNorm(x.data, rows, cols, w?.data ?? null, b?.data ?? null, eps, out.data, mean, rstd);

  const inputs = [x];
  if (w) inputs.push(w);
  if (b) inputs.push(b);
  return record('layerNorm', out, inputs, (g) => {
    const dx = x.requiresGrad ? emptyUninitialized(x.shape.slice()) : null;
    const dw = w?.requiresGrad ? empty(shape.slice()) : null;
    const db = b?.requiresGrad ? empty(shape.slice()) : null;
    backend().layerNormBackward(x.data, g.data, rows, cols, w?.data ?? null, mean, rstd, dx?.data ?? null, dw?.data ?? null, db?.data ?? null);
    const grads: (Tensor | null)[] = [exclusiveGrad(dx)];
    if (w) grads.push(exclusiveGrad(dw));
    if (b) grads.push(exclusiveGrad(db));
    return grads;
  }, { normalizedShape: shape, eps });
}
