/**
 * Property-based tests (fast-check) of the native addon: for every kernel it implements, on
 * random sizes, options and values (NaN, ±Infinity and ±0 included), it computes what the js
 * reference kernel computes, to 1e-5; and random garbage for any argument of any kernel becomes a
 * JavaScript Error, never a crash (a crash would take the test worker down).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Backend, Window2d } from '../src/backend/backend.js';
import { jsBackend } from '../src/backend/js/index.js';
import { loadNativeBackend } from '../src/backend/native/load.js';
import { NATIVE_KERNELS } from '../src/backend/native/native-backend.js';

const native: Backend = loadNativeBackend();
const RUNS = { numRuns: 20 };

type Kernel = (typeof NATIVE_KERNELS)[number];
type Args = unknown[];

const special = fc.constantFrom(NaN, Infinity, -Infinity, 0, -0);
/**
 * Values are normal floats or zero: on subnormals the two backends round differently (e.g. a
 * subnormal lr in adamUpdate moves js's param by 1.4e-45 and native's not at all), which is no error.
 */
const normal = (lo: number, hi: number) =>
  fc.float({ min: Math.fround(lo), max: Math.fround(hi), noNaN: true, noDefaultInfinity: true }).map((v) => (Math.abs(v) < 2 ** -126 ? 0 : v));
const value = (lo: number, hi: number, specials = true) =>
  specials ? fc.oneof({ weight: 30, arbitrary: normal(lo, hi) }, { weight: 1, arbitrary: special }) : normal(lo, hi);
const floats = (n: number, lo = -5, hi = 5, specials = true) =>
  fc.array(value(lo, hi, specials), { minLength: n, maxLength: n }).map((v) => Float32Array.from(v));
const dim = (max = 5, min = 0) => fc.integer({ min, max });
const activations = fc.constantFrom(...([null, 'relu', 'sigmoid', 'tanh'] as const));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 3 });

/** A shape of rank 0–4 and a shape broadcasting to it. */
const broadcastPair = fc.array(dim(4, 1), { maxLength: 4 }).chain((out) => {
  const into = fc.tuple(fc.integer({ min: 0, max: out.length }), fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }))
    .map(([drop, ones]) => out.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)));
  return fc.tuple(into, into);
});

function broadcast(a: number[], b: number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const da = a[a.length - n + i] ?? 1;
    return da === 1 ? b[b.length - n + i] ?? 1 : da;
  });
}

const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/** A valid window over planes up to 6×6 (conv: any padding and dilation; pool: dilation 1, padding ≤ kernel/2). */
const windowArb = (pool: boolean) => fc.record({
  height: dim(6, 1), width: dim(6, 1), kernelH: dim(3, 1), kernelW: dim(3, 1), strideH: dim(3, 1), strideW: dim(3, 1),
  padH: dim(2), padW: dim(2), dilationH: dim(pool ? 1 : 2, 1), dilationW: dim(pool ? 1 : 2, 1),
}).map((w) => {
  const padH = pool ? Math.min(w.padH, Math.floor(w.kernelH / 2)) : w.padH;
  const padW = pool ? Math.min(w.padW, Math.floor(w.kernelW / 2)) : w.padW;
  const spanH = w.dilationH * (w.kernelH - 1) + 1;
  const spanW = w.dilationW * (w.kernelW - 1) + 1;
  return { ...w, padH, padW, outH: Math.floor((w.height + 2 * padH - spanH) / w.strideH) + 1, outW: Math.floor((w.width + 2 * padW - spanW) / w.strideW) + 1 };
}).filter((w) => w.outH >= 1 && w.outW >= 1) as fc.Arbitrary<Window2d>;

const unaryOps = fc.constantFrom(
  ['neg'], ['exp'], ['log'], ['sqrt'], ['abs'], ['sign'], ['square'], ['reciprocal'], ['sigmoid'], ['tanh'], ['relu'],
  ['leakyRelu', { alpha: 0.2 }], ['elu', { alpha: 1.5 }], ['gelu'], ['powScalar', { exponent: 2 }], ['powScalar', { exponent: -1.5 }],
  ['powScalar', { exponent: 0.5 }], ['clamp', { min: -0.5, max: 0.7 }], ['clamp', { min: 0 }],
) as fc.Arbitrary<[string, Record<string, number>?]>;

/**
 * The js erf approximation loses relative accuracy below −6 (values ~1e-9), so gelu is compared above it.
 * powScalar's backward with a negative exponent is compared for |x| ≥ 1e-6 or 0: below, native's
 * float x^(e−1) overflows to Infinity where js's double does not (dy·e·x^(e−1) is then NaN or ±Infinity
 * in native but finite or 0 in js), a difference reported to the native backend's authors.
 */
const unaryInput = (op: string, n: number, params?: Record<string, number>) => {
  if (op === 'gelu') return floats(n, -6, 8, false);
  if (op === 'powScalar' && (params?.exponent ?? 0) < 0) return floats(n).map((x) => x.map((v) => (Math.abs(v) < 1e-6 ? 0 : v)));
  return floats(n);
};

