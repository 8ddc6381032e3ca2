/**
 * Property-based tests (fast-check) of the elementwise ops, the binary ops with NumPy
 * broadcasting, softmax and the reductions: on random shapes (ranks 0–3, sizes 1–4, random
 * broadcasting) and random values, the forward matches a float64 reference computed here and the
 * gradients match central differences (gradcheck). About 20 runs per property, to stay fast.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  Tensor, abs, add, clamp, div, elu, exp, gelu, gradcheck, leakyRelu, log, logSoftmax, manualSeed, max, maximum, mean, min,
  minimum, mul, neg, pow, randn, reciprocal, relu, sigmoid, softmax, sqrt, square, sub, sum, tanh, variance,
} from '../src/index.js';

const RUNS = { numRuns: 20 };

const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/** A shape of rank 0–3 with sizes 1–4. */
const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 3 });

/** A shape that broadcasts to `out`: some leading axes dropped, some sizes set to 1. */
const broadcastingTo = (out: number[]) =>
  fc.tuple(fc.integer({ min: 0, max: out.length }), fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }))
    .map(([drop, ones]) => out.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)));

/** Two shapes that broadcast together (to a shape of rank ≤ 3). */
const broadcastPairArb = shapeArb.chain((out) => fc.tuple(broadcastingTo(out), broadcastingTo(out)));

/** NumPy's broadcast of two shapes (the test's own, not nabla's). */
function broadcast(a: number[], b: number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error(`shapes [${a}] and [${b}] do not broadcast`);
    return da === 1 ? db : da;
  });
}

/** The flat index into a tensor of `shape` for the output multi-index `idx` (broadcast axes read index 0). */
function sourceIndex(idx: number[], shape: number[]): number {
  const lead = idx.length - shape.length;
  let flat = 0;
  for (let d = 0; d < shape.length; d++) flat = flat * shape[d] + (shape[d] === 1 ? 0 : idx[lead + d]);
  return flat;
}

function multiIndex(flat: number, shape: number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return idx;
}

/** Float64 reference of a broadcasting binary op. */
function reference(f: (x: number, y: number) => number, a: Tensor, b: Tensor): { shape: number[]; data: Float64Array } {
  const shape = broadcast(a.shape, b.shape);
  const data = new Float64Array(size(shape));
  for (let i = 0; i < data.length; i++) {
    const idx = multiIndex(i, shape);
    data[i] = f(a.data[sourceIndex(idx, a.shape)], b.data[sourceIndex(idx, b.shape)]);
  }
  return { shape, data };
}

function expectNear(actual: Float32Array, expected: ArrayLike<number>, rtol = 2e-6, atol = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    if (!(Math.abs(actual[i] - e) <= atol + rtol * Math.abs(e))) throw new Error(`element ${i}: ${actual[i]} vs reference ${e}`);
  }
}

/** A tensor of `shape` whose values are f(standard normal draws), requiring grad. */
function input(shape: number[], f: (z: number) => number = (z) => z): Tensor {
  const t = randn(shape);
  for (let i = 0; i < t.size; i++) t.data[i] = f(t.data[i]);
  return new Tensor(t.data, shape.slice(), true);
}

const awayFromZero = (z: number) => Math.sign(z || 1) * (0.2 + Math.abs(z));
const positive = (z: number) => 0.2 + Math.abs(z);
/** Values on a grid of step 0.2 (offset by `shift`), so two operands never tie. */
const grid = (shift: number) => (z: number) => Math.round(z * 5) * 0.2 + shift;

interface BinaryCase {
  name: string;
  op: (a: Tensor, b: Tensor) => Tensor;
  f: (x: number, y: number) => number;
  a?: (z: number) => number;
  b?: (z: number) => number;
}

const binaryCases: BinaryCase[] = [
  { name: 'add', op: add, f: (x, y) => x + y },
  { name: 'sub', op: sub, f: (x, y) => x - y },
  { name: 'mul', op: mul, f: (x, y) => x * y },
  { name: 'div', op: div, f: (x, y) => x / y, b: awayFromZero },
  { name: 'pow', op: pow, f: (x, y) => x ** y, a: (z) => 0.5 + Math.abs(z) / 2, b: (z) => Math.max(-2, Math.min(2, z)) },
  { name: 'maximum', op: maximum, f: Math.max, a: grid(0), b: grid(0.1) },
  { name: 'minimum', op: minimum, f: Math.min, a: grid(0), b: grid(0.1) },
];

