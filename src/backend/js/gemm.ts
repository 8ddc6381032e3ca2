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
  alpha: number, a: Float32Array, b: Float32Array, beta: number, c: Float32Array, bias: Float32Array | null = null,
): void {
  if (bias !== null && bias !== undefined) {
    if (!((bias as unknown) instanceof Float32Array)) throw new Error(`gemm: bias must be a Float32Array, got ${describe(bias)}`);
    if (bias.length < n) throw new Error(`gemm: bias has ${bias.length} elements, needs at least ${n}`);
    addBias(m, n, beta, bias, c);
    beta = 1;
  }
  if (m * n * k >= WASM_GEMM_MIN_WORK && wasmGemm(transA, transB, m, n, k, alpha, a, b, beta, c)) return;
  gemmLoops(transA, transB, m, n, k, alpha, a, b, beta, c);
}

/** What a value is, for "got …" (the native addon's words). */
function describe(v: unknown): string {
  return Array.isArray(v) ? 'an array' : ArrayBuffer.isView(v) ? v.constructor.name : v === null ? 'null' : typeof v;
}

/** C = beta · C + bias on every row of C (beta 0 ignores what C held). */
function addBias(m: number, n: number, beta: number, bias: Float32Array, c: Float32Array): void {
  for (let i = 0; i < m; i++) {
    const row = i * n;
    if (beta === 0) c.set(bias.subarray(0, n), row);
    else for (let j = 0; j < n; j++) c[row + j] = beta * c[row + j] + bias[j];
  }
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

/**
 * `count` products C_i = alpha·op(A_i)·op(B_i) + beta·C_i, A_i starting at a[i·aStride] (likewise
 * B_i, C_i; a stride of 0 shares one operand). With cStride = 0 the products are summed into one
 * C: C = alpha·Σ op(A_i)·op(B_i) + beta·C (see Backend.gemmBatch).
 */
export function gemmBatch(
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: Float32Array, aStride: number, b: Float32Array, bStride: number,
  beta: number, c: Float32Array, cStride: number, count: number,
): void {
  checkBatchStrides(m, n, cStride);
  if (cStride === 0 && count === 0) {
    gemm(transA, transB, m, n, 0, alpha, a, b, beta, c);
    return;
  }
  for (let i = 0; i < count; i++) {
    const ai = a.subarray(i * aStride);
    const bi = b.subarray(i * bStride);
    if (cStride === 0) gemm(transA, transB, m, n, k, alpha, ai, bi, i === 0 ? beta : 1, c);
    else gemm(transA, transB, m, n, k, alpha, ai, bi, beta, c.subarray(i * cStride));
  }
}

/** Outputs may not overlap (a native backend computes them at once). */
export function checkBatchStrides(m: number, n: number, cStride: number): void {
  if (cStride !== 0 && cStride < m * n) throw new Error(`gemmBatch: cStride must be 0 (sum the products) or at least m·n = ${m * n}, got ${cStride}`);
}