/** Bags over a [rows, d] table: ids, offsets (numBags + 1, from 0, nondecreasing, the last = the ids used), mode, padding. */
const bagArb = fc.tuple(dim(6, 1), dim(4, 1), dim(10), dim(4), fc.constantFrom('sum', 'mean'), fc.boolean(), fc.integer({ min: -1, max: 5 }))
  .chain(([rows, d, n, numBags, mode, psw, padding]) => fc.tuple(
    fc.array(fc.integer({ min: 0, max: rows - 1 }), { minLength: n, maxLength: n }),
    fc.array(fc.integer({ min: 0, max: n }), { minLength: Math.max(0, numBags - 1), maxLength: Math.max(0, numBags - 1) }),
  ).map(([ids, cuts]) => ({
    rows, d, ids: Int32Array.from(ids), numBags, mode, psw, padding,
    offsets: Int32Array.from(numBags === 0 ? [0] : [0, ...cuts.sort((a, b) => a - b), n]),
  })));

/** Unique rows (ascending) of a [rows, d] parameter. */
const sparseRowsArb = fc.tuple(dim(6, 1), dim(4, 1)).chain(([rows, d]) =>
  fc.uniqueArray(fc.integer({ min: 0, max: rows - 1 }), { maxLength: rows }).map((idx) => ({ rows, d, indices: Int32Array.from(idx.sort((a, b) => a - b)) })));

/**
 * An attention problem: up to 2 items × 2 heads of L, S ≤ 4 rows, each operand in its own array at a
 * random offset with rows padded by up to 2 (so views are not contiguous), causal or not.
 */
const attentionArb = fc.tuple(dim(2), dim(2, 1), dim(4), dim(4), dim(3), dim(3), fc.boolean(), value(0.1, 1.5, false),
  fc.array(fc.tuple(dim(3), dim(2)), { minLength: 4, maxLength: 4 }))
  .map(([batch, heads, L, S, E, Ev, causal, scale, pads]) => {
    const dropoutP = 0.2;
    const views = [[L, E], [S, E], [S, Ev], [L, Ev]].map(([rows, cols], i) => {
      const [offset, pad] = pads[i];
      const rowStride = cols + pad;
      return { offset, batchStride: heads * rows * rowStride, headStride: rows * rowStride, rowStride };
    });
    const len = (i: number, rows: number) => views[i].offset + batch * views[i].batchStride + rows;
    return {
      params: { batch, heads, targetLength: L, sourceLength: S, headDim: E, valueDim: Ev, scale, causal, dropoutP, q: views[0], k: views[1], v: views[2], out: views[3] },
      items: batch * heads, LS: L * S, qLen: len(0, 0), kLen: len(1, 0), vLen: len(2, 0), outLen: len(3, 0),
    };
  });
/** A keep mask (1 = kept). */
const dropoutArb = (n: number) => fc.uint8Array({ min: 0, max: 1, minLength: n, maxLength: n });
/** A dropout mask's key word, and a dropout probability (0 and 1 included). */
const keyArb = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const probabilityArb = fc.oneof(value(0, 1, false), fc.constantFrom(0, 1, 0.5));
/** Two mask matrices, read by the items in turn. */
const maskIndexOf = (items: number) => Int32Array.from({ length: items }, (_, i) => i % 2);

