/**
 * The native backend (native/, an N-API addon over OpenBLAS) against the js reference kernels
 * on random inputs, its argument checks, and its place as Node's default backend.
 * The addon must be built (npm install does it; by hand: node scripts/build-native.mjs).
 */
import { describe, expect, it } from 'vitest';
import type { Backend, BinaryOp, ReduceOp, UnaryOp, UnaryParams } from '../src/backend/backend.js';
import { jsBackend } from '../src/backend/js/index.js';
import { loadNativeBackend } from '../src/backend/native/load.js';
import { NATIVE_KERNELS } from '../src/backend/native/native-backend.js';
import { availableBackends, getBackend, setBackend } from '../src/index.js';

const native: Backend = loadNativeBackend();

/** Deterministic uniform values in [lo, hi) (a small LCG, so inputs do not depend on nabla's generator). */
function uniform(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + ((hi - lo) * s) / 2 ** 32;
  }
  return out;
}

const size = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

/**
 * Elementwise closeness: |a − e| ≤ 1e-5·(|e| + scale), NaN only against NaN. scale = 0 is a pure
 * relative test; sums (gemm, reduce) pass the output's largest magnitude, since cancellation
 * makes single elements tiny compared with the terms that were summed.
 */
function expectMatch(actual: Float32Array, expected: Float32Array, scale = 0, what = ''): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const ok = Number.isNaN(e) ? Number.isNaN(a) : a === e || Math.abs(a - e) <= 1e-5 * (Math.abs(e) + scale);
    if (!ok) throw new Error(`${what} element ${i}: native ${a}, js ${e}`);
  }
}

const maxAbs = (x: Float32Array): number => x.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0);

/** Detaches x's buffer, as transferring it to a worker would. */
function detach(x: Float32Array): void {
  structuredClone(x.buffer, { transfer: [x.buffer] });
}

describe('native backend: loading', () => {
  it('is the default backend in Node when the addon is built', () => {
    delete process.env.NABLA_BACKEND;
    expect(availableBackends()).toContain('native');
    expect(getBackend()).toBe('native');
    setBackend('js');
    expect(getBackend()).toBe('js');
    setBackend('native');
    expect(getBackend()).toBe('native');
  });

  it('runs the js kernel for every kernel the addon lacks', () => {
    expect(native.name).toBe('native');
    const own: readonly string[] = NATIVE_KERNELS;
    for (const [kernel, fn] of Object.entries(jsBackend)) {
      if (kernel === 'name') continue;
      const mine = (native as unknown as Record<string, unknown>)[kernel];
      if (own.includes(kernel)) expect(mine, kernel).not.toBe(fn);
      else expect(mine, kernel).toBe(fn);
    }
  });
});

