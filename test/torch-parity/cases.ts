/**
 * The parity cases: inputs drawn here from a seeded generator of this file's own (so they do
 * not move when nabla's generator changes), each case a function name from the shared catalogue
 * (run-nabla.ts in TypeScript, reference.py in Python), its inputs and its parameters.
 * reference.json holds PyTorch's outputs for exactly these cases (`npm run parity:update`).
 */

export interface TensorSpec {
  shape: number[];
  /** float32 values (already rounded), row-major. */
  data: number[];
  /** The input requires grad: its gradient of Σ w·out is compared too. */
  grad: boolean;
}

/** Per-output tolerance overrides; '*' applies to every output of the case. */
export type Tolerances = Record<string, { rtol?: number; atol?: number }>;

export interface ParityCase {
  id: string;
  fn: string;
  inputs: TensorSpec[];
  params: Record<string, unknown>;
  tol?: Tolerances;
}

/** mulberry32: a small, fixed generator for the inputs. */
class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

let rng = new Rng(20240601);

/**
 * Adds a section's cases with inputs from a generator of its own: they neither depend on the
 * cases before them nor move the inputs of the cases after them.
 */
function section(seed: number, addCases: () => void): void {
  const shared = rng;
  rng = new Rng(seed);
  try {
    addCases();
  } finally {
    rng = shared;
  }
}
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const f32 = (values: number[]) => values.map((v) => Math.fround(v));

/** N(0, scale²) values. */
function randn(shape: number[], scale = 1, grad = true): TensorSpec {
  return { shape, data: f32(Array.from({ length: size(shape) }, () => scale * rng.normal())), grad };
}

/** U(lo, hi) values. */
function uniform(shape: number[], lo: number, hi: number, grad = true): TensorSpec {
  return { shape, data: f32(Array.from({ length: size(shape) }, () => rng.uniform(lo, hi))), grad };
}

/** Normal values pushed at least `gap` away from 0 (to stay off a kink such as |x| or relu at 0). */
function awayFromZero(shape: number[], gap = 0.1, grad = true): TensorSpec {
  const t = randn(shape, 1, grad);
  t.data = f32(t.data.map((v) => (v >= 0 ? v + gap : v - gap)));
  return t;
}

function given(shape: number[], values: number[], grad = true): TensorSpec {
  if (values.length !== size(shape)) throw new Error(`given: ${values.length} values for shape [${shape}]`);
  return { shape, data: f32(values), grad };
}

/** Integers in [0, n) as float values (for class indices, comparisons with ties, …). */
function ints(shape: number[], n: number, grad = false): TensorSpec {
  return { shape, data: Array.from({ length: size(shape) }, () => rng.int(n)), grad };
}

function constant(t: TensorSpec): TensorSpec {
  return { ...t, grad: false };
}

const cases: ParityCase[] = [];
function add(id: string, fn: string, inputs: TensorSpec[], params: Record<string, unknown> = {}, tol?: Tolerances): void {
  if (cases.some((c) => c.id === id)) throw new Error(`duplicate parity case id ${id}`);
  cases.push(tol ? { id, fn, inputs, params, tol } : { id, fn, inputs, params });
}

// ---------------------------------------------------------------- elementwise

function elementwiseCases(): void {
  const binaryShapes: [string, number[], number[]][] = [
    ['same', [3, 4], [3, 4]],
    ['row', [3, 4], [4]],
    ['column', [3, 1], [1, 4]],
    ['rank3', [2, 1, 4], [3, 1]],
    ['scalar-tensor', [2, 3], []],
  ];
  for (const op of ['add', 'sub', 'mul', 'maximum', 'minimum']) {
    for (const [name, sa, sb] of binaryShapes) add(`${op}/${name}`, 'binary', [randn(sa), randn(sb)], { op });
  }
  for (const [name, sa, sb] of binaryShapes) add(`div/${name}`, 'binary', [randn(sa), awayFromZero(sb, 0.5)], { op: 'div' });
  add('div/by-zero', 'binary', [given([4], [1, -1, 0, 2]), given([4], [0, 0, 0, 4])], { op: 'div' });
  add('maximum/ties', 'binary', [given([2, 3], [1, 2, 3, -1, 0, 5]), given([2, 3], [1, 0, 3, -1, 1, 5])], { op: 'maximum' });
  add('minimum/ties', 'binary', [given([2, 3], [1, 2, 3, -1, 0, 5]), given([3], [1, 0, 3])], { op: 'minimum' });
  for (const op of ['add', 'sub', 'mul', 'div']) {
    add(`${op}/number-right`, 'binary', [randn([2, 3])], { op, scalar: 2.5 });
    add(`${op}/number-left`, 'binary', [awayFromZero([2, 3], 0.5)], { op, scalar: -1.5, scalarFirst: true });
  }
  add('maximum/number', 'binary', [given([5], [-1, 0, 0.5, 1, 2])], { op: 'maximum', scalar: 0.5 });

  // pow: a tensor exponent (positive base), a number exponent, a number base; edge values at 0
  add('pow/tensor-exponent', 'binary', [uniform([3, 4], 0.2, 3), randn([4])], { op: 'pow' });
  add('pow/zero-base', 'binary', [given([6], [0, 0, 0, 2, 2, 0]), given([6], [0, 1, 2, 0, -1, 0.5])], { op: 'pow' });
  add('pow/negative-base-integer-exponent', 'binary', [given([4], [-2, -1.5, -0.5, -3]), given([4], [2, 3, -1, 0])], { op: 'pow' });
  add('pow/negative-base-fraction', 'binary', [given([2], [-2, -0.5]), given([2], [0.5, 1.5], false)], { op: 'pow' });
  for (const e of [2, 3, 0.5, -1, -2.5, 0, 1]) {
    add(`pow/number-exponent ${e}`, 'binary', [uniform([2, 3], 0.2, 2)], { op: 'pow', scalar: e });
  }
  add('pow/number-exponent at 0', 'binary', [given([3], [0, 1, -1])], { op: 'pow', scalar: 2 });
  add('pow/number-exponent 1 at 0', 'binary', [given([2], [0, 3])], { op: 'pow', scalar: 1 });
  add('pow/number-exponent 0.5 at 0', 'binary', [given([2], [0, 4])], { op: 'pow', scalar: 0.5 });
  add('pow/number-exponent 0 at 0', 'binary', [given([2], [0, 4])], { op: 'pow', scalar: 0 });
  add('pow/number-exponent 3 negative base', 'binary', [given([3], [-2, -0.5, 1.5])], { op: 'pow', scalar: 3 });
  add('pow/number-base', 'binary', [randn([2, 3])], { op: 'pow', scalar: 2, scalarFirst: true });
  add('pow/zero base negative exponent', 'binary', [given([3], [0, 0, 2]), given([3], [-1, -0.5, -1])], { op: 'pow' });
  add('pow/broadcast both', 'binary', [uniform([3, 1], 0.5, 2), randn([1, 4])], { op: 'pow' });
  for (const op of ['add', 'sub', 'mul', 'div', 'pow', 'maximum']) add(`${op}/same tensor twice`, 'selfBinary', [uniform([2, 3], 0.5, 2)], { op });
  add('accumulate/two backward passes', 'accumulate', [randn([2, 3])]);

  for (const op of ['eq', 'gt', 'ge', 'lt', 'le']) {
    add(`${op}/with-ties`, 'binary', [ints([3, 4], 3), ints([4], 3)], { op });
    add(`${op}/number`, 'binary', [ints([2, 3], 3)], { op, scalar: 1 });
  }

  // unary ops on generic values, and on their edge values
  const smooth: [string, TensorSpec][] = [
    ['exp', randn([3, 4], 2)], ['log', uniform([3, 4], 0.05, 10)], ['sqrt', uniform([3, 4], 0.05, 10)],
    ['abs', awayFromZero([3, 4])], ['reciprocal', awayFromZero([3, 4], 0.3)], ['square', randn([3, 4])],
    ['neg', randn([3, 4])], ['tanh', randn([3, 4], 2)], ['sigmoid', randn([3, 4], 3)], ['relu', awayFromZero([3, 4])],
    ['leakyRelu', awayFromZero([3, 4])], ['elu', awayFromZero([3, 4])], ['gelu', randn([3, 4], 2)],
  ];
  for (const [op, x] of smooth) add(`${op}/values`, 'unary', [x], { op });
  add('leakyRelu/slope 0.2', 'unary', [awayFromZero([2, 5])], { op: 'leakyRelu', arg: 0.2 });
  add('elu/alpha 0.5', 'unary', [awayFromZero([2, 5])], { op: 'elu', arg: 0.5 });
  add('elu/alpha 2', 'unary', [awayFromZero([2, 5])], { op: 'elu', arg: 2 });

  const edges = [0, -0, 1, -1, 1e-30, -1e-30, 80, -80, 100, -100];
  for (const op of ['exp', 'tanh', 'sigmoid', 'gelu', 'square', 'neg']) {
    add(`${op}/edges`, 'unary', [given([edges.length], edges)], { op });
  }
  add('abs/at 0', 'unary', [given([3], [0, -2, 2])], { op: 'abs' });
  add('relu/at 0', 'unary', [given([3], [0, -2, 2])], { op: 'relu' });
  add('leakyRelu/at 0', 'unary', [given([3], [0, -2, 2])], { op: 'leakyRelu', arg: 0.1 });
  add('elu/at 0', 'unary', [given([3], [0, -2, 2])], { op: 'elu', arg: 0.5 });
  add('log/edges', 'unary', [given([5], [0, 1e-30, 1, 1e30, -1])], { op: 'log' });
  add('sqrt/edges', 'unary', [given([4], [0, 1e-30, 1e30, -1])], { op: 'sqrt' });
  add('reciprocal/edges', 'unary', [given([4], [0, 1e-30, -1e30, 2])], { op: 'reciprocal' });
  add('sigmoid/large', 'unary', [given([6], [20, -20, 40, -40, 89, -89])], { op: 'sigmoid' });
  add('gelu/tails', 'unary', [given([6], [-6, -10, -3, 3, 6, 10])], { op: 'gelu' });

  add('clamp/both', 'clamp', [randn([3, 4])], { min: -0.5, max: 0.7 });
  add('clamp/min', 'clamp', [randn([3, 4])], { min: 0 });
  add('clamp/max', 'clamp', [randn([3, 4])], { max: 0.25 });
  add('clamp/at bounds', 'clamp', [given([5], [-1, -0.5, 0, 0.5, 1])], { min: -0.5, max: 0.5 });

  add('where/broadcast', 'where', [ints([3, 1], 2), randn([3, 4]), randn([4])]);
  add('where/method', 'whereMethod', [ints([2, 3], 2), randn([2, 3]), randn([2, 3])]);
  add('where/nonzero condition', 'where', [given([6], [0, 2, -1, 0.5, NaN, -0], false), randn([6]), randn([6])]);
  add('where/number other', 'where', [ints([2, 3], 2), randn([2, 3])], { other: 0.5 });
}

// ---------------------------------------------------------------- softmax family