/** For each kernel, random valid arguments (fresh arrays each time). */
const valid: Record<Kernel, fc.Arbitrary<Args>> = {
  // Finite operands only: js's loops skip a zero of A, so 0·NaN gives 0 there and NaN in OpenBLAS (IEEE's answer).
  // With or without the bias epilogue (a row added to every row of C).
  gemm: fc.tuple(fc.boolean(), fc.boolean(), dim(6), dim(6), dim(6), value(-2, 2, false), value(-2, 2, false))
    .chain(([ta, tb, m, n, k, alpha, beta]) => fc.tuple(floats(m * k, -5, 5, false), floats(k * n, -5, 5, false), floats(m * n, -5, 5, false), maybe(floats(n, -5, 5, false)))
      .map(([a, b, c, bias]) => [ta, tb, m, n, k, alpha, a, b, beta, c, bias])),
  // Shared operands (stride 0), padded strides, and summed products (cStride 0).
  gemmBatch: fc.tuple(fc.boolean(), fc.boolean(), dim(5), dim(5), dim(5), dim(4), fc.constantFrom(-1, 0, 3), fc.constantFrom(-1, 0, 2), fc.constantFrom(-1, 0, 1),
    value(-2, 2, false), value(-2, 2, false))
    .chain(([ta, tb, m, n, k, count, ap, bp, cp, alpha, beta]) => {
      const aStride = ap < 0 ? 0 : m * k + ap;
      const bStride = bp < 0 ? 0 : k * n + bp;
      const cStride = cp < 0 ? 0 : m * n + cp;
      const span = (stride: number, one: number) => (count === 0 ? one : (count - 1) * stride + one);
      return fc.tuple(floats(span(aStride, m * k), -5, 5, false), floats(span(bStride, k * n), -5, 5, false), floats(span(cStride, m * n), -5, 5, false))
        .map(([a, b, c]) => [ta, tb, m, n, k, alpha, a, aStride, b, bStride, beta, c, cStride, count]);
    }),
  gemmAsync: fc.tuple(fc.boolean(), fc.boolean(), dim(6), dim(6), dim(6), value(-2, 2, false), value(-2, 2, false))
    .chain(([ta, tb, m, n, k, alpha, beta]) => fc.tuple(floats(m * k, -5, 5, false), floats(k * n, -5, 5, false), floats(m * n, -5, 5, false))
      .map(([a, b, c]) => [ta, tb, m, n, k, alpha, a, b, beta, c])),
  // The ticket of nothing queued (the products' own tickets are waited for in the comparison below).
  gemmWait: fc.constant([0]),
  unary: fc.tuple(unaryOps, dim(40)).chain(([[op, params], n]) => unaryInput(op, n, params).map((x) => [op, x, new Float32Array(n), params])),
  unaryBackward: fc.tuple(unaryOps, dim(40)).chain(([[op, params], n]) => fc.tuple(unaryInput(op, n, params), floats(n)).map(([x, dy]) => {
    const y = new Float32Array(n);
    jsBackend.unary(op as never, x, y, params);
    return [op, x, y, dy, new Float32Array(n), params];
  })),
  binary: fc.tuple(fc.constantFrom('add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'gt', 'ge', 'lt', 'le'), broadcastPair)
    .chain(([op, [as, bs]]) => fc.tuple(floats(size(as)), floats(size(bs))).map(([a, b]) => {
      const out = broadcast(as, bs);
      return [op, a, as, b, bs, new Float32Array(size(out)), out];
    })),
  reduce: fc.tuple(fc.constantFrom('sum', 'max', 'min'), fc.array(dim(4), { maxLength: 4 })).chain(([op, shape]) =>
    fc.tuple(floats(size(shape)), fc.subarray(shape.map((_, d) => d))).map(([x, axes]) =>
      [op, x, shape, axes, new Float32Array(size(shape.filter((_, d) => !axes.includes(d))))])),
  softmax: fc.tuple(dim(5), dim(8), fc.boolean()).chain(([rows, cols, log]) => floats(rows * cols, -20, 20).map((x) => [x, rows, cols, new Float32Array(rows * cols), log])),
  softmaxBackward: fc.tuple(dim(5), dim(8), fc.boolean()).chain(([rows, cols, log]) => fc.tuple(floats(rows * cols, -8, 8, false), floats(rows * cols)).map(([x, dy]) => {
    const y = new Float32Array(rows * cols);
    jsBackend.softmax(x, rows, cols, y, log);
    return [y, dy, rows, cols, new Float32Array(rows * cols), log];
  })),
  batchNorm: fc.tuple(dim(5, 1), dim(4, 1), dim(4, 1), fc.boolean(), fc.boolean(), fc.boolean(), activations).chain(([n, c, inner, training, affine, track, activation]) =>
    fc.tuple(floats(n * c * inner, -5, 5, false), floats(c, 0.5, 2, false), floats(c, -1, 1, false), floats(c, -1, 1, false), floats(c, 0.5, 2, false),
      value(0, 1, false), value(1e-5, 1e-2, false))
      .map(([x, w, b, rm, rv, momentum, eps]) => [x, n, c, inner, affine ? w : null, affine ? b : null,
        track || !training ? rm : null, track || !training ? rv : null, { training, momentum, eps, activation },
        new Float32Array(n * c * inner), new Float32Array(c), new Float32Array(c)])),
  // activation: the fused BatchNorm→activation's backward, given that forward's output.
  batchNormBackward: fc.tuple(dim(5, 2), dim(4, 1), dim(4, 1), fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), activations)
    .chain(([n, c, inner, training, affine, wantDx, wantDw, wantDb, activation]) =>
      fc.tuple(floats(n * c * inner, -5, 5, false), floats(n * c * inner, -2, 2, false), floats(c, 0.5, 2, false)).map(([x, dy, w]) => {
        const mean = new Float32Array(c);
        const invStd = new Float32Array(c);
        const y = new Float32Array(x.length);
        jsBackend.batchNorm(x, n, c, inner, affine ? w : null, null, new Float32Array(c), new Float32Array(c).fill(1), { training, momentum: 0.1, eps: 1e-5, activation },
          y, mean, invStd);
        return [x, dy, n, c, inner, affine ? w : null, mean, invStd, training,
          wantDx ? new Float32Array(x.length) : null, wantDw ? new Float32Array(c) : null, wantDb ? new Float32Array(c) : null, activation, activation ? y : null];
      })),
  batchNormMaxPool2d: fc.tuple(dim(3, 1), dim(3, 1), windowArb(true), fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean())
    .chain(([n, c, w, training, affine, track, relu]) =>
      fc.tuple(floats(n * c * w.height * w.width, -5, 5, false), floats(c, 0.5, 2, false), floats(c, -1, 1, false), floats(c, -1, 1, false), floats(c, 0.5, 2, false))
        .map(([x, gamma, beta, rm, rv]) => [x, n, c, affine ? gamma : null, affine ? beta : null, track || !training ? rm : null, track || !training ? rv : null,
          { training, momentum: 0.1, eps: 1e-5, activation: relu ? 'relu' : null }, w, new Float32Array(n * c * w.outH * w.outW), new Int32Array(n * c * w.outH * w.outW),
          new Float32Array(c), new Float32Array(c)])),
  batchNormMaxPool2dBackward: fc.tuple(dim(3, 1), dim(3, 1), windowArb(true), fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean())
    .chain(([n, c, w, training, relu, wantDx, wantParams]) =>
      fc.tuple(floats(n * c * w.height * w.width, -5, 5, false), floats(n * c * w.outH * w.outW, -2, 2, false), floats(c, 0.5, 2, false)).map(([x, dy, gamma]) => {
        const out = new Float32Array(dy.length);
        const argmax = new Int32Array(dy.length);
        const mean = new Float32Array(c);
        const invStd = new Float32Array(c);
        jsBackend.batchNormMaxPool2d(x, n, c, gamma, null, new Float32Array(c), new Float32Array(c).fill(1), { training, momentum: 0.1, eps: 1e-5, activation: relu ? 'relu' : null },
          w, out, argmax, mean, invStd);
        return [x, dy, argmax, relu ? out : null, n, c, w, gamma, mean, invStd, training,
          wantDx ? new Float32Array(x.length) : null, wantParams ? new Float32Array(c) : null, wantParams ? new Float32Array(c) : null];
      })),
  layerNorm: fc.tuple(dim(5), dim(8, 1), fc.boolean(), fc.boolean(), fc.constantFrom(0, 1e-5, 0.1)).chain(([rows, cols, withWeight, withBias, eps]) =>
    fc.tuple(floats(rows * cols), floats(cols, 0.5, 2, false), floats(cols, -1, 1, false))
      .map(([x, w, b]) => [x, rows, cols, withWeight ? w : null, withBias ? b : null, eps, new Float32Array(rows * cols), new Float32Array(rows), new Float32Array(rows)])),
  layerNormBackward: fc.tuple(dim(5), dim(8, 1), fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean()).chain(([rows, cols, withWeight, wantDx, wantDw, wantDb]) =>
    fc.tuple(floats(rows * cols, -5, 5, false), floats(rows * cols), floats(cols, 0.5, 2, false)).map(([x, dy, w]) => {
      const mean = new Float32Array(rows);
      const rstd = new Float32Array(rows);
      jsBackend.layerNorm(x, rows, cols, null, null, 1e-5, new Float32Array(x.length), mean, rstd);
      return [x, dy, rows, cols, withWeight ? w : null, mean, rstd,
        wantDx ? new Float32Array(x.length).fill(7) : null, wantDw ? new Float32Array(cols).fill(7) : null, wantDb ? new Float32Array(cols).fill(7) : null];
    })),
  // Finite values only, as for gemm (OpenBLAS gives NaN for 0·NaN where js's loops skip the zero).
  conv2d: fc.tuple(dim(3, 1), dim(3, 1), windowArb(false), dim(3), fc.boolean()).chain(([ch, o, w, images, withBias]) =>
    fc.tuple(floats(images * ch * w.height * w.width, -5, 5, false), floats(o * ch * w.kernelH * w.kernelW, -2, 2, false), floats(o, -1, 1, false))
      .map(([x, weight, bias]) => [x, images, ch, w, weight, o, withBias ? bias : null, new Float32Array(images * o * w.outH * w.outW)])),
  conv2dBackward: fc.tuple(dim(3, 1), dim(3, 1), windowArb(false), dim(3), fc.boolean(), fc.boolean(), fc.boolean()).chain(([ch, o, w, images, wantDx, wantDw, wantDb]) =>
    fc.tuple(floats(images * ch * w.height * w.width, -5, 5, false), floats(images * o * w.outH * w.outW, -2, 2, false), floats(o * ch * w.kernelH * w.kernelW, -2, 2, false))
      .map(([x, dy, weight]) => [x, dy, images, ch, w, weight, o,
        wantDx ? new Float32Array(x.length).fill(7) : null, wantDw ? new Float32Array(weight.length).fill(7) : null, wantDb ? new Float32Array(o).fill(7) : null])),
  maxPool2d: fc.tuple(dim(3, 1), windowArb(true)).chain(([planes, w]) =>
    floats(planes * w.height * w.width).map((x) => [x, planes, w, new Float32Array(planes * w.outH * w.outW), new Int32Array(planes * w.outH * w.outW)])),
  maxPool2dBackward: fc.tuple(dim(3, 1), windowArb(true)).chain(([planes, w]) =>
    fc.tuple(floats(planes * w.height * w.width, -5, 5, false), floats(planes * w.outH * w.outW)).map(([x, dy]) => {
      const argmax = new Int32Array(planes * w.outH * w.outW);
      jsBackend.maxPool2d(x, planes, w, new Float32Array(argmax.length), argmax);
      return [dy, argmax, planes, w, new Float32Array(x.length)];
    })),
  avgPool2d: fc.tuple(dim(3, 1), windowArb(true)).chain(([planes, w]) =>
    floats(planes * w.height * w.width).map((x) => [x, planes, w, new Float32Array(planes * w.outH * w.outW)])),
  avgPool2dBackward: fc.tuple(dim(3, 1), windowArb(true)).chain(([planes, w]) =>
    floats(planes * w.outH * w.outW).map((dy) => [dy, planes, w, new Float32Array(planes * w.height * w.width)])),
  crossEntropy: fc.tuple(dim(5), dim(6, 1), value(0, 0.99, false)).chain(([rows, cols, ls]) =>
    fc.tuple(floats(rows * cols, -30, 30), fc.array(fc.integer({ min: 0, max: cols - 1 }), { minLength: rows, maxLength: rows }))
      .map(([logits, t]) => [logits, rows, cols, Int32Array.from(t), ls, new Float32Array(rows * cols), new Float32Array(rows)])),
  crossEntropyBackward: fc.tuple(dim(5), dim(6, 1), value(0, 0.99, false)).chain(([rows, cols, ls]) =>
    fc.tuple(floats(rows * cols, -10, 10, false), fc.array(fc.integer({ min: 0, max: cols - 1 }), { minLength: rows, maxLength: rows }), floats(rows, -2, 2, false))
      .map(([logits, t, scale]) => {
        const target = Int32Array.from(t);
        const logProbs = new Float32Array(rows * cols);
        jsBackend.crossEntropy(logits, rows, cols, target, ls, logProbs, new Float32Array(rows));
        return [logProbs, target, rows, cols, ls, scale, new Float32Array(rows * cols)];
      })),
  adamUpdate: fc.tuple(dim(12), fc.boolean(), fc.record({
    lr: value(0, 0.1, false), beta1: value(0, 0.999, false), beta2: value(0, 0.9999, false), eps: value(1e-10, 1e-3, false),
    weightDecay: value(0, 0.1, false), decoupled: fc.boolean(), step: fc.integer({ min: 1, max: 1000 }),
  })).chain(([n, amsgrad, params]) => fc.tuple(floats(n), floats(n), floats(n, -1, 1, false), floats(n, 0, 1, false), floats(n, 0, 1, false))
    .map(([p, g, m, v, vmax]) => [p, g, m, v, amsgrad ? vmax : null, params])),
  sgdUpdate: fc.tuple(dim(12), fc.boolean(), fc.record({
    lr: value(0, 1, false), momentum: value(0, 0.99, false), dampening: value(0, 1, false), weightDecay: value(0, 0.1, false),
    nesterov: fc.boolean(), initBuffer: fc.boolean(),
  })).chain(([n, withBuffer, params]) => fc.tuple(floats(n), floats(n), floats(n, -1, 1, false))
    .map(([p, g, b]) => [p, g, withBuffer ? b : null, params])),  // A box of up to 3 axes read at an offset with row-major strides, written column-major (a transpose), copied or accumulated.
  // Long arrays too, so a NaN or ±Infinity lands in later blocks of the native scan (4,096 values each).
  firstNonFinite: fc.oneof(
    fc.tuple(dim(40)).chain(([n]) => floats(n)).map((x) => [x]),
    fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.array(fc.tuple(fc.nat(), special), { maxLength: 2 })).map(([n, spots]) => {
      const x = new Float32Array(n).fill(0.5);
      for (const [p, v] of spots) if (n > 0) x[p % n] = v;
      return [x];
    }),
  ),
  // Long arrays too: the native sum goes by blocks of 16,384 values (threaded from 8 blocks: backend-native-fused).
  sumOfSquares: fc.oneof(
    fc.tuple(dim(40)).chain(([n]) => floats(n)).map((x) => [x]),
    fc.tuple(fc.integer({ min: 0, max: 40_000 }), fc.array(fc.tuple(fc.nat(), special), { maxLength: 1 })).map(([n, spots]) => {
      const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 3);
      for (const [p, v] of spots) if (n > 0) x[p % n] = v;
      return [x];
    }),
  ),
  // Ids with repeats (the padding id among them, or none), large ones too (three radix passes and more),
  // a prefix of n of them; outputs longer than n and prefilled, so what is past the count must stay.
  uniqueRows: fc.tuple(
    fc.array(fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 2 ** 31 - 1 })), { maxLength: 40 }),
    fc.nat(), fc.constantFrom(-1, 3, 7), dim(3),
  ).map(([ids, cut, padding, extra]) => {
    const n = cut % (ids.length + 1);
    return [Int32Array.from(ids), n, padding, new Int32Array(n + extra).fill(-5), new Int32Array(n + extra).fill(-5)];
  }),
  // Byte rows gathered in any order (repeats included) through a table with NaN and ±Infinity in it.
  // A hint: neither backend changes the array (native may back it with 2 MB pages).
  adviseHugePages: floats(64, -1, 1, false).map((a) => [a]),
  lookupRows: fc.tuple(dim(6, 1), dim(5, 1), dim(8)).chain(([rowSize, available, count]) => fc.tuple(
    fc.uint8Array({ minLength: available * rowSize, maxLength: available * rowSize }),
    fc.array(fc.integer({ min: 0, max: available - 1 }), { minLength: count, maxLength: count }),
    floats(256),
  ).map(([src, rows, table]) => [src, rowSize, Int32Array.from(rows), count, table, new Float32Array(count * rowSize)])),
  embeddingBag: bagArb.chain(({ rows, d, ids, offsets, numBags, mode, psw, padding }) =>
    fc.tuple(floats(rows * d), psw ? floats(ids.length, -2, 2, false) : fc.constant(null))
      .map(([weight, w]) => [weight, d, ids, offsets, numBags, mode, w, padding, new Float32Array(numBags * d).fill(NaN)])),  // every bag is written, empty ones too
  // Into a dense gradient (rows = ids) holding random values: the scatter adds.
  embeddingBagBackward: bagArb.chain(({ rows, d, ids, offsets, numBags, mode, psw, padding }) =>
    fc.tuple(floats(numBags * d), psw ? floats(ids.length, -2, 2, false) : fc.constant(null), floats(rows * d, -5, 5, false))
      .map(([grad, w, out]) => [grad, d, ids, offsets, numBags, mode, w, padding, ids.slice(), out])),
  sparseSgdUpdate: sparseRowsArb.chain(({ rows, d, indices }) => fc.tuple(floats(rows * d), floats(indices.length * d), value(0, 1, false))
    .map(([p, v, lr]) => [p, d, indices, v, lr])),
  sparseAdagradUpdate: sparseRowsArb.chain(({ rows, d, indices }) =>
    fc.tuple(floats(rows * d), floats(rows * d, 0, 5, false), floats(indices.length * d), value(0, 1, false), fc.constantFrom(1e-10, 1e-6, 0.1))
      .map(([p, sum, v, clr, eps]) => [p, sum, d, indices, v, clr, eps])),
  sparseFtrlUpdate: sparseRowsArb.chain(({ rows, d, indices }) =>
    fc.tuple(floats(rows * d, -5, 5, false), floats(rows * d, 0.01, 5, false), floats(rows * d, -5, 5, false), floats(indices.length * d, -5, 5, false), fc.record({
      lr: value(0.01, 1, false), lrPower: fc.constantFrom(-0.5, -0.7, -1, 0), l1: value(0, 0.5, false), l2: value(0, 0.5, false), beta: value(0, 1, false),
    })).map(([p, n, z, v, params]) => [p, Float32Array.from({ length: 2 * n.length }, (_, i) => (i % 2 === 0 ? n[i / 2] : z[(i - 1) / 2])), d, indices, v, params])),
  sparseAdamUpdate: sparseRowsArb.chain(({ rows, d, indices }) =>
    fc.tuple(floats(rows * d), floats(rows * d, -1, 1, false), floats(rows * d, 0, 2, false), floats(indices.length * d), fc.record({
      beta1: value(0, 0.99, false), beta2: value(0, 0.999, false), eps: fc.constantFrom(1e-8, 1e-6), stepSize: value(0, 0.5, false),
    })).map(([p, m, v, g, params]) => [p, m, v, d, indices, g, params])),
  // The backward kernels read activated gates and cell states: made by the js forward from random pre-activations.
  lstmCell: fc.tuple(dim(4), dim(6)).chain(([b, h]) => fc.tuple(floats(4 * b * h, -8, 8), floats(b * h))
    .map(([gates, cPrev]) => [gates, cPrev, b, h, new Float32Array(b * h), new Float32Array(b * h)])),
  lstmCellBackward: fc.tuple(dim(4), dim(6)).chain(([b, h]) => fc.tuple(floats(4 * b * h, -8, 8, false), floats(b * h, -3, 3, false), floats(b * h), floats(b * h), floats(b * h))
    .map(([gates, cPrev, dhOut, dh, dc]) => {
      const c = new Float32Array(b * h);
      jsBackend.lstmCell(gates, cPrev, b, h, c, new Float32Array(b * h));
      return [gates, cPrev, c, dhOut, dh, dc, b, h, new Float32Array(4 * b * h)];
    })),
  gruCell: fc.tuple(dim(4), dim(6)).chain(([b, h]) => fc.tuple(floats(3 * b * h, -8, 8), floats(3 * b * h, -8, 8), floats(b * h))
    .map(([gates, hGates, hPrev]) => [gates, hGates, hPrev, b, h, new Float32Array(b * h)])),
  gruCellBackward: fc.tuple(dim(4), dim(6)).chain(([b, h]) => fc.tuple(floats(3 * b * h, -8, 8, false), floats(3 * b * h, -8, 8, false), floats(b * h, -3, 3, false), floats(b * h), floats(b * h))
    .map(([gates, hGates, hPrev, dhOut, dh]) => {
      jsBackend.gruCell(gates, hGates, hPrev, b, h, new Float32Array(b * h));
      return [gates, hGates, hPrev, dhOut, dh, b, h, new Float32Array(3 * b * h), new Float32Array(3 * b * h)];
    })),
  // Any key (the same draws on both), any p, including 0 and 1; long enough to be threaded.
  dropoutMask: fc.tuple(keyArb, keyArb, probabilityArb, fc.oneof(dim(300), fc.constant(200_000))).map(([k0, k1, p, n]) => [k0, k1, p, new Uint8Array(n)]),
  dropout: fc.tuple(keyArb, keyArb, probabilityArb, fc.oneof(dim(300), fc.constant(100_000))).chain(([k0, k1, p, n]) =>
    (n > 300 ? fc.constant(Float32Array.from({ length: n }, (_, i) => Math.sin(i))) : floats(n)).map((x) => [k0, k1, p, x, new Float32Array(n), new Uint8Array(n)])),
  dropoutBackward: fc.tuple(probabilityArb, dim(300)).chain(([p, n]) => fc.tuple(floats(n), fc.uint8Array({ min: 0, max: 1, minLength: n, maxLength: n }))
    .map(([dy, keep]) => [dy, keep, p, new Float32Array(n)])),
  attention: attentionArb.chain((a) => fc.tuple(floats(a.qLen, -3, 3, false), floats(a.kLen, -3, 3, false), floats(a.vLen, -3, 3, false), maybe(floats(2 * a.LS, -3, 3)),
    maybe(dropoutArb(a.items * a.LS))).map(([q, k, v, mask, dropout]) => [q, k, v, a.params, mask, mask === null ? null : maskIndexOf(a.items), dropout,
    new Float32Array(a.outLen), new Float32Array(a.items * a.LS)])),
  // From the js forward's probabilities and output; dq, dk, dv start with garbage (the kernel overwrites its views).
  attentionBackward: attentionArb.chain((a) => fc.tuple(floats(a.qLen, -3, 3, false), floats(a.kLen, -3, 3, false), floats(a.vLen, -3, 3, false),
    maybe(dropoutArb(a.items * a.LS)), floats(a.outLen, -2, 2, false), fc.boolean(), fc.boolean(), fc.boolean()).map(([q, k, v, dropout, dOut, wq, wk, wv]) => {
    const out = new Float32Array(a.outLen);
    const probs = new Float32Array(a.items * a.LS);
    jsBackend.attention(q, k, v, a.params, null, null, dropout, out, probs);
    const grad = (n: number, want: boolean) => (want ? new Float32Array(n).fill(7) : null);
    return [q, k, v, a.params, probs, dropout, out, dOut, grad(a.qLen, wq), grad(a.kLen, wk), grad(a.vLen, wv)];
  })),
  copyStrided: fc.tuple(fc.array(dim(4, 1), { maxLength: 3 }), dim(3), dim(3), fc.boolean()).chain(([size, xOffset, outOffset, accumulate]) => {
    const n = size.reduce((a, b) => a * b, 1);
    const rowMajor = size.map((_, i) => size.slice(i + 1).reduce((a, b) => a * b, 1));
    const columnMajor = size.map((_, i) => size.slice(0, i).reduce((a, b) => a * b, 1));
    return fc.tuple(floats(n + xOffset), floats(n + outOffset, -1, 1, false))
      .map(([x, out]) => [x, xOffset, rowMajor, out, outOffset, columnMajor, size, accumulate]);
  }),
};