describe('property: binary ops broadcast like NumPy, match float64 and pass gradcheck', () => {
  for (const c of binaryCases) {
    it(c.name, () => {
      fc.assert(fc.property(broadcastPairArb, fc.integer({ min: 0, max: 2 ** 31 - 1 }), ([sa, sb], seed) => {
        manualSeed(seed);
        const a = input(sa, c.a);
        const b = input(sb, c.b);
        const out = c.op(a, b);
        const ref = reference(c.f, a, b);
        expect(out.shape).toEqual(ref.shape);
        expectNear(out.data, ref.data, 1e-5);
        expect(gradcheck(c.op, [a, b])).toBe(true);
      }), RUNS);
    });
  }

  it('shapes that do not broadcast are refused, naming both', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 2, max: 5 }), (m, n) => {
      fc.pre(m !== n);
      expect(() => add(randn([m]), randn([3, n]))).toThrow(`[${m}]`);
    }), RUNS);
  });
});

const erf = (x: number): number => {
  // Abramowitz–Stegun 7.1.26 is too coarse for 2e-6; integrate the series instead (|x| ≤ 6 here).
  let term = x;
  let total = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    total += term / (2 * n + 1);
    if (Math.abs(term) < 1e-17) break;
  }
  return (2 / Math.sqrt(Math.PI)) * total;
};

interface UnaryCase {
  name: string;
  op: (x: Tensor) => Tensor;
  f: (x: number) => number;
  domain?: (z: number) => number;
}

const unaryCases: UnaryCase[] = [
  { name: 'neg', op: neg, f: (x) => -x },
  { name: 'exp', op: exp, f: Math.exp },
  { name: 'log', op: log, f: Math.log, domain: positive },
  { name: 'sqrt', op: sqrt, f: Math.sqrt, domain: positive },
  { name: 'abs', op: abs, f: Math.abs, domain: awayFromZero },
  { name: 'square', op: square, f: (x) => x * x },
  { name: 'reciprocal', op: reciprocal, f: (x) => 1 / x, domain: awayFromZero },
  { name: 'sigmoid', op: sigmoid, f: (x) => 1 / (1 + Math.exp(-x)) },
  { name: 'tanh', op: tanh, f: Math.tanh },
  { name: 'relu', op: relu, f: (x) => Math.max(x, 0), domain: awayFromZero },
  { name: 'leakyRelu(0.1)', op: (x) => leakyRelu(x, 0.1), f: (x) => (x > 0 ? x : 0.1 * x), domain: awayFromZero },
  { name: 'elu', op: elu, f: (x) => (x > 0 ? x : Math.exp(x) - 1), domain: awayFromZero },
  { name: 'gelu', op: gelu, f: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)) },
  { name: 'clamp(-0.5, 0.7)', op: (x) => clamp(x, -0.5, 0.7), f: (x) => Math.min(0.7, Math.max(-0.5, x)), domain: (z) => (Math.abs(z + 0.5) < 0.05 || Math.abs(z - 0.7) < 0.05 ? z + 0.2 : z) },
];

describe('property: unary ops match float64 and pass gradcheck on any shape', () => {
  for (const c of unaryCases) {
    it(c.name, () => {
      fc.assert(fc.property(shapeArb, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (shape, seed) => {
        manualSeed(seed);
        const x = input(shape, c.domain);
        const y = c.op(x);
        expect(y.shape).toEqual(shape);
        expectNear(y.data, Array.from(x.data, c.f), 3e-6);
        expect(gradcheck(c.op, [x])).toBe(true);
      }), RUNS);
    });
  }
});

/** A shape of rank 1–3 with a random set of its axes (undefined = all) and keepDims. */
const reductionArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }).chain((shape) =>
  fc.tuple(
    fc.constant(shape),
    fc.option(fc.subarray(shape.map((_, d) => d), { minLength: 1 }), { nil: undefined }),
    fc.boolean(),
  ));