function softmaxCases(): void {
  for (const op of ['softmax', 'logSoftmax']) {
    add(`${op}/last axis`, op, [randn([3, 5], 2)], { axis: -1 });
    add(`${op}/axis 0`, op, [randn([4, 3])], { axis: 0 });
    add(`${op}/axis 1 of rank 3`, op, [randn([2, 3, 4])], { axis: 1 });
    add(`${op}/default axis rank 3`, op, [randn([2, 2, 3])], {});
    add(`${op}/large logits`, op, [given([2, 3], [1000, 0, -1000, 88, 89, 90])], { axis: 1 });
    add(`${op}/huge equal`, op, [given([1, 4], [1e4, 1e4, 1e4 - 1, -1e4])], { axis: 1 });
    add(`${op}/tiny`, op, [randn([2, 4], 1e-6)], { axis: 1 });
    add(`${op}/one element`, op, [randn([3, 1])], { axis: 1 });
  }
}

// ---------------------------------------------------------------- reductions

function reductionCases(): void {
  const specs: [string, { axis?: number | number[]; keepDims?: boolean }][] = [
    ['all', {}],
    ['all keepDims', { keepDims: true }],
    ['axis 0', { axis: 0 }],
    ['axis -1 keepDims', { axis: -1, keepDims: true }],
    ['axes [0, 2]', { axis: [0, 2] }],
    ['axes [-1, 0] keepDims', { axis: [-1, 0], keepDims: true }],
    ['axis 1', { axis: 1 }],
  ];
  for (const op of ['sum', 'mean', 'max', 'min']) {
    for (const [name, p] of specs) add(`${op}/${name}`, 'reduce', [randn([2, 3, 4])], { op, ...p });
  }
  add('sum/large magnitudes', 'reduce', [randn([1000], 1e3)], { op: 'sum' });
  add('mean/many', 'reduce', [uniform([4, 500], 0, 1)], { op: 'mean', axis: 1 });
  add('max/ties', 'reduce', [given([2, 4], [1, 3, 3, 0, 2, 2, 2, 2])], { op: 'max', axis: 1 });
  add('max/ties all', 'reduce', [given([2, 3], [5, 1, 5, 0, 5, 2])], { op: 'max' });
  add('min/ties axis 0', 'reduce', [given([3, 2], [1, 4, 1, 4, 2, 4])], { op: 'min', axis: 0 });
  add('max/0-d', 'reduce', [given([], [2.5])], { op: 'max' });
  add('sum/0-d', 'reduce', [given([], [2.5])], { op: 'sum' });

  for (const [name, p] of [
    ['all', {}], ['axis 1', { axis: 1 }], ['axis 0 biased', { axis: 0, unbiased: false }],
    ['axes [0, 2] keepDims', { axis: [0, 2], keepDims: true }], ['correction 2', { axis: -1, correction: 2 }],
    ['correction 0', { correction: 0 }],
  ] as [string, Record<string, unknown>][]) {
    add(`var/${name}`, 'var', [randn([2, 3, 4])], p);
  }
  add('var/offset values', 'var', [uniform([3, 50], 1000, 1001)], { axis: 1 });
  add('var/single element', 'var', [randn([3, 1])], { axis: 1 });

  for (const op of ['argmax', 'argmin']) {
    add(`${op}/all`, 'arg', [randn([3, 4], 1, false)], { op });
    add(`${op}/axis 1`, 'arg', [randn([3, 4], 1, false)], { op, axis: 1 });
    add(`${op}/axis 0 keepDims`, 'arg', [randn([3, 4], 1, false)], { op, axis: 0, keepDims: true });
    add(`${op}/axis -1 rank 3`, 'arg', [randn([2, 3, 4], 1, false)], { op, axis: -1 });
    add(`${op}/ties`, 'arg', [given([2, 4], [1, 3, 3, 0, 2, 2, 2, 2], false)], { op, axis: 1 });
  }
}

// ---------------------------------------------------------------- matmul and shapes

function matmulCases(): void {
  const shapes: [string, number[], number[]][] = [
    ['2-D', [3, 4], [4, 5]],
    ['vector·vector', [4], [4]],
    ['vector·matrix', [4], [4, 3]],
    ['matrix·vector', [3, 4], [4]],
    ['batched', [2, 3, 4], [2, 4, 5]],
    ['batched·matrix', [2, 3, 4], [4, 2]],
    ['broadcast batch', [2, 1, 3, 4], [3, 4, 2]],
    ['batched·vector', [2, 3, 4], [4]],
    ['vector·batched', [4], [2, 4, 3]],
  ];
  for (const [name, a, b] of shapes) add(`matmul/${name}`, 'matmul', [randn(a), randn(b)]);
  add('matmul/large inner', 'matmul', [randn([4, 300]), randn([300, 3])]);
  add('linear/2-D', 'linear', [randn([4, 5]), randn([3, 5]), randn([3])]);
  add('linear/3-D input', 'linear', [randn([2, 3, 5]), randn([4, 5]), randn([4])]);
  add('linear/no bias', 'linear', [randn([4, 5]), randn([3, 5])]);
  add('linear/1-D input', 'linear', [randn([5]), randn([3, 5]), randn([3])]);
}

function shapeCases(): void {
  add('reshape/-1', 'reshape', [randn([2, 3, 4])], { shape: [4, -1] });
  add('reshape/to 0-d', 'reshape', [randn([1, 1])], { shape: [] });
  add('transpose/default 2-D', 'transpose', [randn([3, 4])], { dims: [0, 1] });
  add('transpose/rank 3', 'transpose', [randn([2, 3, 4])], { dims: [0, 2] });
  add('transpose/negative', 'transpose', [randn([2, 3, 4])], { dims: [-1, -3] });
  add('permute/rank 3', 'permute', [randn([2, 3, 4])], { dims: [2, 0, 1] });
  add('permute/negative', 'permute', [randn([2, 3, 4])], { dims: [-1, 1, 0] });
  add('squeeze/all', 'squeeze', [randn([1, 3, 1, 2])], {});
  add('squeeze/axis', 'squeeze', [randn([1, 3, 1, 2])], { axis: 2 });
  add('squeeze/axis not 1', 'squeeze', [randn([1, 3, 1, 2])], { axis: 1 });
  add('squeeze/negative axis', 'squeeze', [randn([1, 3, 1])], { axis: -1 });
  add('unsqueeze/0', 'unsqueeze', [randn([2, 3])], { axis: 0 });
  add('unsqueeze/-1', 'unsqueeze', [randn([2, 3])], { axis: -1 });
  add('unsqueeze/middle', 'unsqueeze', [randn([2, 3])], { axis: 1 });
  add('unsqueeze/-2', 'unsqueeze', [randn([2, 3])], { axis: -2 });
  add('flatten/all', 'flatten', [randn([2, 3, 4])], {});
  add('flatten/1..-1', 'flatten', [randn([2, 3, 4])], { startDim: 1, endDim: -1 });
  add('flatten/0..1', 'flatten', [randn([2, 3, 4, 2])], { startDim: 0, endDim: 1 });
  add('flatten/-3..-2', 'flatten', [randn([2, 3, 4, 2])], { startDim: -3, endDim: -2 });
  add('expand/new axes', 'expand', [randn([3, 1])], { shape: [2, 3, 4] });
  add('expand/-1', 'expand', [randn([1, 4])], { shape: [3, -1] });
  add('slice/basic', 'slice', [randn([4, 5])], { spec: [[1, 3], null] });
  add('slice/index drops axis', 'slice', [randn([4, 5])], { spec: [2] });
  add('slice/negative', 'slice', [randn([4, 5])], { spec: [[-3, -1], -1] });
  add('slice/step', 'slice', [randn([6, 5])], { spec: [[null, null, 2], [1, null, 3]] });
  add('slice/out of range clamps', 'slice', [randn([4, 5])], { spec: [[-10, 10], [3, 100]] });
  add('slice/empty', 'slice', [randn([4, 5])], { spec: [[3, 1], null] });
  add('slice/rank 3 partial spec', 'slice', [randn([3, 4, 2])], { spec: [null, [1, 3]] });
  add('slice/index then step', 'slice', [randn([3, 4, 5])], { spec: [-2, [null, null, 2], [1, 4]] });
  add('narrow/positive', 'narrow', [randn([4, 5])], { axis: 1, start: 1, length: 3 });
  add('narrow/negative start', 'narrow', [randn([4, 5])], { axis: 0, start: -3, length: 2 });
  add('narrow/negative axis', 'narrow', [randn([2, 3, 4])], { axis: -1, start: 2, length: 2 });
  add('indexSelect/rows with repeats', 'indexSelect', [randn([4, 3])], { axis: 0, indices: [2, 0, 2, 3] });
  add('indexSelect/columns', 'indexSelect', [randn([3, 5])], { axis: 1, indices: [4, 1] });
  add('indexSelect/negative axis', 'indexSelect', [randn([2, 3, 4])], { axis: -2, indices: [1, 1, 0] });
  add('concat/axis 0', 'concat', [randn([2, 3]), randn([1, 3]), randn([3, 3])], { axis: 0 });
  add('concat/axis -1', 'concat', [randn([2, 3]), randn([2, 1])], { axis: -1 });
  add('concat/rank 3 middle', 'concat', [randn([2, 1, 2]), randn([2, 3, 2])], { axis: 1 });
  add('stack/axis 0', 'stack', [randn([2, 3]), randn([2, 3])], { axis: 0 });
  add('stack/axis -1', 'stack', [randn([2, 3]), randn([2, 3]), randn([2, 3])], { axis: -1 });
  add('stack/axis 1', 'stack', [randn([2, 3]), randn([2, 3])], { axis: 1 });
}

// ---------------------------------------------------------------- nn layers