const clone = (args: Args): Args => args.map((a) => (ArrayBuffer.isView(a) ? (a as Float32Array).slice() : Array.isArray(a) ? a.slice() : a && typeof a === 'object' ? { ...a } : a));

function maxAbs(x: Float32Array): number {
  let m = 0;
  for (const v of x) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return m;
}

/** Kernels that sum over many inputs: their error is relative to the largest operand, not to each output. */
const SUMS = new Set<string>(['gemm', 'gemmAsync', 'gemmBatch', 'reduce', 'softmax', 'softmaxBackward', 'batchNorm', 'batchNormBackward', 'batchNormMaxPool2d', 'batchNormMaxPool2dBackward', 'conv2d', 'conv2dBackward', 'avgPool2d',
  'avgPool2dBackward', 'maxPool2dBackward', 'crossEntropy', 'crossEntropyBackward', 'attention', 'attentionBackward']);

/**
 * Every array argument (outputs, and buffers updated in place) agrees: |a − e| ≤ 1e-5·(|e| + scale)
 * + 2⁻¹²⁶ (results that underflow round differently), scale the largest magnitude of that array
 * before and after the call (θ − lr·g can be tiny next to θ) or, for sums, of every argument (the
 * js kernels sum some reductions in float32, native in double). NaN only with NaN; Int32Arrays exactly.
 */
