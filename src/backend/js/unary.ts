/** Elementwise unary kernels and their derivatives for the js backend. */
import type { UnaryOp, UnaryParams } from '../backend.js';

/** erf to ~1e-7 (Abramowitz & Stegun 7.1.26 is too coarse near 0; this is W. J. Cody's rational form via erfc). */
export function erf(x: number): number {
  // Numerical Recipes erfc (Chebyshev), relative error < 1.2e-7 everywhere.
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - r : r - 1;
}

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export function unary(op: UnaryOp, x: Float32Array, out: Float32Array, p: UnaryParams = {}): void {
  const n = x.length;
  switch (op) {
    case 'neg': for (let i = 0; i < n; i++) out[i] = -x[i]; return;
    case 'exp': for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]); return;
    case 'log': for (let i = 0; i < n; i++) out[i] = Math.log(x[i]); return;
    case 'sqrt': for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]); return;
    case 'abs': for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]); return;
    case 'sign': for (let i = 0; i < n; i++) out[i] = Math.sign(x[i]); return;
    case 'square': for (let i = 0; i < n; i++) out[i] = x[i] * x[i]; return;
    case 'reciprocal': for (let i = 0; i < n; i++) out[i] = 1 / x[i]; return;
    case 'sigmoid': for (let i = 0; i < n; i++) out[i] = sigmoid(x[i]); return;
    case 'tanh': for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]); return;
    // NaN passes through (as in PyTorch), so a diverged net still shows NaN
    case 'relu': for (let i = 0; i < n; i++) out[i] = x[i] < 0 ? 0 : x[i]; return;
    case 'leakyRelu': {
      const a = p.alpha ?? 0.01;
      for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : a * x[i];
      return;
    }
    case 'elu': {
      const a = p.alpha ?? 1;
      for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : a * Math.expm1(x[i]);
      return;
    }
    case 'gelu': for (let i = 0; i < n; i++) out[i] = 0.5 * x[i] * (1 + erf(x[i] * SQRT1_2)); return;
    case 'powScalar': {
      const e = p.exponent ?? 1;
      if (e === 2) for (let i = 0; i < n; i++) out[i] = x[i] * x[i];
      else for (let i = 0; i < n; i++) out[i] = Math.pow(x[i], e);
      return;
    }
    case 'clamp': {
      const lo = p.min ?? -Infinity;
      const hi = p.max ?? Infinity;
      for (let i = 0; i < n; i++) {
        const v = x[i];
        out[i] = v < lo ? lo : v > hi ? hi : v;
      }
      return;
    }
  }
}

export function unaryBackward(
  op: UnaryOp, x: Float32Array, y: Float32Array, dy: Float32Array, out: Float32Array, p: UnaryParams = {},
): void {
  const n = dy.length;
  switch (op) {
    case 'neg': for (let i = 0; i < n; i++) out[i] = -dy[i]; return;
    case 'exp': for (let i = 0; i < n; i++) out[i] = dy[i] * y[i]; return;
    case 'log': for (let i = 0; i < n; i++) out[i] = dy[i] / x[i]; return;
    case 'sqrt': for (let i = 0; i < n; i++) out[i] = (0.5 * dy[i]) / y[i]; return;
    // PyTorch's sgn: 0 at 0 and at NaN
    // dy · sgn(x) with sgn(NaN) = 0, as torch computes it: a NaN upstream gradient stays NaN even at x = 0.
    case 'abs': for (let i = 0; i < n; i++) out[i] = dy[i] * (x[i] > 0 ? 1 : x[i] < 0 ? -1 : 0); return;
    case 'sign': out.fill(0, 0, n); return;
    case 'square': for (let i = 0; i < n; i++) out[i] = 2 * x[i] * dy[i]; return;
    case 'reciprocal': for (let i = 0; i < n; i++) out[i] = -dy[i] * y[i] * y[i]; return;
    case 'sigmoid': for (let i = 0; i < n; i++) out[i] = dy[i] * y[i] * (1 - y[i]); return;
    case 'tanh': for (let i = 0; i < n; i++) out[i] = dy[i] * (1 - y[i] * y[i]); return;
    case 'relu': for (let i = 0; i < n; i++) out[i] = x[i] <= 0 ? 0 : dy[i]; return;
    case 'leakyRelu': {
      const a = p.alpha ?? 0.01;
      for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? dy[i] : a * dy[i];
      return;
    }
    case 'elu': {
      const a = p.alpha ?? 1;
      for (let i = 0; i < n; i++) out[i] = x[i] <= 0 ? dy[i] * (y[i] + a) : dy[i];
      return;
    }
    case 'gelu':
      for (let i = 0; i < n; i++) {
        const v = x[i];
        out[i] = dy[i] * (0.5 * (1 + erf(v * SQRT1_2)) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v));
      }
      return;
    case 'powScalar': {
      const e = p.exponent ?? 1;
      for (let i = 0; i < n; i++) out[i] = e === 0 ? 0 : dy[i] * e * Math.pow(x[i], e - 1);
      return;
    }
    case 'clamp': {
      const lo = p.min ?? -Infinity;
      const hi = p.max ?? Infinity;
      for (let i = 0; i < n; i++) out[i] = x[i] >= lo && x[i] <= hi ? dy[i] : 0;
      return;
    }
  }
}