function layerCases(): void {
  // BatchNorm as the functional op
  add('batchNorm/train 2-D', 'batchNorm', [randn([6, 3], 2), constant(randn([3])), constant(uniform([3], 0.5, 2)), randn([3]), randn([3])], { training: true, momentum: 0.1, eps: 1e-5 });
  add('batchNorm/train 4-D momentum 0.3', 'batchNorm', [randn([2, 3, 2, 2]), constant(randn([3])), constant(uniform([3], 0.5, 2)), randn([3]), randn([3])], { training: true, momentum: 0.3, eps: 1e-3 });
  add('batchNorm/eval', 'batchNorm', [randn([4, 3]), constant(randn([3])), constant(uniform([3], 0.5, 2)), randn([3]), randn([3])], { training: false });
  add('batchNorm/train no affine no stats', 'batchNorm', [randn([5, 2, 3])], { training: true, noStats: true, noAffine: true });
  add('batchNorm/train offset values', 'batchNorm', [uniform([8, 2], 1000, 1001), constant(randn([2])), constant(uniform([2], 0.5, 2))], { training: true, noAffine: true });
  add('batchNorm/train two per channel', 'batchNorm', [randn([2, 3]), constant(randn([3])), constant(uniform([3], 0.5, 2)), randn([3]), randn([3])], { training: true });

  // BatchNorm modules: two training batches (running statistics), then train or eval forward with gradients
  const bn: [string, string, number[], Record<string, unknown>][] = [
    ['BatchNorm1d', '1d', [6, 3], {}],
    ['BatchNorm1d 3-D', '1d', [4, 3, 5], { momentum: 0.5 }],
    ['BatchNorm2d', '2d', [3, 2, 3, 3], { eps: 1e-3 }],
    ['BatchNorm1d no affine', '1d', [5, 4], { affine: false }],
    ['BatchNorm2d no running stats', '2d', [2, 3, 2, 2], { trackRunningStats: false }],
    ['BatchNorm1d momentum 0', '1d', [4, 2], { momentum: 0 }],
    ['BatchNorm1d momentum 1', '1d', [4, 2], { momentum: 1 }],
  ];
  for (const [name, kind, shape, options] of bn) {
    const c = shape[1];
    const affine = options.affine !== false;
    const params = affine ? [randn([c]), randn([c])] : [];
    for (const mode of ['train', 'eval']) {
      add(`${name}/${mode}`, 'batchNormModule', [constant(randn(shape, 2)), constant(randn(shape, 2)), randn(shape, 1.5), ...params], { kind, options, mode });
    }
  }

  // Conv2d (functional and as a module) and the pools
  const conv: [string, number[], number[], Record<string, unknown>, boolean][] = [
    ['3×3', [2, 3, 5, 5], [4, 3, 3, 3], {}, true],
    ['stride 2 padding 1', [2, 2, 6, 5], [3, 2, 3, 3], { stride: 2, padding: 1 }, true],
    ['dilation 2', [1, 2, 7, 7], [2, 2, 3, 3], { dilation: 2 }, true],
    ['rectangular kernel and options', [2, 2, 7, 6], [3, 2, 2, 3], { stride: [2, 1], padding: [1, 2], dilation: [1, 2] }, true],
    ['no bias', [2, 3, 4, 4], [2, 3, 2, 2], {}, false],
    ['1×1', [2, 4, 3, 3], [5, 4, 1, 1], {}, true],
    ['stride larger than kernel', [1, 1, 7, 7], [2, 1, 2, 2], { stride: 3 }, true],
    ['padding 2 on 3×3 input', [1, 2, 3, 3], [2, 2, 3, 3], { padding: 2 }, true],
  ];
  for (const [name, xs, ws, options, bias] of conv) {
    const inputs = [randn(xs), randn(ws, 0.5), ...(bias ? [randn([ws[0]])] : [])];
    add(`conv2d/${name}`, 'conv2d', inputs, options);
  }
  add('Conv2d module/stride 2 padding 1', 'conv2dModule', [randn([2, 2, 6, 6]), randn([3, 2, 3, 3], 0.5), randn([3])], { kernelSize: 3, stride: 2, padding: 1, bias: true });
  add('Conv2d module/no bias dilation', 'conv2dModule', [randn([1, 2, 7, 7]), randn([2, 2, 3, 2], 0.5)], { kernelSize: [3, 2], dilation: 2, bias: false });

  const pools: [string, number[], Record<string, unknown>][] = [
    ['2×2', [2, 3, 4, 4], { kernelSize: 2 }],
    ['3×3 stride 1 (overlapping)', [1, 2, 5, 5], { kernelSize: 3, stride: 1 }],
    ['3×3 stride 2 padding 1', [2, 2, 6, 7], { kernelSize: 3, stride: 2, padding: 1 }],
    ['rectangular', [1, 2, 6, 6], { kernelSize: [2, 3], stride: [2, 1], padding: [1, 1] }],
    ['uneven size', [1, 1, 5, 7], { kernelSize: 2 }],
  ];
  for (const op of ['maxPool2d', 'avgPool2d']) {
    for (const [name, xs, options] of pools) add(`${op}/${name}`, op, [randn(xs)], options);
  }
  add('maxPool2d/ties', 'maxPool2d', [given([1, 1, 2, 4], [1, 1, 0, 2, 1, 0, 2, 2])], { kernelSize: 2 });
  add('maxPool2d/ties overlapping', 'maxPool2d', [given([1, 1, 3, 3], [1, 1, 1, 1, 1, 1, 1, 1, 1])], { kernelSize: 2, stride: 1 });
  add('maxPool2d/negative with padding', 'maxPool2d', [uniform([1, 1, 3, 3], -5, -1)], { kernelSize: 2, stride: 2, padding: 1 });
  add('MaxPool2d module', 'poolModule', [randn([1, 2, 5, 5])], { kind: 'max', kernelSize: 3, stride: 2, padding: 1 });
  add('AvgPool2d module', 'poolModule', [randn([1, 2, 5, 5])], { kind: 'avg', kernelSize: 3, stride: 2, padding: 1 });

  add('Flatten/default', 'flattenModule', [randn([2, 3, 2, 2])], {});
  add('Flatten/0..-2', 'flattenModule', [randn([2, 3, 2])], { startDim: 0, endDim: -2 });
  add('Linear module/3-D', 'linearModule', [randn([2, 3, 4]), randn([5, 4]), randn([5])], {});
  add('Dropout/eval', 'dropout', [randn([3, 4])], { p: 0.5, training: false });
  add('Dropout module/eval', 'dropoutModule', [randn([3, 4])], { p: 0.3 });
  // In training the mask is random on both sides: only the scale 1/(1 − p) of the kept values is compared.
  add('Dropout/train scale', 'dropoutScale', [], { p: 0.3 });
  add('Dropout/train p 0', 'dropout', [randn([3, 4])], { p: 0, training: true });
  add('Dropout/train p 1', 'dropout', [randn([3, 4])], { p: 1, training: true });
}

// ---------------------------------------------------------------- losses

function lossCases(): void {
  for (const reduction of ['mean', 'sum', 'none']) {
    add(`crossEntropy/${reduction}`, 'crossEntropy', [randn([5, 4], 2)], { target: [0, 3, 1, 3, 2], reduction });
    for (const ls of [0.1, 1]) {
      add(`crossEntropy/${reduction} labelSmoothing ${ls}`, 'crossEntropy', [randn([5, 4], 2)], { target: [1, 1, 0, 3, 2], reduction, labelSmoothing: ls });
    }
    add(`nllLoss/${reduction}`, 'nllLoss', [randn([4, 3])], { target: [2, 0, 1, 2], reduction });
    add(`mseLoss/${reduction}`, 'mseLoss', [randn([3, 4]), randn([3, 4])], { reduction });
    add(`l1Loss/${reduction}`, 'l1Loss', [randn([3, 4]), randn([3, 4])], { reduction });
    add(`binaryCrossEntropy/${reduction}`, 'binaryCrossEntropy', [uniform([3, 4], 0.02, 0.98), constant(uniform([3, 4], 0, 1))], { reduction });
    add(`binaryCrossEntropyWithLogits/${reduction}`, 'binaryCrossEntropyWithLogits', [randn([3, 4], 3), uniform([3, 4], 0, 1)], { reduction });
  }
  add('crossEntropy/large logits', 'crossEntropy', [given([3, 3], [1e4, 0, -1e4, 500, 500, -500, -80, 80, 0])], { target: [2, 0, 1] });
  add('crossEntropy/large logits smoothed', 'crossEntropy', [given([2, 3], [1e4, 0, -1e4, 90, -90, 0])], { target: [0, 1], labelSmoothing: 0.2 });
  add('crossEntropy/target tensor', 'crossEntropy', [randn([4, 3])], { target: [2, 2, 0, 1], targetAsTensor: true });
  add('crossEntropy/one class', 'crossEntropy', [randn([3, 1])], { target: [0, 0, 0] });
  add('binaryCrossEntropy/p at 0 and 1', 'binaryCrossEntropy', [given([4], [0, 1, 0, 1]), given([4], [0, 1, 1, 0], false)], { reduction: 'none' });
  add('binaryCrossEntropy/p near 0 and 1', 'binaryCrossEntropy', [given([4], [1e-8, 1 - 1e-7, 1e-30, 0.5]), given([4], [0.3, 0.6, 1, 0], false)], { reduction: 'none' });
  add('binaryCrossEntropyWithLogits/large', 'binaryCrossEntropyWithLogits', [given([6], [100, -100, 30, -30, 0, 1e4]), given([6], [1, 0, 0, 1, 0.5, 0])], { reduction: 'none' });
  add('l1Loss/at 0', 'l1Loss', [given([3], [1, 2, 3]), given([3], [1, 0, 3])], { reduction: 'sum' });
}

// ---------------------------------------------------------------- init

function initCases(): void {
  const gains: [string, number | undefined][] = [
    ['linear', undefined], ['conv1d', undefined], ['conv2d', undefined], ['conv3d', undefined], ['convTranspose1d', undefined],
    ['convTranspose2d', undefined], ['convTranspose3d', undefined], ['sigmoid', undefined], ['tanh', undefined],
    ['relu', undefined], ['leakyRelu', undefined], ['leakyRelu', 0.2], ['leakyRelu', Math.sqrt(5)], ['selu', undefined],
  ];
  for (const [nonlinearity, param] of gains) {
    add(`calculateGain/${nonlinearity}${param === undefined ? '' : ` ${param}`}`, 'calculateGain', [], { nonlinearity, param });
  }
  for (const shape of [[5, 3], [4, 3, 2, 2], [6, 2, 3], [2, 3, 1, 1, 4]]) {
    add(`calculateFans/[${shape}]`, 'calculateFans', [], { shape });
  }
  // Both sides draw from their own generators: compare the distribution (std within 3%, ~6
  // standard errors at 40,000 draws; the uniform bound through the largest |value|, within 1%).
  const stats: Tolerances = { std: { rtol: 0.03 }, mean: { atol: 0.01 }, maxAbs: { rtol: 0.01 } };
  const normalStats: Tolerances = { std: { rtol: 0.03 }, mean: { atol: 0.01 }, maxAbs: { rtol: 1 } };
  add('xavierUniform/[200, 200]', 'initStats', [], { init: 'xavierUniform', shape: [200, 200] }, stats);
  add('xavierUniform/gain 2 [100, 50, 3, 3]', 'initStats', [], { init: 'xavierUniform', shape: [100, 50, 3, 3], gain: 2 }, stats);
  add('xavierNormal/[400, 100]', 'initStats', [], { init: 'xavierNormal', shape: [400, 100] }, normalStats);
  add('kaimingUniform/default [200, 200]', 'initStats', [], { init: 'kaimingUniform', shape: [200, 200] }, stats);
  add('kaimingUniform/fanOut relu [100, 50, 3, 3]', 'initStats', [], { init: 'kaimingUniform', shape: [100, 50, 3, 3], mode: 'fanOut', nonlinearity: 'relu' }, stats);
  add('kaimingUniform/a √5 [300, 150]', 'initStats', [], { init: 'kaimingUniform', shape: [300, 150], a: Math.sqrt(5) }, stats);
  add('kaimingNormal/default [400, 100]', 'initStats', [], { init: 'kaimingNormal', shape: [400, 100] }, normalStats);
  add('kaimingNormal/fanOut leakyRelu 0.1 [50, 200, 2, 2]', 'initStats', [], { init: 'kaimingNormal', shape: [50, 200, 2, 2], mode: 'fanOut', a: 0.1 }, normalStats);
  add('kaimingNormal/tanh [200, 200]', 'initStats', [], { init: 'kaimingNormal', shape: [200, 200], nonlinearity: 'tanh' }, normalStats);
  // 200 biases: their mean and std are looser (6 standard errors), their largest |value| within 5% of the bound.
  const biasStats: Tolerances = { ...stats, biasMean: { atol: 0.015 }, biasStd: { rtol: 0.2 }, biasMaxAbs: { rtol: 0.05 } };
  add('Linear/default init', 'defaultInit', [], { layer: 'linear', args: [300, 200] }, biasStats);
  add('Conv2d/default init', 'defaultInit', [], { layer: 'conv2d', args: [30, 200, 3] }, biasStats);
}