describe('native backend: kernels match js', () => {
  it('gemm over shapes, transposes, alpha and beta', () => {
    // From 2^22 multiply-adds a product is cut into blocks of C's rows, or of its columns when B is the largest
    // operand or a thread would get fewer than 32 rows (edges on multiples of 16, the last one ragged): 70×310×200
    // and 333×65×200 by rows, 40×700×200 by columns, 100×610×300 by columns (B largest, 100 rows), 64×300×784 as
    // the MLPs' forward (columns) and 300×784×64 as their weight gradient (rows).
    const cases: [number, number, number][] = [
      [1, 1, 1], [3, 5, 7], [17, 33, 9], [64, 10, 128], [128, 96, 784], [4, 0, 3], [0, 3, 2], [2, 3, 0],
      [70, 310, 200], [333, 65, 200], [40, 700, 200], [100, 610, 300], [64, 300, 784], [300, 784, 64],
    ];
    let seed = 1;
    for (const [m, n, k] of cases) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          for (const [alpha, beta] of [[1, 0], [0.5, 1], [-2, 0.25], [0, 3]]) {
            const a = uniform(m * k, seed++);
            const b = uniform(k * n, seed++);
            const c0 = uniform(m * n, seed++);
            const cn = c0.slice();
            const cj = c0.slice();
            native.gemm(transA, transB, m, n, k, alpha, a, b, beta, cn);
            jsBackend.gemm(transA, transB, m, n, k, alpha, a, b, beta, cj);
            expectMatch(cn, cj, maxAbs(cj), `gemm ${m}×${n}×${k} tA=${transA} tB=${transB} α=${alpha} β=${beta}`);
          }
        }
      }
    }
  });

  it('gemm with a bias adds it to every row of C, on one thread and cut between threads', () => {
    // 70×310×200 is cut by rows and 40×700×200 by columns (see above): each block gets its own columns of the bias.
    const cases: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [2, 3, 0], [70, 310, 200], [40, 700, 200], [64, 300, 784]];
    let seed = 500;
    for (const [m, n, k] of cases) {
      for (const [transA, transB] of [[false, true], [true, false], [false, false]]) {
        for (const [alpha, beta] of [[1, 0], [0.5, 0.25], [0, 2]]) {
          const a = uniform(m * k, seed++);
          const b = uniform(k * n, seed++);
          const bias = uniform(n, seed++, -3, 3);
          const c0 = beta === 0 ? new Float32Array(m * n).fill(NaN) : uniform(m * n, seed++);
          const cn = c0.slice();
          const cj = c0.slice();
          native.gemm(transA, transB, m, n, k, alpha, a, b, beta, cn, bias);
          jsBackend.gemm(transA, transB, m, n, k, alpha, a, b, beta, cj, bias);
          // The same product without the bias, the bias added after: what the epilogue must equal.
          const expected = c0.slice();
          jsBackend.gemm(transA, transB, m, n, k, alpha, a, b, beta, expected);
          for (let i = 0; i < m * n; i++) expected[i] += bias[i % n];
          const what = `gemm + bias ${m}×${n}×${k} tA=${transA} tB=${transB} α=${alpha} β=${beta}`;
          expectMatch(cj, expected, maxAbs(expected), `js ${what}`);
          expectMatch(cn, expected, maxAbs(expected), `native ${what}`);
        }
      }
    }
  });

  it('gemm refuses a bias that is short, not a Float32Array or detached', () => {
    for (const be of [native, jsBackend]) {
      expect(() => be.gemm(false, true, 2, 3, 4, 1, new Float32Array(8), new Float32Array(12), 0, new Float32Array(6), new Float32Array(2)))
        .toThrow(/^gemm: bias has 2 elements, needs at least 3$/);
    }
    for (const be of [native, jsBackend]) {
      for (const beta of [0, 1]) {
        expect(() => be.gemm(false, true, 2, 3, 4, 1, new Float32Array(8), new Float32Array(12), beta, new Float32Array(6), [1, 2, 3] as never))
          .toThrow(/^gemm: bias must be a Float32Array, got an array$/);
      }
    }
    const detached = new Float32Array(3);
    structuredClone(detached.buffer, { transfer: [detached.buffer] });
    expect(() => native.gemm(false, true, 2, 3, 4, 1, new Float32Array(8), new Float32Array(12), 0, new Float32Array(6), detached))
      .toThrow(/^gemm: bias's buffer is detached$/);
  });

  it('gemm with beta = 0 ignores what C held (NaN included)', () => {
    const a = uniform(6, 1);
    const b = uniform(6, 2);
    const c = new Float32Array(4).fill(NaN);
    native.gemm(false, false, 2, 2, 3, 1, a, b, 0, c);
    const expected = new Float32Array(4);
    jsBackend.gemm(false, false, 2, 2, 3, 1, a, b, 0, expected);
    expectMatch(c, expected, maxAbs(expected));
  });

  const unaryCases: [UnaryOp, UnaryParams | undefined, number, number][] = [
    ['neg', undefined, -4, 4], ['exp', undefined, -10, 10], ['log', undefined, 0.01, 50], ['sqrt', undefined, 0, 50],
    ['abs', undefined, -4, 4], ['sign', undefined, -4, 4], ['square', undefined, -4, 4], ['reciprocal', undefined, 0.1, 5],
    ['sigmoid', undefined, -20, 20], ['tanh', undefined, -6, 6], ['tanh', undefined, -0.01, 0.01], ['relu', undefined, -4, 4],
    ['leakyRelu', undefined, -4, 4], ['leakyRelu', { alpha: 0.2 }, -4, 4], ['elu', undefined, -6, 4], ['elu', { alpha: 1.5 }, -6, 4],
    // Below −6 the js erf approximation loses relative accuracy on these ~1e-9 values (glibc's erfc does not).
    ['gelu', undefined, -6, 8], ['powScalar', { exponent: 2 }, -3, 3], ['powScalar', { exponent: 3 }, -3, 3],
    ['powScalar', { exponent: 0.5 }, 0, 4], ['powScalar', { exponent: -1.5 }, 0.1, 4], ['powScalar', { exponent: 0 }, -3, 3],
    ['clamp', { min: -0.5, max: 0.7 }, -2, 2], ['clamp', { min: 0 }, -2, 2], ['clamp', {}, -2, 2],
  ];

  it('unary and unaryBackward, every op', () => {
    let seed = 100;
    for (const [op, params, lo, hi] of unaryCases) {
      for (const n of [1, 7, 1000]) {
        const x = uniform(n, seed++, lo, hi);
        const dy = uniform(n, seed++);
        const yn = new Float32Array(n);
        const yj = new Float32Array(n);
        native.unary(op, x, yn, params);
        jsBackend.unary(op, x, yj, params);
        expectMatch(yn, yj, 0, `${op} ${JSON.stringify(params)}`);
        const gn = new Float32Array(n);
        const gj = new Float32Array(n);
        native.unaryBackward(op, x, yj, dy, gn, params);
        jsBackend.unaryBackward(op, x, yj, dy, gj, params);
        if (op === 'gelu') {
          // GELU′ = Φ(x) + x·φ(x) crosses zero at x ≈ −0.75, where its two terms (~0.23 each) cancel: from float
          // inputs either backend's value carries ~1e-8 there, so each value is compared on the scale of its terms.
          for (let i = 0; i < n; i++) {
            const v = x[i];
            const terms = Math.abs(dy[i]) * (Math.abs(yj[i] / v) + Math.abs(v) * Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI));
            if (!(Math.abs(gn[i] - gj[i]) <= 1e-5 * (Math.abs(gj[i]) + terms))) throw new Error(`gelu' element ${i} (x = ${v}): native ${gn[i]}, js ${gj[i]}`);
          }
        } else {
          expectMatch(gn, gj, 0, `${op}' ${JSON.stringify(params)}`);
        }
      }
    }
  });

  it('unary on NaN, ±Infinity and ±0 gives what js gives', () => {
    const x = Float32Array.from([NaN, Infinity, -Infinity, 0, -0, 1, -1]);
    const dy = Float32Array.from([1, 1, 1, 1, 1, 1, 1]);
    const ops: UnaryOp[] = ['neg', 'exp', 'log', 'sqrt', 'abs', 'sign', 'square', 'reciprocal', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'gelu', 'clamp'];
    for (const op of ops) {
      const yn = new Float32Array(x.length);
      const yj = new Float32Array(x.length);
      native.unary(op, x, yn);
      jsBackend.unary(op, x, yj);
      expectMatch(yn, yj, 0, op);
    }
    for (const exponent of [2, 0.5, 3, Infinity, NaN]) {
      const yn = new Float32Array(x.length);
      const yj = new Float32Array(x.length);
      native.unary('powScalar', x, yn, { exponent });
      jsBackend.unary('powScalar', x, yj, { exponent });
      expectMatch(yn, yj, 0, `powScalar ${exponent}`);
      native.unaryBackward('powScalar', x, yj, dy, yn, { exponent });
      jsBackend.unaryBackward('powScalar', x, yj, dy, yj, { exponent });
      expectMatch(yn, yj, 0, `powScalar' ${exponent}`);
    }
  });

  it('unary works in place and on views at a byte offset, without copying', () => {
    const x = uniform(8, 5);
    const expected = new Float32Array(8);
    jsBackend.unary('tanh', x, expected);
    native.unary('tanh', x, x);
    expectMatch(x, expected);

    const big = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    native.unary('neg', big.subarray(2, 5), big.subarray(6, 9));
    expect(Array.from(big)).toEqual([1, 2, 3, 4, 5, 6, -3, -4, -5, 10]);

    const shared = new Float32Array(new SharedArrayBuffer(16));
    shared.set([1, -2, 3, -4]);
    native.unary('relu', shared, shared);
    expect(Array.from(shared)).toEqual([1, 0, 3, 0]);
  });

  const binaryOps: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'gt', 'ge', 'lt', 'le'];
  const patterns: [number[], number[]][] = [
    [[3, 4], [3, 4]], [[3, 4], []], [[], [3, 4]], [[1], [5]], [[5], [1]], [[3, 4], [4]], [[4], [3, 4]],
    [[3, 4], [3, 1]], [[3, 1], [1, 4]], [[2, 3, 4, 5], [3, 1, 1]], [[2, 1, 4, 1], [1, 3, 1, 5]],
    [[2, 3, 4, 5], [2, 3, 4, 5]], [[6, 1, 7], [6, 5, 7]], [[], []], [[0, 3], [3]], [[64, 130], [130]],
  ];

  it('binary, every op and broadcasting pattern', () => {
    let seed = 1000;
    for (const op of binaryOps) {
      for (const [aShape, bShape] of patterns) {
        const outShape = broadcast(aShape, bShape);
        // Values from a small set make ties, so eq/ge/le/maximum are exercised on equal operands.
        const round = op === 'eq' || op === 'ge' || op === 'le' || op === 'maximum' || op === 'minimum';
        const lo = op === 'pow' ? 0.1 : -3;
        const a = uniform(size(aShape), seed++, lo, 3).map((v) => (round ? Math.round(v) : v));
        const b = uniform(size(bShape), seed++, lo, 3).map((v) => (round ? Math.round(v) : v));
        const on = new Float32Array(size(outShape));
        const oj = new Float32Array(size(outShape));
        native.binary(op, a, aShape, b, bShape, on, outShape);
        jsBackend.binary(op, a, aShape, b, bShape, oj, outShape);
        expectMatch(on, oj, 0, `${op} [${aShape}] [${bShape}]`);
      }
    }
  });

  it('binary on NaN and infinities gives what js gives', () => {
    const a = Float32Array.from([NaN, 1, NaN, Infinity, -Infinity, 1, -1, 0, 2]);
    const b = Float32Array.from([1, NaN, NaN, Infinity, 1, Infinity, -Infinity, -0, NaN]);
    for (const op of binaryOps) {
      const on = new Float32Array(a.length);
      const oj = new Float32Array(a.length);
      native.binary(op, a, [a.length], b, [b.length], on, [a.length]);
      jsBackend.binary(op, a, [a.length], b, [b.length], oj, [a.length]);
      expectMatch(on, oj, 0, op);
    }
  });

  it('reduce: sum, max and min over any axes', () => {
    const cases: [number[], number[]][] = [
      [[5], [0]], [[3, 4], [0]], [[3, 4], [1]], [[3, 4], [0, 1]], [[2, 3, 4], [0]], [[2, 3, 4], [1]], [[2, 3, 4], [2]],
      [[2, 3, 4], [0, 2]], [[2, 3, 4], [1, 2]], [[2, 3, 4], [0, 1, 2]], [[2, 3, 4, 5], [0, 2, 3]], [[2, 3, 4, 5], [1, 3]],
      [[4, 1, 3], [1]], [[3, 4], []], [[], []], [[3, 0, 2], [1]], [[3, 0, 2], [0]], [[2, 5000], [1]], [[128, 256], [0]],
      // Sums over rows large enough for the threads: four fixed groups of rows (the last ones uneven).
      [[2047, 130], [0]], [[4, 513, 100], [0, 1]], [[2, 4096, 17], [0, 1]],
    ];
    let seed = 5000;
    for (const op of ['sum', 'max', 'min'] as ReduceOp[]) {
      for (const [shape, axes] of cases) {
        const x = uniform(size(shape), seed++, -5, 5);
        const outSize = size(shape.filter((_, d) => !axes.includes(d)));
        const on = new Float32Array(outSize);
        const oj = new Float32Array(outSize);
        native.reduce(op, x, shape, axes, on);
        jsBackend.reduce(op, x, shape, axes, oj);
        expectMatch(on, oj, op === 'sum' ? maxAbs(oj) : 0, `${op} [${shape}] axes [${axes}]`);
      }
    }
  });

  it('reduce: max and min let NaN win, as in js', () => {
    const x = Float32Array.from([1, NaN, 3, 4, 5, 6, NaN, 0, -1, 2, 2, 2]);
    for (const op of ['max', 'min', 'sum'] as ReduceOp[]) {
      for (const axes of [[0], [1], [0, 1]]) {
        const outSize = axes.length === 2 ? 1 : axes[0] === 0 ? 4 : 3;
        const on = new Float32Array(outSize);
        const oj = new Float32Array(outSize);
        native.reduce(op, x, [3, 4], axes, on);
        jsBackend.reduce(op, x, [3, 4], axes, oj);
        expectMatch(on, oj, 0, `${op} axes [${axes}]`);
      }
    }
  });

  it('softmax and log-softmax, forward and backward', () => {
    let seed = 9000;
    for (const [rows, cols] of [[1, 1], [4, 10], [3, 257], [0, 5], [64, 10]]) {
      for (const log of [false, true]) {
        const x = uniform(rows * cols, seed++, -8, 8);
        const dy = uniform(rows * cols, seed++);
        const yn = new Float32Array(rows * cols);
        const yj = new Float32Array(rows * cols);
        native.softmax(x, rows, cols, yn, log);
        jsBackend.softmax(x, rows, cols, yj, log);
        expectMatch(yn, yj, 0, `softmax ${rows}×${cols} log=${log}`);
        const gn = new Float32Array(rows * cols);
        const gj = new Float32Array(rows * cols);
        native.softmaxBackward(yj, dy, rows, cols, gn, log);
        jsBackend.softmaxBackward(yj, dy, rows, cols, gj, log);
        expectMatch(gn, gj, maxAbs(gj) * 1e-2, `softmaxBackward ${rows}×${cols} log=${log}`);
      }
    }
  });
});

