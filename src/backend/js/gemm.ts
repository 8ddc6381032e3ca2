/** Row-major single-precision matrix product for the js backend (see Backend.gemm). */
import { wasmGemm } from './wasm-gemm.js';

/**
 * Multiply-adds (m·n·k) from which the WebAssembly SIMD kernel wins: below it, copying the
 * operands into its memory costs more than the loops (measured: 4×4×4 is a tie, 8×8×8 already 3× faster).
 */
export const WASM_GEMM_MIN_WORK = 512;

/** Dispatches to the WebAssembly SIMD kernel where it is faster and available, else the loops. */
export function gemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  alpha: number, a: Float32Array, b: Float32Array, beta: number, c: Float32Array,
): void {
  if (m * n * k >= WASM_GEMM_MIN_WORK && wasmGemm(transA, transB, m, n, k, alpha, a, b, beta, c)) return;
  gemmLoops(transA, transB, m, n, k, alpha, a, b, beta, c);
}

/** The plain TypeScript loops: the fallback, and the reference the WebAssembly kernel is tested against. */
export function gemmLoops(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  alpha: number, a: Float32Array, b: Float32Array, beta: number, c: Float32Array,
): void {
  const cn = m * n;
  if (beta === 0) c.fill(0, 0, cn);
  else if (beta !== 1) for (let i = 0; i < cn; i++) c[i] *= beta;
  if (k === 0 || alpha === 0) return;

  if (transA && transB) {
    // Aᵀ·Bᵀ: transpose B ([n×k] → [k×n]) once, then the Aᵀ·B loop.
    const bt = new Float32Array(k * n);
    for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) bt[p * n + j] = b[j * k + p];
    gemmLoops(true, false, m, n, k, alpha, a, bt, 1, c);
    return;
  }
  if (!transA && !transB) {
    for (let i = 0; i < m; i++) {
      const ci = i * n;
      const ai = i * k;
      for (let p = 0; p < k; p++) {
        const av = alpha * a[ai + p];
        if (av === 0) continue;
        const bp = p * n;
        for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
      }
    }
  } else if (!transA && transB) {
    for (let i = 0; i < m; i++) {
      const ai = i * k;
      const ci = i * n;
      for (let j = 0; j < n; j++) {
        const bj = j * k;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
        c[ci + j] += alpha * s;
      }
    }
  } else {
    for (let p = 0; p < k; p++) {
      const ap = p * m;
      const bp = p * n;
      for (let i = 0; i < m; i++) {
        const av = alpha * a[ap + i];
        if (av === 0) continue;
        const ci = i * n;
        for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
      }
    }
  }
}
