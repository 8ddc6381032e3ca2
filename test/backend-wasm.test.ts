import { afterEach, describe, expect, it, vi } from 'vitest';
import { gemm, gemmLoops, WASM_GEMM_MIN_WORK } from '../src/backend/js/gemm.js';
import { jsBackend } from '../src/backend/js/index.js';
import { getBackend, setBackend, tensor } from '../src/index.js';
import { wasmGemm, wasmGemmAvailable, wasmGemmMemoryBytes } from '../src/backend/js/wasm-gemm.js';

// The spy wraps the real kernel, so every test below still runs the WebAssembly code.
vi.mock('../src/backend/js/wasm-gemm.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/backend/js/wasm-gemm.js')>();
  return { ...original, wasmGemm: vi.fn(original.wasmGemm) };
});

/** Deterministic values in [-1, 1) (a small LCG, independent of the library's generator). */
function random(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Runs the WebAssembly kernel, failing if it declined. */
function runWasm(...args: Parameters<typeof gemmLoops>): void {
  expect(wasmGemm(...args)).toBe(true);
}

/** max |actual − expected| / max |expected|: the error relative to the size of the result. */
function relativeError(actual: Float32Array, expected: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Compares the WebAssembly gemm with the TypeScript loops on random operands and a random prior C. */
function compare(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, beta: number): void {
  const seed = m * 1_000_003 + n * 1009 + k * 17 + (transA ? 2 : 0) + (transB ? 1 : 0);
  const a = random(m * k, seed);
  const b = random(k * n, seed + 1);
  const c0 = random(m * n, seed + 2);
  const expected = c0.slice();
  const actual = c0.slice();
  gemmLoops(transA, transB, m, n, k, alpha, a, b, beta, expected);
  runWasm(transA, transB, m, n, k, alpha, a, b, beta, actual);
  const error = relativeError(actual, expected);
  if (!(error <= 1e-4)) {
    throw new Error(`${m}×${n}×${k} transA=${transA} transB=${transB} alpha=${alpha} beta=${beta}: relative error ${error}`);
  }
}

const transposes = [[false, false], [false, true], [true, false], [true, true]] as const;

describe('WebAssembly SIMD gemm', () => {
  afterEach(() => vi.mocked(wasmGemm).mockClear());

  it('is available in Node 20 (the module validates with SIMD)', () => {
    expect(wasmGemmAvailable()).toBe(true);
  });

  it('computes a hand-checked product in all four transpose combinations', () => {
    // op(A) = [[1, 2, 3], [4, 5, 6]], op(B) = [[1, 0], [0, 1], [2, -1]] → op(A)·op(B) = [[7, -1], [16, -1]]
    const opA = [[1, 2, 3], [4, 5, 6]];
    const opB = [[1, 0], [0, 1], [2, -1]];
    const rowMajor = (rows: number[][]) => Float32Array.from(rows.flat());
    const transpose = (rows: number[][]) => rows[0].map((_, j) => rows.map((row) => row[j]));
    for (const [transA, transB] of transposes) {
      const a = rowMajor(transA ? transpose(opA) : opA);
      const b = rowMajor(transB ? transpose(opB) : opB);
      const c = Float32Array.from([1, 1, 1, 1]);
      runWasm(transA, transB, 2, 2, 3, 2, a, b, 0.5, c); // 2·product + 0.5·1
      expect(Array.from(c)).toEqual([14.5, -1.5, 32.5, -1.5]);
    }
  });

  it('matches the TypeScript loops for tiny, odd and edge-tile shapes', () => {
    const shapes = [
      [1, 1, 1], [7, 13, 5], [5, 7, 13], [4, 8, 16], [3, 9, 1], [1, 17, 33], [33, 1, 17], [9, 9, 9], [13, 31, 2],
    ];
    for (const [m, n, k] of shapes) {
      for (const [transA, transB] of transposes) compare(transA, transB, m, n, k, 1, 0);
    }
  });

  it('matches the TypeScript loops with alpha and beta other than 1 and 0', () => {
    for (const [alpha, beta] of [[0.5, 1], [-1.5, 0.25], [2, -1], [1, 1], [0.75, 0]]) {
      for (const [transA, transB] of transposes) compare(transA, transB, 11, 21, 6, alpha, beta);
    }
  });

  it('matches the TypeScript loops on the reference MLP shapes (128×784×512 and its gradients)', () => {
    for (const [transA, transB] of transposes) compare(transA, transB, 128, 512, 784, 1, 0);
    compare(false, false, 128, 784, 512, 1, 1); // dX = dY·W, accumulated
    compare(true, false, 512, 784, 128, 1, 0); // dW = dYᵀ·X
  });

  it('matches the TypeScript loops across cache-block boundaries (rows > 96, depth > 512, columns > 1024)', () => {
    compare(false, false, 101, 1030, 9, 1, 0);
    compare(true, true, 101, 1030, 9, -1, 0.5);
    compare(false, true, 6, 10, 1030, 1, 1);
    compare(true, false, 98, 12, 517, 0.5, 0);
  });

  it('with beta = 0 ignores the prior contents of C, even NaN; with alpha = 0 only scales C', () => {
    const a = random(6 * 5, 1);
    const b = random(5 * 7, 2);
    const c = new Float32Array(6 * 7).fill(NaN);
    const expected = new Float32Array(6 * 7);
    gemmLoops(false, false, 6, 7, 5, 1, a, b, 0, expected);
    runWasm(false, false, 6, 7, 5, 1, a, b, 0, c);
    expect(relativeError(c, expected)).toBeLessThanOrEqual(1e-6);

    const scaled = random(6 * 7, 3);
    const before = scaled.slice();
    runWasm(false, false, 6, 7, 5, 0, new Float32Array(30).fill(NaN), b, 3, scaled);
    expect(Array.from(scaled)).toEqual(Array.from(before, (v) => Math.fround(v * 3)));
  });

  it('reads operands through subarray views and writes only the m·n entries of C', () => {
    const backing = random(200, 4);
    const a = backing.subarray(10, 10 + 4 * 6);
    const b = backing.subarray(50, 50 + 6 * 5);
    const out = new Float32Array(30).fill(7);
    const c = out.subarray(5, 25);
    const expected = new Float32Array(20);
    gemmLoops(false, false, 4, 5, 6, 1, a, b, 0, expected);
    runWasm(false, false, 4, 5, 6, 1, a, b, 0, c);
    expect(relativeError(c, expected)).toBeLessThanOrEqual(1e-6);
    expect(Array.from(out.subarray(0, 5))).toEqual([7, 7, 7, 7, 7]);
    expect(Array.from(out.subarray(25))).toEqual([7, 7, 7, 7, 7]);
  });

  it('grows its memory for a larger product and reuses it when sizes repeat', () => {
    compare(false, false, 64, 64, 64, 1, 0);
    const small = wasmGemmMemoryBytes();
    compare(false, false, 2000, 1500, 2, 1, 0); // C alone is 12 MB, more than any test before
    const large = wasmGemmMemoryBytes();
    expect(large).toBeGreaterThan(small);
    compare(false, false, 2000, 1500, 2, 1, 0);
    compare(true, false, 64, 64, 64, 1, 0);
    expect(wasmGemmMemoryBytes()).toBe(large);
  });
});

describe('js backend gemm dispatch', () => {
  afterEach(() => vi.mocked(wasmGemm).mockClear());

  it('the js backend sends products from the threshold up to WebAssembly, smaller ones to the loops', () => {
    expect(jsBackend.gemm).toBe(gemm);
    const m = 128, n = 512, k = 784;
    const a = random(m * k, 5);
    const b = random(n * k, 6);
    const c = new Float32Array(m * n);
    jsBackend.gemm(false, true, m, n, k, 1, a, b, 0, c);
    expect(wasmGemm).toHaveBeenCalledTimes(1);
    expect(vi.mocked(wasmGemm).mock.results[0].value).toBe(true);
    const expected = new Float32Array(m * n);
    gemmLoops(false, true, m, n, k, 1, a, b, 0, expected);
    expect(relativeError(c, expected)).toBeLessThanOrEqual(1e-4);

    vi.mocked(wasmGemm).mockClear();
    jsBackend.gemm(false, false, 2, 2, 2, 1, a, b, 0, c);
    expect(wasmGemm).not.toHaveBeenCalled();
    expect(2 * 2 * 2).toBeLessThan(WASM_GEMM_MIN_WORK);
  });

  it('falls back to the TypeScript loops when WebAssembly declines', () => {
    vi.mocked(wasmGemm).mockReturnValueOnce(false);
    const a = random(40 * 30, 7);
    const b = random(30 * 20, 8);
    const c = new Float32Array(40 * 20);
    gemm(false, false, 40, 20, 30, 1, a, b, 0, c);
    expect(wasmGemm).toHaveBeenCalledTimes(1);
    const expected = new Float32Array(40 * 20);
    gemmLoops(false, false, 40, 20, 30, 1, a, b, 0, expected);
    expect(Array.from(c)).toEqual(Array.from(expected));
  });

  it('the matmul op on the js backend gives the same result through the WebAssembly kernel', () => {
    const previous = getBackend();
    setBackend('js');
    const a = random(20 * 30, 9);
    const b = random(30 * 25, 10);
    let product;
    try {
      product = tensor(a, { shape: [20, 30] }).matmul(tensor(b, { shape: [30, 25] }));
    } finally {
      setBackend(previous);
    }
    expect(wasmGemm).toHaveBeenCalledTimes(1);
    const expected = new Float32Array(20 * 25);
    gemmLoops(false, false, 20, 25, 30, 1, a, b, 0, expected);
    expect(relativeError(product.data, expected)).toBeLessThanOrEqual(1e-5);
  });
});