/** Float64 reduction of x over `axes` with `f` applied to each group of values. */
function reduceReference(x: Tensor, axes: number[], f: (values: number[]) => number, keepDims: boolean) {
  const shape = x.shape;
  const outShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const groups: number[][] = Array.from({ length: size(outShape) }, () => []);
  for (let i = 0; i < x.size; i++) {
    const idx = multiIndex(i, shape).map((v, d) => (axes.includes(d) ? 0 : v));
    let flat = 0;
    for (let d = 0; d < shape.length; d++) flat = flat * outShape[d] + idx[d];
    groups[flat].push(x.data[i]);
  }
  return { shape: keepDims ? outShape : shape.filter((_, d) => !axes.includes(d)), data: groups.map(f) };
}

const total = (v: number[]) => v.reduce((s, x) => s + x, 0);
const average = (v: number[]) => total(v) / v.length;

interface ReductionCase {
  name: string;
  op: (x: Tensor, axes: number[] | undefined, keepDims: boolean) => Tensor;
  f: (v: number[]) => number;
  distinct?: boolean;
  /** Needs more than one value per group. */
  several?: boolean;
}

const reductionCases: ReductionCase[] = [
  { name: 'sum', op: (x, a, k) => sum(x, a, k), f: total },
  { name: 'mean', op: (x, a, k) => mean(x, a, k), f: average },
  { name: 'max', op: (x, a, k) => max(x, a, k), f: (v) => Math.max(...v), distinct: true },
  { name: 'min', op: (x, a, k) => min(x, a, k), f: (v) => Math.min(...v), distinct: true },
  {
    name: 'var (unbiased)', op: (x, a, k) => variance(x, a, { keepDims: k }), several: true,
    f: (v) => total(v.map((x) => (x - average(v)) ** 2)) / (v.length - 1),
  },
];

describe('property: reductions over random axes match float64 and pass gradcheck', () => {
  for (const c of reductionCases) {
    it(c.name, () => {
      fc.assert(fc.property(reductionArb, fc.integer({ min: 0, max: 2 ** 31 - 1 }), ([shape, axes, keepDims], seed) => {
        const all = axes ?? shape.map((_, d) => d);
        if (c.several) fc.pre(size(all.map((d) => shape[d])) > 1);
        manualSeed(seed);
        // Distinct values 0.1 apart (a shuffled grid) for max/min, so no tie sits within gradcheck's step.
        const x = c.distinct ? input(shape, () => 0) : input(shape);
        if (c.distinct) {
          const order = Array.from(randn([x.size]).data).map((v, i) => [v, i] as const).sort((p, q) => p[0] - q[0]);
          order.forEach(([, i], rank) => { x.data[i] = rank * 0.1 - 1; });
        }
        const y = c.op(x, axes, keepDims);
        const ref = reduceReference(x, all, c.f, keepDims);
        expect(y.shape).toEqual(ref.shape);
        expectNear(y.data, ref.data, 1e-5, 1e-5);
        expect(gradcheck((t) => c.op(t, axes, keepDims), [x])).toBe(true);
      }), RUNS);
    });
  }
});

describe('property: softmax and logSoftmax on a random axis', () => {
  const softmaxArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 })
    .chain((shape) => fc.tuple(fc.constant(shape), fc.integer({ min: -shape.length, max: shape.length - 1 })));

  for (const [name, op, isLog] of [['softmax', softmax, false], ['logSoftmax', logSoftmax, true]] as const) {
    it(`${name}: rows sum to 1 (in probability), match float64, pass gradcheck`, () => {
      fc.assert(fc.property(softmaxArb, fc.integer({ min: 0, max: 2 ** 31 - 1 }), ([shape, axis], seed) => {
        manualSeed(seed);
        const x = input(shape, (z) => 3 * z);
        const y = op(x, axis);
        const d = axis < 0 ? shape.length + axis : axis;
        const expected = new Float64Array(x.size);
        const stride = size(shape.slice(d + 1));
        for (let i = 0; i < x.size; i++) {
          const idx = multiIndex(i, shape);
          const base = i - idx[d] * stride;
          const row = Array.from({ length: shape[d] }, (_, k) => x.data[base + k * stride]);
          const m = Math.max(...row);
          const lse = m + Math.log(total(row.map((v) => Math.exp(v - m))));
          expected[i] = isLog ? x.data[i] - lse : Math.exp(x.data[i] - lse);
        }
        expectNear(y.data, expected, 1e-5, 1e-6);
        expect(gradcheck((t) => op(t, axis), [x])).toBe(true);
      }), RUNS);
    });
  }
});