// ---------------------------------------------------------------- optimizers

function optimizerCases(): void {
  const runs: [string, Record<string, unknown>][] = [
    ['SGD', { lr: 0.05 }],
    ['SGD', { lr: 0.05, momentum: 0.9 }],
    ['SGD', { lr: 0.05, momentum: 0.9, dampening: 0.5 }],
    ['SGD', { lr: 0.05, momentum: 0.9, nesterov: true }],
    ['SGD', { lr: 0.05, weightDecay: 0.1 }],
    ['SGD', { lr: 0.05, momentum: 0.8, weightDecay: 0.1, nesterov: true }],
    ['Adagrad', {}],
    ['Adagrad', { lr: 0.1, lrDecay: 0.05, weightDecay: 0.1, initialAccumulatorValue: 0.5, eps: 1e-6 }],
    ['RMSprop', {}],
    ['RMSprop', { lr: 0.01, alpha: 0.9, momentum: 0.9 }],
    ['RMSprop', { lr: 0.01, centered: true }],
    ['RMSprop', { lr: 0.01, centered: true, momentum: 0.5, weightDecay: 0.1, eps: 1e-4 }],
    ['Adam', {}],
    ['Adam', { lr: 0.05, betas: [0.8, 0.99], eps: 1e-6, weightDecay: 0.1 }],
    ['Adam', { lr: 0.05, amsgrad: true }],
    ['AdamW', {}],
    ['AdamW', { lr: 0.05, weightDecay: 0.5, amsgrad: true }],
    ['Adadelta', {}],
    ['Adadelta', { lr: 0.5, rho: 0.5, eps: 1e-4, weightDecay: 0.1 }],
  ];
  for (const [name, options] of runs) {
    const label = Object.keys(options).length ? JSON.stringify(options).replace(/"/g, '') : 'defaults';
    add(`${name}/${label}`, 'optimizer', optimizerInputs(), { name, options, steps: 6 });
  }
  add('SGD/param groups', 'optimizer', optimizerInputs(), { name: 'SGD', options: { lr: 0.05, momentum: 0.9 }, groups: [{}, { lr: 0.01, momentum: 0 }], steps: 5 });
  add('Adam/param groups', 'optimizer', optimizerInputs(), { name: 'Adam', options: { lr: 0.02 }, groups: [{ weightDecay: 0.1 }, { betas: [0.5, 0.9] }], steps: 5 });
  // A second step on a loss of larger scale, where eps and the bias corrections matter less.
  add('Adam/StepLR every 2 steps', 'optimizer', optimizerInputs(), { name: 'Adam', options: { lr: 0.05 }, scheduler: { name: 'StepLR', options: { stepSize: 2, gamma: 0.5 } }, steps: 6 });
  add('SGD/CosineAnnealingLR momentum', 'optimizer', optimizerInputs(), { name: 'SGD', options: { lr: 0.05, momentum: 0.9 }, scheduler: { name: 'CosineAnnealingLR', options: { tMax: 3 } }, steps: 6 });
  add('Adam/betas [0, 0.5]', 'optimizer', optimizerInputs(), { name: 'Adam', options: { lr: 0.05, betas: [0, 0.5] }, steps: 4 });
  add('Adagrad/weightDecay only', 'optimizer', optimizerInputs(), { name: 'Adagrad', options: { lr: 0.1, weightDecay: 0.2 }, steps: 4 });
  add('Adam/large gradients', 'optimizer', optimizerInputs(100), { name: 'Adam', options: { lr: 0.1 }, steps: 6 });

  for (const [name, maxNorm, normType] of [['2', 1, 2], ['1', 0.5, 1], ['inf', 0.3, Infinity], ['3', 2, 3], ['no clipping', 100, 2]] as [string, number, number][]) {
    add(`clipGradNorm/${name}`, 'clipGradNorm', [randn([3, 4]), randn([5])], { maxNorm, normType: normType === Infinity ? 'inf' : normType });
  }
  add('clipGradValue/0.5', 'clipGradValue', [randn([3, 4]), randn([5])], { clipValue: 0.5 });
}

/** p0 [3, 4] and p1 [4] (trained), c0 [3, 4] and c1 [3] (targets) for the optimizer loss of run-nabla.ts. */
function optimizerInputs(scale = 1): TensorSpec[] {
  return [randn([3, 4]), randn([4]), constant(randn([3, 4], scale)), constant(randn([3], scale))];
}

// ---------------------------------------------------------------- schedulers

function schedulerCases(): void {
  const runs: [string, string, Record<string, unknown>][] = [
    ['StepLR', 'stepSize 3', { stepSize: 3 }],
    ['StepLR', 'stepSize 2 gamma 0.5', { stepSize: 2, gamma: 0.5 }],
    ['MultiStepLR', 'milestones', { milestones: [2, 5, 9] }],
    ['MultiStepLR', 'repeated milestone', { milestones: [3, 3, 7], gamma: 0.5 }],
    ['ExponentialLR', 'gamma 0.9', { gamma: 0.9 }],
    ['CosineAnnealingLR', 'tMax 5', { tMax: 5 }],
    ['CosineAnnealingLR', 'tMax 4 etaMin', { tMax: 4, etaMin: 0.01 }],
    ['CosineAnnealingLR', 'tMax 1', { tMax: 1 }],
    ['LinearLR', 'defaults', {}],
    ['LinearLR', 'decay', { startFactor: 1, endFactor: 0.1, totalIters: 8 }],
    ['LinearLR', 'warm-up', { startFactor: 0.25, endFactor: 1, totalIters: 3 }],
  ];
  for (const [name, label, options] of runs) add(`${name}/${label}`, 'scheduler', [], { name, options, lr: 0.1, epochs: 20 });
  add('CosineAnnealingLR/two groups', 'scheduler', [], { name: 'CosineAnnealingLR', options: { tMax: 4, etaMin: 0.001 }, lr: [0.1, 0.01], epochs: 10 });
  add('ReduceLROnPlateau/two groups minLr list', 'scheduler', [], { name: 'ReduceLROnPlateau', options: { patience: 0, factor: 0.5, minLr: [0.02, 0.001] }, lr: [0.1, 0.01], epochs: 8, metrics: [5, 5, 5, 5, 5, 5, 5, 5] });
  add('StepLR+ExponentialLR/chained', 'scheduler', [], { name: 'StepLR', options: { stepSize: 4 }, chain: { name: 'ExponentialLR', options: { gamma: 0.95 } }, lr: 0.1, epochs: 12 });

  const metrics = [1, 0.9, 0.9, 0.95, 0.91, 0.92, 0.5, 0.5, 0.5, 0.5, 0.5, 0.49999, 0.6, 0.7, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2];
  const plateau: [string, Record<string, unknown>][] = [
    ['defaults patience 2', { patience: 2 }],
    ['cooldown', { patience: 1, cooldown: 2, factor: 0.5 }],
    ['abs threshold', { patience: 1, threshold: 0.05, thresholdMode: 'abs' }],
    ['minLr', { patience: 0, factor: 0.5, minLr: 0.02 }],
    ['max mode', { mode: 'max', patience: 1 }],
    ['max abs', { mode: 'max', patience: 0, thresholdMode: 'abs', threshold: 0.01 }],
    ['eps', { patience: 0, factor: 0.5, eps: 0.02 }],
  ];
  for (const [label, options] of plateau) {
    add(`ReduceLROnPlateau/${label}`, 'scheduler', [], { name: 'ReduceLROnPlateau', options, lr: 0.1, epochs: metrics.length, metrics });
  }
}

// ---------------------------------------------------------------- creation and printing

function creationCases(): void {
  for (const args of [[5], [1, 4], [0, 1, 0.1], [1, 2.5, 0.5], [-1, 1, 0.3], [5, 0, -1.5], [0, 0.3, 0.1]]) {
    add(`arange/${args.join(', ')}`, 'arange', [], { args });
  }
  for (const args of [[0, 1, 5], [-2, 3, 11], [1, 1, 3], [0, 1, 1], [3, -3, 4]]) add(`linspace/${args.join(', ')}`, 'linspace', [], { args });
  for (const args of [[3], [2, 4], [4, 2]]) add(`eye/${args.join(', ')}`, 'eye', [], { args });
}

function printCases(): void {
  const print = (name: string, t: TensorSpec) => add(`print/${name}`, 'print', [constant(t)]);
  print('floats', randn([2, 3]));
  print('integers', given([2, 3], [1, 2, 3, -4, 5, 600]));
  print('0-d', given([], [3.25]));
  print('wide range', given([4], [1e-5, 1, 100, 12345]));
  print('huge integers', given([3], [1, 2, 1e9]));
  print('ties at the 4th decimal', given([5], [1.03125, 0.15625, -2.09375, 0.00005, 0.40625]));
  print('ties fixed', given([6], [0.15625, 1.03125, 0.5, -0.15625, 9.5, 0.03125]));
  print('ties in exponent form', given([3], [1.03125e-5, 3.0625e-6, 1]));
  print('nan and inf', given([4], [Number.NaN, Infinity, -Infinity, 1.5]));
  print('negative zero', given([3], [-0, 1, 2]));
  print('all zeros', given([2, 2], [0, 0, 0, 0]));
  print('long row', randn([30]));
  print('summarized', randn([40, 40]));
  print('rank 3', randn([2, 2, 3]));
  print('empty', given([0], []));
  print('empty 2-D', given([2, 0], []));
  print('small values', given([3], [1e-5, 2e-5, 3e-5]));
  print('large non-integers', given([3], [123456.7, -2.5, 0.25]));
  print('above 1e8', given([2], [1.5e8, 1]));
  print('negative integers wide', given([4], [-1000, 5, -20, 3]));
  print('integers over 1000x', given([3], [1, 2000, -3]));
  print('summarized rank 3', randn([12, 10, 11]));
  print('summarized 1-D', randn([1200]));
  print('wrapped negatives', randn([3, 17], 100));
  print('column', randn([4, 1]));
  print('inf only', given([2], [Infinity, -Infinity]));
  print('nan with integers', given([3], [NaN, 1, 2]));
}

// ---------------------------------------------------------------- NaN and ±inf

function nonFiniteCases(): void {
  const special = [NaN, Infinity, -Infinity, 1, -1, 0];
  for (const op of ['exp', 'log', 'sqrt', 'abs', 'neg', 'tanh', 'sigmoid', 'relu', 'leakyRelu', 'elu', 'square', 'reciprocal']) {
    add(`${op}/nan and inf`, 'unary', [given([special.length], special)], { op });
  }
  add('gelu/nan and inf', 'unary', [given([3], [NaN, Infinity, 1])], { op: 'gelu' });
  add('clamp/nan', 'clamp', [given([4], [NaN, -2, 0.5, 2])], { min: -1, max: 1 });
  add('maximum/nan', 'binary', [given([4], [NaN, 1, NaN, 2]), given([4], [1, NaN, NaN, -Infinity])], { op: 'maximum' });
  add('minimum/nan', 'binary', [given([4], [NaN, 1, NaN, 2]), given([4], [1, NaN, NaN, Infinity])], { op: 'minimum' });
  add('add/inf − inf', 'binary', [given([3], [Infinity, Infinity, -Infinity]), given([3], [-Infinity, 1, -Infinity])], { op: 'add' });
  add('mul/0 · inf', 'binary', [given([3], [0, Infinity, -2]), given([3], [Infinity, -Infinity, NaN])], { op: 'mul' });
  for (const op of ['max', 'min', 'sum', 'mean']) {
    add(`${op}/with nan`, 'reduce', [given([2, 3], [1, NaN, 3, 4, 5, 6])], { op, axis: 1 });
    add(`${op}/with inf`, 'reduce', [given([2, 3], [1, Infinity, 3, -Infinity, 5, 6])], { op, axis: 1 });
  }
  add('argmax/with nan', 'arg', [given([2, 3], [1, NaN, 3, 4, 5, 6], false)], { op: 'argmax', axis: 1 });
  add('argmin/with nan', 'arg', [given([2, 3], [1, NaN, 3, 4, 5, 6], false)], { op: 'argmin', axis: 1 });
  add('argmax/with inf', 'arg', [given([4], [1, Infinity, 3, Infinity], false)], { op: 'argmax' });
  add('softmax/masked with -inf', 'softmax', [given([2, 4], [0, -Infinity, 1, 2, -Infinity, 3, -Infinity, -Infinity])], { axis: 1 });
  add('softmax/all -inf row', 'softmax', [given([2, 2], [-Infinity, -Infinity, 1, 2])], { axis: 1 });
  add('logSoftmax/masked with -inf', 'logSoftmax', [given([2, 3], [0, -Infinity, 1, -Infinity, 2, 3])], { axis: 1 });
  add('softmax/with nan', 'softmax', [given([2, 3], [0, NaN, 1, 1, 2, 3])], { axis: 1 });
  add('crossEntropy/-inf logit off target', 'crossEntropy', [given([2, 3], [-Infinity, 1, 2, 0, -Infinity, 1])], { target: [1, 2], reduction: 'none' });
  add('maxPool2d/with nan', 'maxPool2d', [given([1, 1, 2, 4], [1, NaN, 0, 2, 3, 1, 5, -1])], { kernelSize: 2 });
  add('maxPool2d/with inf', 'maxPool2d', [given([1, 1, 2, 2], [-Infinity, -Infinity, -Infinity, -Infinity])], { kernelSize: 2 });
  add('matmul/with inf', 'matmul', [given([2, 2], [Infinity, 1, 0, 2]), given([2, 2], [1, 0, 0, 1])]);
}

// ---------------------------------------------------------------- 0-d and empty tensors

function degenerateCases(): void {
  add('sum/0-d axis 0', 'reduce', [given([], [2.5])], { op: 'sum', axis: 0 });
  add('mean/0-d axis -1 keepDims', 'reduce', [given([], [2.5])], { op: 'mean', axis: -1, keepDims: true });
  add('sum/empty', 'reduce', [given([0, 3], [])], { op: 'sum' });
  add('sum/empty axis 0', 'reduce', [given([0, 3], [])], { op: 'sum', axis: 0 });
  add('mean/empty', 'reduce', [given([0, 3], [])], { op: 'mean', axis: 0 });
  add('max/empty axis', 'reduce', [given([0, 3], [])], { op: 'max', axis: 0 });
  add('max/over non-empty axis of empty', 'reduce', [given([0, 3], [])], { op: 'max', axis: 1 });
  add('softmax/empty', 'softmax', [given([0, 3], [])], { axis: 1 });
  add('matmul/inner 0', 'matmul', [given([2, 0], []), given([0, 3], [])]);
  add('matmul/0-row', 'matmul', [given([0, 3], []), randn([3, 2])]);
  add('add/empty broadcast', 'binary', [given([0, 3], []), randn([3])], { op: 'add' });
  add('concat/with empty', 'concat', [given([0, 3], []), randn([2, 3])], { axis: 0 });
  add('unsqueeze/0-d', 'unsqueeze', [given([], [1.5])], { axis: 0 });
  add('unsqueeze/0-d -1', 'unsqueeze', [given([], [1.5])], { axis: -1 });
  add('squeeze/0-d', 'squeeze', [given([], [1.5])], {});
  add('flatten/0-d', 'flatten', [given([], [1.5])], {});
  add('reshape/0-d to [1, 1]', 'reshape', [given([], [1.5])], { shape: [1, 1] });
  add('expand/0-d', 'expand', [given([], [1.5])], { shape: [2, 3] });
  add('transpose/1-D', 'transpose', [randn([3])], { dims: [0, -1] });
  add('permute/0-d', 'permute', [given([], [1.5])], { dims: [] });
  add('stack/0-d', 'stack', [given([], [1]), given([], [2])], { axis: 0 });
  // n − correction = 0: the value is NaN on both sides, the gradient 0·∞ (torch's differs between shapes), so not compared
  add('var/0-d', 'var', [given([], [1.5], false)], {});
  add('argmax/0-d', 'arg', [given([], [1.5], false)], { op: 'argmax' });
  add('mul/0-d with matrix', 'binary', [given([], [1.5]), randn([2, 2])], { op: 'mul' });
  add('slice/0-d', 'slice', [given([], [1.5])], { spec: [] });
  add('indexSelect/empty indices', 'indexSelect', [randn([3, 2])], { axis: 0, indices: [] });
  add('narrow/length 0', 'narrow', [randn([3, 2])], { axis: 0, start: 3, length: 0 });
  add('linspace/0 steps', 'linspace', [], { args: [0, 1, 0] });
  add('arange/empty', 'arange', [], { args: [2, 2] });
  add('crossEntropy/sum of none', 'crossEntropy', [given([0, 3], [])], { target: [], reduction: 'sum' });
}

// ---------------------------------------------------------------- larger shapes (kernel paths past their small cases)

function largerCases(): void {
  add('matmul/20×40·40×30', 'matmul', [randn([20, 40]), randn([40, 30])]);
  add('matmul/batched broadcast both', 'matmul', [randn([2, 1, 9, 17]), randn([1, 3, 17, 11])]);
  add('add/37 elements broadcast', 'binary', [randn([37, 1]), randn([1, 5])], { op: 'mul' });
  for (const op of ['exp', 'tanh', 'sigmoid', 'gelu', 'relu', 'elu']) add(`${op}/259 values`, 'unary', [randn([7, 37], 3)], { op });
  add('softmax/rows of 301', 'softmax', [randn([3, 301], 4)], { axis: 1 });
  add('logSoftmax/axis 0 of [50, 7]', 'logSoftmax', [randn([50, 7], 3)], { axis: 0 });
  add('sum/axis 1 of [3, 400, 5]', 'reduce', [randn([3, 400, 5])], { op: 'sum', axis: 1 });
  add('max/axis 0 of [123, 9]', 'reduce', [randn([123, 9])], { op: 'max', axis: 0 });
  add('var/axis 0 of [300, 4]', 'var', [randn([300, 4], 3)], { axis: 0 });
  add('conv2d/[2, 4, 9, 9] · [6, 4, 3, 3] padding 1', 'conv2d', [randn([2, 4, 9, 9]), randn([6, 4, 3, 3], 0.3), randn([6])], { padding: 1 });
  add('conv2d/[1, 3, 16, 16] · [4, 3, 5, 5] stride 2 padding 2', 'conv2d', [randn([1, 3, 16, 16]), randn([4, 3, 5, 5], 0.2), randn([4])], { stride: 2, padding: 2 });
  add('BatchNorm2d/[4, 5, 6, 6] train', 'batchNormModule', [constant(randn([4, 5, 6, 6], 2)), constant(randn([4, 5, 6, 6])), randn([4, 5, 6, 6], 3), randn([5]), randn([5])], { kind: '2d', options: {}, mode: 'train' });
  add('BatchNorm1d/[64, 10] eval', 'batchNormModule', [constant(randn([64, 10], 2)), constant(randn([64, 10])), randn([64, 10], 3), randn([10]), randn([10])], { kind: '1d', options: {}, mode: 'eval' });
  add('crossEntropy/[32, 10] smoothed', 'crossEntropy', [randn([32, 10], 3)], { target: Array.from({ length: 32 }, (_, i) => (i * 7) % 10), labelSmoothing: 0.1 });
  add('maxPool2d/[2, 3, 12, 12] 3 stride 2', 'maxPool2d', [randn([2, 3, 12, 12])], { kernelSize: 3, stride: 2, padding: 1 });
  add('avgPool2d/[2, 3, 12, 12] 3 stride 2', 'avgPool2d', [randn([2, 3, 12, 12])], { kernelSize: 3, stride: 2, padding: 1 });
  // only some inputs require grad: the backward paths that skip a gradient
  add('conv2d/constant input', 'conv2d', [constant(randn([1, 2, 5, 5])), randn([3, 2, 3, 3], 0.5), randn([3])], { padding: 1 });
  add('conv2d/constant weight', 'conv2d', [randn([1, 2, 5, 5]), constant(randn([3, 2, 3, 3], 0.5)), constant(randn([3]))], { stride: 2 });
  add('linear/constant input', 'linear', [constant(randn([4, 5])), randn([3, 5]), randn([3])]);
  add('linear/constant weight', 'linear', [randn([4, 5]), constant(randn([3, 5])), randn([3])]);
  add('matmul/constant left batched', 'matmul', [constant(randn([2, 3, 4])), randn([4, 2])]);
  add('concat/one constant', 'concat', [constant(randn([2, 3])), randn([2, 2])], { axis: 1 });
  add('batchNorm/constant input', 'batchNorm', [constant(randn([6, 3])), constant(randn([3])), constant(uniform([3], 0.5, 2)), randn([3]), randn([3])], { training: true });
  add('batchNorm/constant weight', 'batchNorm', [randn([6, 3]), constant(randn([3])), constant(uniform([3], 0.5, 2)), constant(randn([3])), randn([3])], { training: true });
  add('mul/constant broadcast', 'binary', [randn([3, 4]), constant(randn([4]))], { op: 'mul' });
  add('convNet/train', 'convNet', convNetInputs(), { mode: 'train' });
  add('convNet/eval', 'convNet', convNetInputs(), { mode: 'eval' });
  add('SGD/momentum nesterov 25 steps', 'optimizer', optimizerInputs(), { name: 'SGD', options: { lr: 0.02, momentum: 0.9, nesterov: true }, steps: 25 });
  add('Adam/amsgrad weightDecay 25 steps', 'optimizer', optimizerInputs(), { name: 'Adam', options: { lr: 0.03, amsgrad: true, weightDecay: 0.05 }, steps: 25 });
  add('RMSprop/centered momentum 25 steps', 'optimizer', optimizerInputs(), { name: 'RMSprop', options: { lr: 0.003, centered: true, momentum: 0.9 }, steps: 25 });
}

/** x [4, 2, 6, 6]; Conv2d(2, 3, 3, padding 1) weight and bias; BatchNorm2d(3) weight and bias; Linear(27, 4) weight and bias. */
function convNetInputs(): TensorSpec[] {
  return [randn([4, 2, 6, 6]), randn([3, 2, 3, 3], 0.4), randn([3], 0.1), uniform([3], 0.5, 1.5), randn([3], 0.1), randn([4, 27], 0.2), randn([4], 0.1)];
}

// ---------------------------------------------------------------- attention

/** Nested booleans of `shape`, each true with probability p; `keep` (if given) is set in one random place of every row so no row is all blocked. */
function bools(shape: number[], p: number, keep: boolean | null = null): unknown {
  const cols = shape[shape.length - 1];
  const flat = Array.from({ length: size(shape) }, () => rng.next() < p);
  if (keep !== null) for (let r = 0; r < flat.length / cols; r++) flat[r * cols + rng.int(cols)] = keep;
  const nest = (offset: number, dim: number): unknown =>
    dim === shape.length - 1 ? flat.slice(offset, offset + cols) : Array.from({ length: shape[dim] }, (_, i) => nest(offset + i * size(shape.slice(dim + 1)), dim + 1));
  return nest(0, 0);
}

/** Float mask values: mostly small numbers, some −Infinity (never a whole row). */
function floatMask(shape: number[], grad = false): TensorSpec {
  const t = randn(shape, 0.5, grad);
  const cols = shape[shape.length - 1];
  t.data = t.data.map((v, i) => (i % cols !== 0 && rng.next() < 0.2 ? -Infinity : v));
  return t;
}

/** MultiheadAttention's weights: inProjWeight [3E, E], inProjBias, outProj weight and bias (bias optional). */
function mhaWeights(E: number, bias = true): TensorSpec[] {
  const w = [randn([3 * E, E], 0.4)];
  if (bias) w.push(randn([3 * E], 0.1));
  w.push(randn([E, E], 0.3));
  if (bias) w.push(randn([E], 0.1));
  return w;
}

function attentionCases(): void {
  // scaledDotProductAttention: q [..., L, E], k [..., S, E], v [..., S, Ev]
  add('sdpa/4-D L≠S', 'sdpa', [randn([2, 3, 4, 5]), randn([2, 3, 6, 5]), randn([2, 3, 6, 3])]);
  add('sdpa/3-D causal', 'sdpa', [randn([2, 5, 4]), randn([2, 5, 4]), randn([2, 5, 4])], { isCausal: true });
  add('sdpa/causal L<S', 'sdpa', [randn([2, 3, 4]), randn([2, 5, 4]), randn([2, 5, 2])], { isCausal: true });
  add('sdpa/causal L>S', 'sdpa', [randn([1, 6, 3]), randn([1, 4, 3]), randn([1, 4, 3])], { isCausal: true });
  add('sdpa/2-D scale 0.3', 'sdpa', [randn([4, 3]), randn([5, 3]), randn([5, 2])], { scale: 0.3 });
  add('sdpa/float mask [L,S]', 'sdpa', [randn([2, 2, 4, 3]), randn([2, 2, 5, 3]), randn([2, 2, 5, 3]), floatMask([4, 5])], { floatMask: true });
  add('sdpa/float mask [B,1,1,S]', 'sdpa', [randn([2, 2, 4, 3]), randn([2, 2, 5, 3]), randn([2, 2, 5, 3]), floatMask([2, 1, 1, 5])], { floatMask: true });
  add('sdpa/float mask requiring grad', 'sdpa', [randn([2, 4, 3]), randn([2, 5, 3]), randn([2, 5, 3]), randn([2, 4, 5])], { floatMask: true });
  add('sdpa/bool mask [L,S]', 'sdpa', [randn([2, 2, 4, 3]), randn([2, 2, 5, 3]), randn([2, 2, 5, 3])], { boolMask: bools([4, 5], 0.6, true) });
  add('sdpa/bool mask [B,H,L,S]', 'sdpa', [randn([2, 2, 3, 3]), randn([2, 2, 4, 3]), randn([2, 2, 4, 2])], { boolMask: bools([2, 2, 3, 4], 0.5, true) });
  add('sdpa/larger causal [4,4,64,32]', 'sdpa', [randn([4, 4, 64, 32]), randn([4, 4, 64, 32]), randn([4, 4, 64, 32])], { isCausal: true });
  add('sdpa/isCausal with attnMask', 'sdpa', [randn([2, 3, 4]), randn([2, 3, 4]), randn([2, 3, 4]), floatMask([3, 3])], { floatMask: true, isCausal: true });

  // MultiheadAttention: inputs [query, key?, value?, inProjWeight, inProjBias?, outProj.weight, outProj.bias?, attnMask?, keyPaddingMask?]
  const E = 8;
  const mha = (id: string, shapes: { L: number; S?: number; N: number | null }, p: Record<string, unknown>, masks: TensorSpec[] = []) => {
    const { L, S = L, N } = shapes;
    const seq = (n: number) => (N === null ? [n, E] : p.batchFirst ? [N, n, E] : [n, N, E]);
    const kind = p.kind ?? 'self';
    const x = [randn(seq(L))];
    if (kind !== 'self') x.push(randn(seq(S)));
    if (kind === 'cross') x.push(randn(seq(S)));
    add(`MultiheadAttention/${id}`, 'mha', [...x, ...mhaWeights(E, p.bias !== false), ...masks], { heads: 2, needWeights: false, ...p, kind });
  };
  mha('self', { L: 5, N: 2 }, {});
  mha('self needWeights', { L: 5, N: 2 }, { needWeights: true });
  mha('self needWeights per head', { L: 4, N: 2 }, { needWeights: true, average: false });
  mha('weights backward', { L: 4, N: 2 }, { needWeights: true, output: 'weights' });
  mha('batchFirst', { L: 5, N: 3 }, { batchFirst: true, heads: 4 });
  mha('batchFirst needWeights', { L: 5, N: 3 }, { batchFirst: true, needWeights: true });
  mha('cross key is value', { L: 4, S: 6, N: 2 }, { kind: 'kv' });
  mha('cross key is value needWeights', { L: 4, S: 6, N: 2 }, { kind: 'kv', needWeights: true });
  mha('cross three inputs batchFirst', { L: 3, S: 5, N: 2 }, { kind: 'cross', batchFirst: true });
  mha('no bias', { L: 4, N: 2 }, { bias: false });
  mha('unbatched', { L: 5, N: null }, {});
  mha('unbatched needWeights per head', { L: 4, S: 5, N: null }, { kind: 'kv', needWeights: true, average: false });
  mha('bool attnMask 2-D', { L: 5, N: 2 }, { attnMask: bools([5, 5], 0.3, false) });
  mha('float attnMask 2-D', { L: 5, N: 2 }, { attnMask: 'float' }, [floatMask([5, 5])]);
  mha('float attnMask 3-D', { L: 4, S: 3, N: 2 }, { kind: 'kv', attnMask: 'float' }, [floatMask([4, 4, 3])]);
  mha('bool attnMask 3-D needWeights', { L: 4, N: 2 }, { attnMask: bools([4, 4, 4], 0.3, false), needWeights: true });
  mha('float attnMask requiring grad', { L: 4, N: 2 }, { attnMask: 'float' }, [randn([4, 4])]);
  mha('bool keyPaddingMask', { L: 5, N: 3 }, { keyPaddingMask: bools([3, 5], 0.3, false) });
  mha('float keyPaddingMask batchFirst', { L: 5, N: 2 }, { batchFirst: true, keyPaddingMask: 'float' }, [floatMask([2, 5])]);
  mha('float attnMask and bool keyPaddingMask', { L: 4, S: 5, N: 2 }, { kind: 'kv', attnMask: 'float', keyPaddingMask: bools([2, 5], 0.3, false) }, [floatMask([4, 5])]);
  mha('bool attnMask and keyPaddingMask needWeights', { L: 4, N: 2 }, { attnMask: bools([4, 4], 0.2, false), keyPaddingMask: bools([2, 4], 0.2, false), needWeights: true });
  mha('unbatched masks', { L: 4, S: 5, N: null }, { kind: 'kv', attnMask: bools([2, 4, 5], 0.3, false), keyPaddingMask: bools([5], 0.3, false) });
  mha('isCausal', { L: 6, N: 2 }, { isCausal: true });
  mha('isCausal batchFirst with keyPaddingMask', { L: 5, N: 2 }, { isCausal: true, batchFirst: true, keyPaddingMask: bools([2, 5], 0.2, false) });
  mha('isCausal needWeights', { L: 5, N: 2 }, { isCausal: true, needWeights: true });
  mha('refuses a 2-D attnMask of the wrong shape', { L: 4, N: 2 }, { attnMask: bools([4, 3], 0.3, false) });
  mha('refuses a keyPaddingMask of the wrong shape', { L: 4, N: 2 }, { keyPaddingMask: bools([4, 2], 0.3, false) });

  // TransformerEncoderLayer(8, 2, dimFeedforward 16, dropout 0): inputs [src, its 12 parameters in order, float srcMask?]
  const layerWeights = (d: number, ff: number): TensorSpec[] => [
    ...mhaWeights(d), randn([ff, d], 0.3), randn([ff], 0.1), randn([d, ff], 0.3), randn([d], 0.1),
    uniform([d], 0.5, 1.5), randn([d], 0.1), uniform([d], 0.5, 1.5), randn([d], 0.1),
  ];
  const layer = (id: string, src: number[], p: Record<string, unknown>, masks: TensorSpec[] = []) =>
    add(`TransformerEncoderLayer/${id}`, 'encoderLayer', [randn(src), ...layerWeights(8, 16), ...masks], { nhead: 2, dimFeedforward: 16, ...p });
  layer('post-norm relu', [5, 2, 8], {});
  layer('post-norm gelu batchFirst keyPaddingMask', [2, 5, 8], { activation: 'gelu', batchFirst: true, srcKeyPaddingMask: bools([2, 5], 0.3, false) });
  layer('normFirst gelu batchFirst causal', [2, 6, 8], { activation: 'gelu', batchFirst: true, normFirst: true, isCausal: true });
  layer('normFirst relu float srcMask and keyPaddingMask', [5, 2, 8], { normFirst: true, srcMask: 'float', srcKeyPaddingMask: bools([2, 5], 0.3, false) }, [floatMask([5, 5])]);
  layer('post-norm unbatched bool srcMask eps 1e-3', [5, 8], { srcMask: bools([5, 5], 0.3, false), layerNormEps: 1e-3 });
  // TransformerEncoder of 2 such layers (each its own weights) and a final LayerNorm
  add('TransformerEncoder/normFirst gelu causal with norm', 'encoder', [randn([2, 5, 8]), ...layerWeights(8, 16), ...layerWeights(8, 16), uniform([8], 0.5, 1.5), randn([8], 0.1)],
    { nhead: 2, dimFeedforward: 16, activation: 'gelu', batchFirst: true, normFirst: true, isCausal: true, layers: 2 });
  // CharGPT(11, context 6, width 8, 2 layers of 2 heads, dropout 0) on ids [2, 5]: every parameter's gradient
  const gptWeights = [randn([11, 8]), randn([6, 8]), ...layerWeights(8, 32), ...layerWeights(8, 32), uniform([8], 0.5, 1.5), randn([8], 0.1), randn([11, 8], 0.3), randn([11], 0.1)];
  add('CharGPT/logits', 'charGpt', [ints([2, 5], 11), ...gptWeights], { vocab: 11, context: 6, width: 8, layers: 2, heads: 2 });
  // PyTorch's state-dict names, in camelCase
  for (const module of ['MultiheadAttention', 'MultiheadAttention no bias', 'TransformerEncoderLayer', 'TransformerEncoder with norm', 'CharGPT']) {
    add(`stateDictNames/${module}`, 'stateDictNames', [], { module });
  }
}

// ---------------------------------------------------------------- LayerNorm

function layerNormCases(): void {
  add('layerNorm/[4, 6] over [6]', 'layerNorm', [randn([4, 6], 2), uniform([6], 0.5, 2), randn([6])], { normalizedShape: [6] });
  add('layerNorm/[2, 5, 8] over 8', 'layerNorm', [randn([2, 5, 8], 3), uniform([8], 0.5, 2), randn([8])], { normalizedShape: 8 });
  add('layerNorm/[2, 3, 4] over [3, 4]', 'layerNorm', [randn([2, 3, 4]), uniform([3, 4], 0.5, 2), randn([3, 4])], { normalizedShape: [3, 4] });
  add('layerNorm/[2, 3, 4] over all', 'layerNorm', [randn([2, 3, 4]), randn([2, 3, 4]), randn([2, 3, 4])], { normalizedShape: [2, 3, 4] });
  add('layerNorm/no affine eps 1e-3', 'layerNorm', [randn([3, 5], 0.1)], { normalizedShape: [5], eps: 1e-3 });
  add('layerNorm/weight only', 'layerNorm', [randn([3, 4]), uniform([4], 0.5, 2)], { normalizedShape: [4] });
  add('layerNorm/offset values', 'layerNorm', [uniform([4, 16], 1000, 1001), uniform([16], 0.5, 2), randn([16])], { normalizedShape: [16] });
  add('layerNorm/rows of 300', 'layerNorm', [randn([3, 300], 2), uniform([300], 0.5, 2), randn([300])], { normalizedShape: [300] });
  add('layerNorm/constant input', 'layerNorm', [constant(randn([3, 4])), uniform([4], 0.5, 2), randn([4])], { normalizedShape: [4] });
  add('layerNorm/constant weight', 'layerNorm', [randn([3, 4]), constant(uniform([4], 0.5, 2)), randn([4])], { normalizedShape: [4] });
  add('LayerNorm/[2, 5, 16] over 16', 'layerNormModule', [randn([2, 5, 16]), uniform([16], 0.5, 2), randn([16])], { normalizedShape: 16, options: {} });
  add('LayerNorm/[3, 2, 4] over [2, 4] eps 1e-2', 'layerNormModule', [randn([3, 2, 4]), uniform([2, 4], 0.5, 2), randn([2, 4])], { normalizedShape: [2, 4], options: { eps: 1e-2 } });
  add('LayerNorm/no elementwise affine', 'layerNormModule', [randn([4, 7], 2)], { normalizedShape: [7], options: { elementwiseAffine: false } });
  add('layerNorm/trailing shape mismatch', 'layerNorm', [randn([2, 5, 6])], { normalizedShape: [5] });
  add('layerNorm/weight shape', 'layerNorm', [randn([2, 6]), randn([5]), randn([6])], { normalizedShape: [6] });
  add('LayerNorm/wrong trailing shape', 'layerNormModule', [randn([2, 3, 4])], { normalizedShape: [3], options: { elementwiseAffine: false } });
}

// ---------------------------------------------------------------- triu, tril, maskedFill, split, chunk, cumsum

function sequenceOpCases(): void {
  add('triu/[4, 5]', 'triangular', [randn([4, 5])], { op: 'triu' });
  add('triu/[2, 3, 4] diagonal 1', 'triangular', [randn([2, 3, 4])], { op: 'triu', diagonal: 1 });
  add('triu/[5, 3] diagonal -1', 'triangular', [randn([5, 3])], { op: 'triu', diagonal: -1 });
  add('triu/diagonal past the matrix', 'triangular', [randn([3, 4])], { op: 'triu', diagonal: 7 });
  add('triu/non-finite values zeroed', 'triangular', [given([2, 2], [Infinity, 1, NaN, 2])], { op: 'triu' });
  add('tril/[4, 5]', 'triangular', [randn([4, 5])], { op: 'tril' });
  add('tril/[2, 2, 3, 3] diagonal -1', 'triangular', [randn([2, 2, 3, 3])], { op: 'tril', diagonal: -1 });
  add('tril/[3, 5] diagonal 2', 'triangular', [randn([3, 5])], { op: 'tril', diagonal: 2 });
  add('tril/method', 'triangular', [randn([3, 3])], { op: 'tril', method: true });
  add('maskedFill/same shape', 'maskedFill', [randn([3, 4]), ints([3, 4], 2)], { value: -1.5 });
  add('maskedFill/row mask -inf', 'maskedFill', [randn([3, 4]), given([4], [0, 1, 1, 0], false)], { value: -Infinity });
  add('maskedFill/causal mask then softmax', 'maskedFillSoftmax', [randn([2, 4, 4]), given([4, 4], [0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0], false)], { value: -Infinity });
  add('maskedFill/mask broadcasts the input', 'maskedFill', [randn([4]), ints([2, 4], 2)], { value: 3 });
  add('maskedFill/both broadcast', 'maskedFill', [randn([2, 1, 4]), ints([3, 1], 2)], { value: 0 });
  add('maskedFill/all filled', 'maskedFill', [randn([2, 3]), given([1], [1], false)], { value: 2.5, method: true });
  add('split/size 3 of 7', 'split', [randn([7, 3])], { split: 3, axis: 0 });
  add('split/sections along axis 1', 'split', [randn([4, 6])], { split: [1, 3, 2], axis: 1 });
  add('split/sections with 0 along -1', 'split', [randn([2, 3, 5])], { split: [0, 5, 0], axis: -1 });
  add('split/size larger than the axis', 'split', [randn([3, 2])], { split: 5, axis: 0, method: true });
  add('split/empty axis', 'split', [given([0, 3], [])], { split: 2, axis: 0 });
  add('chunk/7 in 4', 'chunk', [randn([7, 2])], { chunks: 4, axis: 0 });
  add('chunk/5 in 4 gives 3', 'chunk', [randn([2, 5])], { chunks: 4, axis: 1 });
  add('chunk/6 in 4 gives 3', 'chunk', [randn([6])], { chunks: 4, axis: 0, method: true });
  add('chunk/10 in 3 along -2', 'chunk', [randn([2, 10, 2])], { chunks: 3, axis: -2 });
  add('chunk/more chunks than values', 'chunk', [randn([3, 2])], { chunks: 5, axis: 0 });
  add('chunk/empty axis gives chunks pieces', 'chunk', [given([2, 0], [])], { chunks: 3, axis: 1 });
  add('cumsum/[6]', 'cumsum', [randn([6])], { axis: 0 });
  add('cumsum/[3, 4] axis 1', 'cumsum', [randn([3, 4])], { axis: 1 });
  add('cumsum/[2, 3, 4] axis 1', 'cumsum', [randn([2, 3, 4])], { axis: 1, method: true });
  add('cumsum/[2, 3, 4] axis -3', 'cumsum', [randn([2, 3, 4])], { axis: -3 });
  add('cumsum/0-d', 'cumsum', [given([], [2.5])], { axis: 0 });
  add('cumsum/500 large values', 'cumsum', [uniform([500], 1000, 1001)], { axis: 0 });
  add('cumsum/non-finite', 'cumsum', [given([5], [1, Infinity, 2, -Infinity, 3], false)], { axis: 0 });
  add('triu/1-D', 'triangular', [randn([4])], { op: 'triu' });
  add('tril/0-d', 'triangular', [given([], [1])], { op: 'tril' });
  add('maskedFill/mask does not broadcast', 'maskedFill', [randn([3, 4]), ints([3], 2)], { value: 1 });
  add('split/sections do not add up', 'split', [randn([5, 2])], { split: [2, 2], axis: 0 });
  add('split/negative section', 'split', [randn([5, 2])], { split: [-1, 6], axis: 0 });
  add('split/size 0', 'split', [randn([5, 2])], { split: 0, axis: 0 });
  add('split/negative size', 'split', [randn([5, 2])], { split: -2, axis: 0 });
  add('split/0-d', 'split', [given([], [1])], { split: 1, axis: 0 });
  add('split/axis out of range', 'split', [randn([5, 2])], { split: 1, axis: 2 });
  add('chunk/0 chunks', 'chunk', [randn([5, 2])], { chunks: 0, axis: 0 });
  add('chunk/0-d', 'chunk', [given([], [1])], { chunks: 1, axis: 0 });
  add('cumsum/axis out of range', 'cumsum', [randn([2, 3])], { axis: 2 });
}

// ---------------------------------------------------------------- inputs both must refuse

function errorCases(): void {
  add('sum/duplicate axes', 'reduce', [randn([2, 3, 4])], { op: 'sum', axis: [0, -3] });
  add('sum/axis out of range', 'reduce', [randn([2, 3])], { op: 'sum', axis: 2 });
  add('matmul/mismatch', 'matmul', [randn([2, 3]), randn([4, 2])]);
  add('matmul/0-d', 'matmul', [given([], [1]), randn([2])]);
  add('add/incompatible', 'binary', [randn([2, 3]), randn([2])], { op: 'add' });
  add('reshape/wrong size', 'reshape', [randn([2, 3])], { shape: [4, -1] });
  add('reshape/two -1', 'reshape', [randn([2, 3])], { shape: [-1, -1] });
  add('expand/non-1 axis', 'expand', [randn([2, 3])], { shape: [4, 3] });
  add('transpose/out of range', 'transpose', [randn([2, 3])], { dims: [0, 2] });
  add('permute/not a permutation', 'permute', [randn([2, 3])], { dims: [0, 0] });
  add('softmax/axis out of range', 'softmax', [randn([2, 3])], { axis: 2 });
  add('concat/mismatch', 'concat', [randn([2, 3]), randn([2, 4])], { axis: 0 });
  add('stack/mismatch', 'stack', [randn([2, 3]), randn([3, 2])], { axis: 0 });
  add('slice/index out of range', 'slice', [randn([2, 3])], { spec: [2] });
  add('narrow/past the end', 'narrow', [randn([2, 3])], { axis: 1, start: 2, length: 2 });
  add('indexSelect/out of range', 'indexSelect', [randn([2, 3])], { axis: 0, indices: [2] });
  add('crossEntropy/class out of range', 'crossEntropy', [randn([2, 3])], { target: [0, 3] });
  add('crossEntropy/labelSmoothing above 1', 'crossEntropy', [randn([2, 3])], { target: [0, 1], labelSmoothing: 1.5 });
  add('nllLoss/negative class', 'nllLoss', [randn([2, 3])], { target: [0, -1], reduction: 'mean' });
  add('conv2d/channel mismatch', 'conv2d', [randn([1, 2, 5, 5]), randn([3, 3, 3, 3])], {});
  add('conv2d/kernel larger than input', 'conv2d', [randn([1, 1, 2, 2]), randn([1, 1, 3, 3])], {});
  add('maxPool2d/padding above half the kernel', 'maxPool2d', [randn([1, 1, 4, 4])], { kernelSize: 2, padding: 2 });
  add('batchNorm/one value per channel', 'batchNorm', [randn([1, 3]), constant(randn([3])), constant(uniform([3], 0.5, 2))], { training: true, noAffine: true });
  add('batchNorm/weight size', 'batchNorm', [randn([4, 3]), constant(randn([3])), constant(uniform([3], 0.5, 2)), randn([2]), randn([3])], { training: true });
  add('arange/step sign', 'arange', [], { args: [0, 5, -1] });
  add('eye/negative', 'eye', [], { args: [-1] });
  add('expand/-1 in a new axis', 'expand', [randn([3])], { shape: [-1, 3] });
  add('narrow/negative length', 'narrow', [randn([2, 3])], { axis: 1, start: 1, length: -1 });
  add('slice/step 0', 'slice', [randn([4])], { spec: [[0, 4, 0]] });
  add('slice/negative step', 'slice', [randn([4])], { spec: [[null, null, -1]] });
  add('reshape/-1 of empty', 'reshape', [given([0, 3], [])], { shape: [0, -1] });
  add('unsqueeze/out of range', 'unsqueeze', [randn([2, 3])], { axis: 3 });
  add('matmul/vector lengths', 'matmul', [randn([3]), randn([4])]);
  add('softmax/axis 1 of 1-D', 'softmax', [randn([3])], { axis: 1 });
  add('squeeze/axis out of range', 'squeeze', [randn([1, 3])], { axis: 2 });
  add('BatchNorm2d/3-D input', 'batchNormModule', [constant(randn([2, 3, 4])), constant(randn([2, 3, 4])), randn([2, 3, 4]), randn([3]), randn([3])], { kind: '2d', options: {}, mode: 'train' });
  add('Linear/wrong features', 'linearModule', [randn([2, 3]), randn([4, 5]), randn([4])], {});
  add('mseLoss/shape mismatch', 'mseLoss', [randn([3, 1]), randn([3, 4])], { reduction: 'mean' });
  const refused: [string, Record<string, unknown>][] = [
    ['SGD', { lr: -0.1 }], ['SGD', { lr: 0.1, nesterov: true }], ['SGD', { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }],
    ['SGD', { lr: 0.1, momentum: -0.5 }], ['SGD', { lr: 0.1, weightDecay: -1 }], ['Adam', { betas: [1, 0.999] }],
    ['Adam', { betas: [0.9, -0.1] }], ['Adam', { eps: -1 }], ['AdamW', { weightDecay: -0.1 }], ['Adagrad', { lrDecay: -1 }],
    ['Adagrad', { initialAccumulatorValue: -1 }], ['RMSprop', { alpha: -0.5 }], ['RMSprop', { momentum: -1 }],
    ['Adadelta', { rho: 1.5 }], ['Adadelta', { lr: -1 }],
  ];
  for (const [name, options] of refused) {
    add(`${name}/refuses ${JSON.stringify(options).replace(/"/g, '')}`, 'optimizer', optimizerInputs(), { name, options, steps: 1 });
  }
  add('ReduceLROnPlateau/refuses factor 1', 'scheduler', [], { name: 'ReduceLROnPlateau', options: { factor: 1 }, lr: 0.1, epochs: 1, metrics: [1] });
  add('ReduceLROnPlateau/refuses unknown mode', 'scheduler', [], { name: 'ReduceLROnPlateau', options: { mode: 'avg' }, lr: 0.1, epochs: 1, metrics: [1] });
  add('clipGradNorm/refuses nonfinite norm when asked', 'clipGradNorm', [given([2], [NaN, 1])], { maxNorm: 1, normType: 2, errorIfNonfinite: true });
}

// ---------------------------------------------------------------- recurrent layers

/**
 * RNN (tanh, relu), LSTM and GRU: the case's inputs are x, the initial states when `states` (h0, and c0
 * for an LSTM) and every weight in state-dict order (loaded into both modules); `out` is output, hN (and
 * cN) flattened end to end, so every gradient sees all three. Dropout is left out (random).
 */
function recurrentCases(): void {
  interface Spec { mode: 'RNN' | 'LSTM' | 'GRU'; input: number; hidden: number; steps: number; batch: number | null; states: boolean; options: Record<string, unknown> }
  const specs: [string, Spec][] = [
    ['RNN/tanh with h0', { mode: 'RNN', input: 3, hidden: 4, steps: 5, batch: 2, states: true, options: {} }],
    ['RNN/relu 2 layers bidirectional batchFirst', { mode: 'RNN', input: 3, hidden: 4, steps: 4, batch: 3, states: true, options: { nonlinearity: 'relu', numLayers: 2, bidirectional: true, batchFirst: true } }],
    ['RNN/tanh unbatched no bias', { mode: 'RNN', input: 2, hidden: 3, steps: 4, batch: null, states: true, options: { bias: false } }],
    ['LSTM/with h0 c0', { mode: 'LSTM', input: 3, hidden: 4, steps: 5, batch: 2, states: true, options: {} }],
    ['LSTM/2 layers bidirectional', { mode: 'LSTM', input: 3, hidden: 4, steps: 4, batch: 2, states: true, options: { numLayers: 2, bidirectional: true } }],
    ['LSTM/batchFirst no bias no states', { mode: 'LSTM', input: 2, hidden: 3, steps: 6, batch: 3, states: false, options: { batchFirst: true, bias: false } }],
    ['LSTM/unbatched 2 layers', { mode: 'LSTM', input: 3, hidden: 2, steps: 5, batch: null, states: true, options: { numLayers: 2 } }],
    ['GRU/with h0', { mode: 'GRU', input: 3, hidden: 4, steps: 5, batch: 2, states: true, options: {} }],
    ['GRU/2 layers bidirectional batchFirst', { mode: 'GRU', input: 3, hidden: 4, steps: 4, batch: 2, states: true, options: { numLayers: 2, bidirectional: true, batchFirst: true } }],
    ['GRU/unbatched bidirectional no bias no states', { mode: 'GRU', input: 2, hidden: 3, steps: 4, batch: null, states: false, options: { bidirectional: true, bias: false } }],
  ];
  for (const [id, s] of specs) {
    const gates = { RNN: 1, LSTM: 4, GRU: 3 }[s.mode];
    const layers = (s.options.numLayers as number | undefined) ?? 1;
    const directions = s.options.bidirectional ? 2 : 1;
    const bias = s.options.bias !== false;
    const x = s.batch === null ? randn([s.steps, s.input]) : randn(s.options.batchFirst ? [s.batch, s.steps, s.input] : [s.steps, s.batch, s.input]);
    const stateShape = s.batch === null ? [layers * directions, s.hidden] : [layers * directions, s.batch, s.hidden];
    const states = s.states ? Array.from({ length: s.mode === 'LSTM' ? 2 : 1 }, () => randn(stateShape, 0.5)) : [];
    const weights: TensorSpec[] = [];
    for (let l = 0; l < layers; l++) {
      for (let d = 0; d < directions; d++) {
        const inputs = l === 0 ? s.input : s.hidden * directions;
        weights.push(uniform([gates * s.hidden, inputs], -0.7, 0.7), uniform([gates * s.hidden, s.hidden], -0.7, 0.7));
        if (bias) weights.push(uniform([gates * s.hidden], -0.5, 0.5), uniform([gates * s.hidden], -0.5, 0.5));
      }
    }
    add(id, 'recurrent', [x, ...states, ...weights], { mode: s.mode, inputSize: s.input, hiddenSize: s.hidden, states: s.states, options: s.options });
  }
  add('LSTM/refuses a wrong input size', 'recurrent', [randn([4, 2, 5]), uniform([8, 3], -1, 1), uniform([8, 2], -1, 1)], { mode: 'LSTM', inputSize: 3, hiddenSize: 2, states: false, options: { bias: false } });
  add('GRU/refuses a wrong h0 shape', 'recurrent', [randn([4, 2, 3]), randn([2, 2, 2]), uniform([6, 3], -1, 1), uniform([6, 2], -1, 1)], { mode: 'GRU', inputSize: 3, hiddenSize: 2, states: true, options: { bias: false } });
}

elementwiseCases();
softmaxCases();
reductionCases();
matmulCases();
shapeCases();
layerCases();
lossCases();
initCases();
optimizerCases();
schedulerCases();
creationCases();
printCases();
nonFiniteCases();
degenerateCases();
largerCases();
errorCases();
recurrentCases();
section(1401, layerNormCases);
section(1402, sequenceOpCases);
section(20250114, attentionCases);

export const parityCases: readonly ParityCase[] = cases;

/** JSON for a case, with NaN, ±Infinity and −0 as the strings 'nan', 'inf', '-inf', '-0' (reference.py reads them back). */
export function caseJson(c: ParityCase): string {
  return JSON.stringify(c, (_key, v: unknown) => {
    if (typeof v !== 'number') return v;
    if (Number.isNaN(v)) return 'nan';
    if (v === Infinity) return 'inf';
    if (v === -Infinity) return '-inf';
    return Object.is(v, -0) ? '-0' : v;
  });
}

/** FNV-1a over a case's JSON: reference.json records it so that a changed case asks for an update. */
export function caseHash(c: ParityCase): string {
  const text = caseJson(c);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** The weights w of the backward pass, L = Σ w·out: multiples of 1/8 in ±[0.125, 1.375], exact in float32. */
export function upstreamWeight(i: number): number {
  return (((7 * i + 3) % 11) - 5.5) / 4;
}