function expectAgree(kernel: string, before: Args, mine: Args, reference: Args): void {
  const all = Math.max(...before.map((b) => (b instanceof Float32Array ? maxAbs(b) : 0)), ...reference.map((r) => (r instanceof Float32Array ? maxAbs(r) : 0)));
  reference.forEach((e, k) => {
    if (!(e instanceof Float32Array || e instanceof Int32Array)) return;
    const a = mine[k] as Float32Array;
    const scale = e instanceof Int32Array ? 0 : SUMS.has(kernel) ? all : Math.max(maxAbs(e), maxAbs(before[k] as Float32Array));
    const atol = e instanceof Int32Array ? 0 : 2 ** -126;
    for (let i = 0; i < e.length; i++) {
      const ok = Number.isNaN(e[i]) ? Number.isNaN(a[i]) : a[i] === e[i] || Math.abs(a[i] - e[i]) <= 1e-5 * (Math.abs(e[i]) + scale) + atol;
      if (!ok) throw new Error(`${kernel}: argument ${k} element ${i}: native ${a[i]}, js ${e[i]}`);
    }
  });
}

describe('property: native kernels agree with js on random inputs', () => {
  it('covers every kernel the addon implements', () => {
    expect(Object.keys(valid).sort()).toEqual([...NATIVE_KERNELS].sort());
  });

  for (const kernel of NATIVE_KERNELS) {
    it(kernel, () => {
      fc.assert(fc.property(valid[kernel], (args) => {
        const mine = clone(args);
        const reference = clone(args);
        const returned = (native[kernel] as (...a: Args) => unknown)(...mine);
        const expected = (jsBackend[kernel] as (...a: Args) => unknown)(...reference);
        // A queued product's ticket (0 in js): its result is there once waited for.
        if (kernel === 'gemmAsync') native.gemmWait(returned as number);
        // A sum of squares in double, added in another order: equal to ~1e-12 of itself (NaN with NaN).
        else if (kernel === 'sumOfSquares' && Number.isFinite(expected)) expect(Math.abs((returned as number) - (expected as number))).toBeLessThanOrEqual(1e-10 * (expected as number));
        else expect(returned, `${kernel} returned`).toBe(expected);
        expectAgree(kernel, args, mine, reference);
      }), RUNS);
    });
  }
});