function broadcast(a: number[], b: number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    return da === 1 ? db : da;
  });
}

describe('native backend: argument checks throw Errors naming the kernel', () => {
  // The addon's functions, called with arguments TypeScript would reject.
  const raw = native as unknown as Record<string, (...args: unknown[]) => void>;
  const f32 = (n: number) => new Float32Array(n);

  it('gemm', () => {
    const a = f32(6);
    const b = f32(6);
    const c = f32(4).fill(7);
    const call = (...over: [number, unknown][]) => {
      const args: unknown[] = [false, false, 2, 2, 3, 1, a, b, 0, c];
      for (const [i, v] of over) args[i] = v;
      return () => raw.gemm(...args);
    };
    expect(() => raw.gemm()).toThrow(/^gemm: transA must be a boolean, got undefined$/);
    expect(call([0, 1])).toThrow(/^gemm: transA must be a boolean, got 1$/);
    expect(call([1, 'no'])).toThrow(/^gemm: transB must be a boolean, got a string$/);
    expect(call([2, -1])).toThrow(/^gemm: m must be an integer in \[0, 2147483647\], got -1$/);
    expect(call([3, 1.5])).toThrow(/^gemm: n must be an integer in \[0, 2147483647\], got 1.5$/);
    expect(call([4, 2 ** 31])).toThrow(/^gemm: k must be an integer in \[0, 2147483647\], got 2147483648$/);
    expect(call([4, NaN])).toThrow(/^gemm: k must be an integer/);
    expect(call([5, '1'])).toThrow(/^gemm: alpha must be a number, got a string$/);
    expect(call([8, null])).toThrow(/^gemm: beta must be a number, got null$/);
    expect(call([6, new Float64Array(6)])).toThrow(/^gemm: a must be a Float32Array, got Float64Array$/);
    expect(call([7, [1, 2, 3, 4, 5, 6]])).toThrow(/^gemm: b must be a Float32Array, got an array$/);
    expect(call([9, new Int32Array(4)])).toThrow(/^gemm: c must be a Float32Array, got Int32Array$/);
    expect(call([6, f32(5)])).toThrow(/^gemm: a has 5 elements, needs at least 6$/);
    expect(call([9, f32(3)])).toThrow(/^gemm: c has 3 elements, needs at least 4$/);
    expect(call([2, 100000], [3, 100000], [4, 100000])).toThrow(/^gemm: a has 6 elements, needs at least 10000000000$/);
    const detached = f32(6);
    detach(detached);
    expect(call([7, detached])).toThrow(/^gemm: b's buffer is detached$/);
    expect(Array.from(c)).toEqual([7, 7, 7, 7]);
  });

  it('unary', () => {
    const x = Float32Array.from([1, 2, 3]);
    const out = f32(3).fill(7);
    expect(() => raw.unary('cube', x, out)).toThrow(/^unary: unknown op 'cube'$/);
    expect(() => raw.unary(3, x, out)).toThrow(/^unary: op must be a string, got 3$/);
    expect(() => raw.unary('exp', [1, 2, 3], out)).toThrow(/^unary: x must be a Float32Array, got an array$/);
    expect(() => raw.unary('exp', x, new Uint8Array(3))).toThrow(/^unary: out must be a Float32Array, got Uint8Array$/);
    expect(() => raw.unary('exp', x, f32(2))).toThrow(/^unary: out has 2 elements, needs at least 3$/);
    expect(() => raw.unary('elu', x, out, 5)).toThrow(/^unary: params must be an object, got 5$/);
    expect(() => raw.unary('elu', x, out, { alpha: '1' })).toThrow(/^unary: params.alpha must be a number, got a string$/);
    expect(() => raw.unary('clamp', x, out, { min: null })).toThrow(/^unary: params.min must be a number, got null$/);
    expect(Array.from(out)).toEqual([7, 7, 7]);
    const gone = Float32Array.from([1, 2, 3]);
    detach(gone);
    expect(() => raw.unary('exp', gone, out)).toThrow(/^unary: x's buffer is detached$/);
  });

  it('unary: a params getter that detaches x is caught (buffers are taken after params)', () => {
    const x = Float32Array.from([1, 2, 3]);
    const out = f32(3);
    const params = {
      get alpha() {
        detach(x);
        return 0.5;
      },
    };
    expect(() => raw.unary('leakyRelu', x, out, params)).toThrow(/^unary: x's buffer is detached$/);
  });

  it('unaryBackward checks the buffers each op reads', () => {
    const n = 4;
    const x = f32(n);
    const y = f32(n);
    const dy = f32(n);
    const out = f32(n);
    expect(() => raw.unaryBackward('sigmoid', x, f32(2), dy, out)).toThrow(/^unaryBackward: y has 2 elements, needs at least 4$/);
    expect(() => raw.unaryBackward('relu', f32(3), y, dy, out)).toThrow(/^unaryBackward: x has 3 elements, needs at least 4$/);
    expect(() => raw.unaryBackward('relu', x, new Float64Array(4), dy, out)).toThrow(/^unaryBackward: y must be a Float32Array, got Float64Array$/);
    expect(() => raw.unaryBackward('relu', x, y, dy, f32(1))).toThrow(/^unaryBackward: out has 1 elements, needs at least 4$/);
    expect(() => raw.unaryBackward('relu', x, y, undefined, out)).toThrow(/^unaryBackward: dy must be a Float32Array, got undefined$/);
    expect(() => raw.unaryBackward('nope', x, y, dy, out)).toThrow(/^unaryBackward: unknown op 'nope'$/);
    // relu's derivative reads x only, so an empty y is fine.
    const g = Float32Array.from([1, 2, 3, 4]);
    raw.unaryBackward('relu', Float32Array.from([1, -1, 2, -2]), f32(0), g, out);
    expect(Array.from(out)).toEqual([1, 0, 3, 0]);
  });

  it('binary', () => {
    const a = f32(6);
    const b = f32(3);
    const out = f32(6).fill(7);
    expect(() => raw.binary('xor', a, [2, 3], b, [3], out, [2, 3])).toThrow(/^binary: unknown op 'xor'$/);
    expect(() => raw.binary('add', a, [2, 3], b, [2], out, [2, 3])).toThrow(/^binary: bShape \[2\] does not broadcast to outShape \[2,3\]$/);
    expect(() => raw.binary('add', a, [1, 2, 3], b, [3], out, [2, 3])).toThrow(/^binary: aShape \[1,2,3\] does not broadcast to outShape \[2,3\]$/);
    expect(() => raw.binary('add', a, [2, -3], b, [3], out, [2, 3])).toThrow(/^binary: aShape\[1\] must be an integer in \[0, 2147483647\], got -3$/);
    expect(() => raw.binary('add', a, 6, b, [3], out, [2, 3])).toThrow(/^binary: aShape must be an array of sizes, got 6$/);
    expect(() => raw.binary('add', f32(5), [2, 3], b, [3], out, [2, 3])).toThrow(/^binary: a has 5 elements, needs at least 6$/);
    expect(() => raw.binary('add', a, [2, 3], b, [3], f32(5), [2, 3])).toThrow(/^binary: out has 5 elements, needs at least 6$/);
    const huge = [2 ** 31 - 1, 2 ** 31 - 1, 2 ** 31 - 1];
    expect(() => raw.binary('add', a, huge, b, [1], out, huge)).toThrow(/^binary: aShape \[2147483647,2147483647,2147483647\] has too many elements$/);
    expect(() => raw.binary('add', a, [65536, 65536], b, [1], out, [65536, 65536])).toThrow(/^binary: a has 6 elements, needs at least 4294967296$/);
    expect(() => raw.binary('add', a, new Array(65).fill(1), b, [3], out, [2, 3])).toThrow(/^binary: aShape has 65 dimensions, at most 64 are supported$/);
    expect(Array.from(out)).toEqual([7, 7, 7, 7, 7, 7]);
  });

  it('reduce', () => {
    const x = f32(6);
    const out = f32(3);
    expect(() => raw.reduce('mean', x, [2, 3], [0], out)).toThrow(/^reduce: unknown op 'mean'$/);
    expect(() => raw.reduce('sum', x, [2, 3], [1, 0], out)).toThrow(/^reduce: axes \[1,0\] must be increasing axes of shape \[2,3\]$/);
    expect(() => raw.reduce('sum', x, [2, 3], [0, 0], out)).toThrow(/^reduce: axes \[0,0\] must be increasing/);
    expect(() => raw.reduce('sum', x, [2, 3], [2], out)).toThrow(/^reduce: axes \[2\] must be increasing axes of shape \[2,3\]$/);
    expect(() => raw.reduce('sum', x, [2, 3], [-1], out)).toThrow(/^reduce: axes\[0\] must be an integer/);
    expect(() => raw.reduce('sum', f32(5), [2, 3], [0], out)).toThrow(/^reduce: x has 5 elements, needs at least 6$/);
    expect(() => raw.reduce('sum', x, [2, 3], [0], f32(2))).toThrow(/^reduce: out has 2 elements, needs at least 3$/);
    expect(() => raw.reduce('sum', x, [2, 3], [0], new Float64Array(3))).toThrow(/^reduce: out must be a Float32Array, got Float64Array$/);
  });

  it('softmax and softmaxBackward', () => {
    const x = f32(6);
    const out = f32(6);
    expect(() => raw.softmax(x, -2, 3, out, false)).toThrow(/^softmax: rows must be an integer in \[0, 2147483647\], got -2$/);
    expect(() => raw.softmax(x, 2, 3, out, 'yes')).toThrow(/^softmax: log must be a boolean, got a string$/);
    expect(() => raw.softmax(f32(5), 2, 3, out, false)).toThrow(/^softmax: x has 5 elements, needs at least 6$/);
    expect(() => raw.softmax(x, 2 ** 31 - 1, 2 ** 31 - 1, out, false)).toThrow(/^softmax: x has 6 elements, needs at least 4611686014132420609$/);
    const gone = f32(6);
    detach(gone);
    expect(() => raw.softmax(x, 2, 3, gone, false)).toThrow(/^softmax: out's buffer is detached$/);
    expect(() => raw.softmaxBackward(x, f32(4), 2, 3, out, true)).toThrow(/^softmaxBackward: dy has 4 elements, needs at least 6$/);
    expect(() => raw.softmaxBackward({}, x, 2, 3, out, true)).toThrow(/^softmaxBackward: y must be a Float32Array, got an object$/);
  });
});