/** Anything a caller could pass by mistake. */
const garbage = fc.oneof(
  fc.constantFrom(undefined, null, true, 'add', -1, 1.5, NaN, Infinity, 2 ** 31, 2 ** 31 - 1, 2 ** 53, -0, {}, [], [-1], [2 ** 31 - 1, 2 ** 31 - 1]),
  fc.integer({ min: 0, max: 8 }).map((n) => new Float32Array(n)),
  fc.integer({ min: 0, max: 8 }).map((n) => new Int32Array(n)),
  fc.integer({ min: 0, max: 8 }).map((n) => new Float64Array(n)),
  fc.constant(null).map(() => {
    const x = new Float32Array(4);
    structuredClone(x.buffer, { transfer: [x.buffer] });
    return x;
  }),
  fc.record({ height: dim(2 ** 31 - 1), width: dim(4), outH: dim(2 ** 31 - 1), outW: dim(4), kernelH: dim(3) }),
  fc.anything({ maxDepth: 1 }),
);

describe('property: any garbage argument becomes an Error naming the kernel, never a crash', () => {
  for (const kernel of NATIVE_KERNELS) {
    it(`${kernel}: one argument of a valid call replaced`, () => {
      fc.assert(fc.property(valid[kernel], fc.nat(), garbage, (args, at, bad) => {
        const call = clone(args);
        call[at % call.length] = bad;
        try {
          (native[kernel] as (...a: Args) => void)(...call);
        } catch (err) {
          expect(err).toBeInstanceOf(Error);
          expect((err as Error).message.startsWith(`${kernel}: `), (err as Error).message).toBe(true);
        }
      }), { numRuns: 60 });
    });

    it(`${kernel}: all arguments random`, () => {
      fc.assert(fc.property(fc.array(garbage, { maxLength: 13 }), (call) => {
        try {
          (native[kernel] as (...a: Args) => void)(...call);
        } catch (err) {
          expect(err).toBeInstanceOf(Error);
        }
      }), { numRuns: 40 });
    });
  }
});
