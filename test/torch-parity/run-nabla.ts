/**
 * The nabla side of the parity catalogue: each function takes a case's input tensors and
 * parameters and returns named outputs; `out` (a Tensor) is backpropagated with the weights of
 * upstreamWeight, and every input that requires grad adds its gradient as `grad<i>`.
 * reference.py implements the same names with PyTorch.
 */
import {
  Tensor, arange, argmax, argmin, avgPool2d, batchNorm, concat, conv2d, eye, flatten, indexSelect, linspace,
  manualSeed, matmul, maxPool2d, narrow, nn, optim, permute, reshape, slice, squeeze, stack, sum, tensor,
  transpose, unsqueeze, variance, where, zeros, type SliceEntry,
} from '../../src/index.js';
import * as ops from '../../src/ops/index.js';
import { CharGPT } from '../../src/text/char-gpt.js';
import { upstreamWeight, type ParityCase } from './cases.js';

export type Output = Tensor | number[] | number | string;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Params = any;
type Fn = (x: Tensor[], p: Params) => Output | Record<string, Output>;

const binaryOps = {
  add: ops.add, sub: ops.sub, mul: ops.mul, div: ops.div, pow: ops.pow, maximum: ops.maximum, minimum: ops.minimum,
  eq: ops.eq, gt: ops.gt, ge: ops.ge, lt: ops.lt, le: ops.le,
} as const;

const unaryOps: Record<string, (x: Tensor, arg?: number) => Tensor> = {
  exp: (x) => x.exp(), log: (x) => x.log(), sqrt: (x) => x.sqrt(), abs: (x) => x.abs(), reciprocal: (x) => x.reciprocal(),
  square: (x) => x.square(), neg: (x) => x.neg(), tanh: (x) => x.tanh(), sigmoid: (x) => x.sigmoid(), relu: (x) => x.relu(),
  leakyRelu: (x, a) => x.leakyRelu(a), elu: (x, a) => x.elu(a), gelu: (x) => x.gelu(),
};

/** Sets a module's parameter to the case's tensor, so its gradient lands on the input itself. */
function setParam(m: nn.Module, name: string, t: Tensor | undefined): void {
  if (t !== undefined) (m as unknown as Record<string, Tensor>)[name] = t;
}

function batchNormModule(x: Tensor[], p: Params): Record<string, Output> {
  const [warm1, warm2, input, weight, bias] = x;
  const layer = p.kind === '1d' ? new nn.BatchNorm1d(input.shape[1], p.options) : new nn.BatchNorm2d(input.shape[1], p.options);
  setParam(layer, 'weight', weight);
  setParam(layer, 'bias', bias);
  layer.train();
  layer.forward(warm1);
  layer.forward(warm2);
  if (p.mode === 'eval') layer.eval();
  const out = layer.forward(input);
  const result: Record<string, Output> = { out };
  if (layer.runningMean) result.runningMean = layer.runningMean;
  if (layer.runningVar) result.runningVar = layer.runningVar;
  return result;
}

/** split/chunk's pieces as outputs: their sizes along the axis, and out = the pieces, the i-th times i + 1, concatenated back. */
function pieceOutputs(pieces: Tensor[], axis: number): Record<string, Output> {
  return { out: concat(pieces.map((t, i) => t.mul(i + 1)), axis), sizes: pieces.map((t) => t.shape[axis < 0 ? axis + t.ndim : axis]) };
}

/** The optimizers' loss: Σ(p0 − c0)² + 0.1·Σp0⁴ + Σ(p0·p1 − c1)², with p0 [3, 4], p1 [4]. */
function optimizerLoss(p0: Tensor, p1: Tensor, c0: Tensor, c1: Tensor): Tensor {
  return sum(p0.sub(c0).square()).add(sum(p0.pow(4)).mul(0.1)).add(sum(matmul(p0, p1).sub(c1).square()));
}

const optimizers: Record<string, new (params: never, options: never) => optim.Optimizer<never, object>> = {
  SGD: optim.SGD as never, Adagrad: optim.Adagrad as never, RMSprop: optim.RMSprop as never, Adam: optim.Adam as never,
  AdamW: optim.AdamW as never, Adadelta: optim.Adadelta as never,
};

function runOptimizer(x: Tensor[], p: Params): Record<string, Output> {
  const [p0, p1, c0, c1] = x.map((t) => t.detach());
  p0.requiresGrad = true;
  p1.requiresGrad = true;
  const params = p.groups ? [{ params: [p0], ...p.groups[0] }, { params: [p1], ...p.groups[1] }] : [p0, p1];
  const opt = new optimizers[p.name](params as never, p.options as never);
  const scheduler = p.scheduler ? new schedulers[p.scheduler.name](opt as never, p.scheduler.options as never) : null;
  const result: Record<string, Output> = {};
  const losses: number[] = [];
  for (let step = 1; step <= p.steps; step++) {
    opt.zeroGrad();
    const loss = optimizerLoss(p0, p1, c0, c1);
    losses.push(loss.item());
    loss.backward();
    opt.step();
    scheduler?.step();
    result[`p0 step ${step}`] = tensor(p0.data.slice(), { shape: p0.shape });
    result[`p1 step ${step}`] = tensor(p1.data.slice(), { shape: p1.shape });
  }
  result.losses = tensor(losses);
  return result;
}

const schedulers: Record<string, new (o: never, options: never) => { step(metric?: number): void }> = {
  StepLR: optim.lrScheduler.StepLR as never, MultiStepLR: optim.lrScheduler.MultiStepLR as never,
  ExponentialLR: optim.lrScheduler.ExponentialLR as never, CosineAnnealingLR: optim.lrScheduler.CosineAnnealingLR as never,
  LinearLR: optim.lrScheduler.LinearLR as never, ReduceLROnPlateau: optim.lrScheduler.ReduceLROnPlateau as never,
};

/** Every group's lr after construction and after each epoch's step (p.lr: one lr, or one per group). */
function runScheduler(p: Params): Record<string, Output> {
  const groupLrs: number[] = Array.isArray(p.lr) ? p.lr : [p.lr];
  const opt = new optim.SGD(groupLrs.map((lr) => ({ params: [zeros([1], { requiresGrad: true })], lr })), { lr: groupLrs[0] });
  const chain = [p, ...(p.chain ? [p.chain] : [])].map((s: Params) => new schedulers[s.name](opt as never, s.options as never));
  const lrs = opt.paramGroups.map((g) => g.lr);
  for (let epoch = 0; epoch < p.epochs; epoch++) {
    for (const s of chain) s.step(p.metrics?.[epoch]);
    lrs.push(...opt.paramGroups.map((g) => g.lr));
  }
  return { lrs };
}

function initStats(p: Params): Record<string, Output> {
  manualSeed(1);
  const t = zeros(p.shape);
  const init = nn.init;
  if (p.init === 'xavierUniform') init.xavierUniform(t, p.gain);
  else if (p.init === 'xavierNormal') init.xavierNormal(t, p.gain);
  else if (p.init === 'kaimingUniform') init.kaimingUniform(t, { a: p.a, mode: p.mode, nonlinearity: p.nonlinearity });
  else init.kaimingNormal(t, { a: p.a, mode: p.mode, nonlinearity: p.nonlinearity });
  return stats(t);
}

function stats(t: Tensor, prefix = ''): Record<string, Output> {
  const d = Float64Array.from(t.data);
  const mean = d.reduce((a, b) => a + b, 0) / d.length;
  const std = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (d.length - 1));
  const maxAbs = d.reduce((a, b) => Math.max(a, Math.abs(b)), 0);
  const key = (name: string) => (prefix ? prefix + name[0].toUpperCase() + name.slice(1) : name);
  return { [key('mean')]: mean, [key('std')]: std, [key('maxAbs')]: maxAbs };
}

function defaultInit(p: Params): Record<string, Output> {
  manualSeed(1);
  const [a, b, c] = p.args as number[];
  const layer = p.layer === 'linear' ? new nn.Linear(a, b) : new nn.Conv2d(a, b, c);
  return { ...stats(layer.weight), ...stats(layer.bias!, 'bias') };
}

function clip(x: Tensor[], p: Params, clipNorm: boolean): Record<string, Output> {
  const params = x.map((g) => {
    const t = zeros(g.shape, { requiresGrad: true });
    t.grad = tensor(g.data.slice(), { shape: g.shape });
    return t;
  });
  const result: Record<string, Output> = {};
  if (clipNorm) result.norm = optim.clipGradNorm(params, p.maxNorm, p.normType === 'inf' ? Infinity : p.normType, p.errorIfNonfinite);
  else optim.clipGradValue(params, p.clipValue);
  params.forEach((t, i) => {
    result[`clipped${i}`] = t.grad!;
  });
  return result;
}

/** RNN, LSTM or GRU with the case's weights (see recurrentCases in cases.ts): output, hN (cN) and all of them as `out`. */
function recurrent(x: Tensor[], p: Params): Record<string, Output> {
  const Layer = { RNN: nn.RNN, LSTM: nn.LSTM, GRU: nn.GRU }[p.mode as 'RNN'];
  const m = new Layer(p.inputSize, p.hiddenSize, p.options);
  const states = p.states ? x.slice(1, p.mode === 'LSTM' ? 3 : 2) : [];
  const weights = x.slice(1 + states.length);
  Object.keys(m.stateDict()).forEach((name, i) => setParam(m, name, weights[i]));
  const [output, final] = m instanceof nn.LSTM
    ? m.forward(x[0], states.length ? [states[0], states[1]] : undefined)
    : m.forward(x[0], states[0]);
  const [hN, cN] = Array.isArray(final) ? final : [final];
  const parts = [output, hN, ...(cN ? [cN] : [])];
  const result: Record<string, Output> = { output, hN, out: concat(parts.map((t) => reshape(t, [-1]))) };
  if (cN) result.cN = cN;
  return result;
}

/** scaledDotProductAttention on [q, k, v, float mask?] with the case's options (a boolean mask comes in the params). */
function sdpa(x: Tensor[], p: Params): Output {
  const [q, k, v, mask] = x;
  const attnMask = p.floatMask ? mask : (p.boolMask ?? null);
  return nn.functional.scaledDotProductAttention(q, k, v, { attnMask, isCausal: p.isCausal, scale: p.scale });
}

/** MultiheadAttention on [query, key?, value?, inProjWeight, inProjBias?, outProj.weight, outProj.bias?, attnMask?, keyPaddingMask?]. */
function mha(x: Tensor[], p: Params): Output | Record<string, Output> {
  let i = 0;
  const query = x[i++];
  const key = p.kind === 'self' ? query : x[i++];
  const value = p.kind === 'cross' ? x[i++] : key;
  const bias = p.bias !== false;
  const m = new nn.MultiheadAttention(query.shape[query.ndim - 1], p.heads, { bias, batchFirst: p.batchFirst ?? false });
  setParam(m, 'inProjWeight', x[i++]);
  if (bias) setParam(m, 'inProjBias', x[i++]);
  setParam(m.outProj, 'weight', x[i++]);
  if (bias) setParam(m.outProj, 'bias', x[i++]);
  const attnMask = p.attnMask === 'float' ? x[i++] : (p.attnMask ?? null);
  const keyPaddingMask = p.keyPaddingMask === 'float' ? x[i++] : (p.keyPaddingMask ?? null);
  const [out, weights] = m.forward(query, key, value, { attnMask, keyPaddingMask, needWeights: p.needWeights, averageAttnWeights: p.average, isCausal: p.isCausal });
  if (p.output === 'weights') return { out: weights!, output: out };
  return weights ? { out, weights } : out;
}

/** Sets every parameter of m (namedParameters order, PyTorch's too) to the next tensors of x from `start`; returns the next index. */
function setParameters(m: nn.Module, x: Tensor[], start: number): number {
  let i = start;
  for (const [name] of m.namedParameters()) {
    const path = name.split('.');
    let owner = m as unknown as Record<string, unknown>;
    for (const part of path.slice(0, -1)) owner = owner[part] as Record<string, unknown>;
    setParam(owner as unknown as nn.Module, path[path.length - 1], x[i++]);
  }
  return i;
}

function layerOptions(p: Params): nn.TransformerEncoderLayerOptions {
  return { dimFeedforward: p.dimFeedforward, dropout: 0, activation: p.activation, batchFirst: p.batchFirst, normFirst: p.normFirst, layerNormEps: p.layerNormEps };
}

/** TransformerEncoderLayer on [src, its parameters, float srcMask?]. */
function encoderLayer(x: Tensor[], p: Params): Output {
  const src = x[0];
  const layer = new nn.TransformerEncoderLayer(src.shape[src.ndim - 1], p.nhead, layerOptions(p));
  const i = setParameters(layer, x, 1);
  return layer.forward(src, { srcMask: p.srcMask === 'float' ? x[i] : (p.srcMask ?? null), srcKeyPaddingMask: p.srcKeyPaddingMask ?? null, isCausal: p.isCausal });
}

function encoder(x: Tensor[], p: Params): Output {
  const src = x[0];
  const d = src.shape[src.ndim - 1];
  const m = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(d, p.nhead, layerOptions(p)), p.layers, { norm: new nn.LayerNorm(d) });
  setParameters(m, x, 1);
  return m.forward(src, { isCausal: p.isCausal });
}

function charGpt(x: Tensor[], p: Params): Output {
  const m = new CharGPT(p.vocab, { context: p.context, width: p.width, layers: p.layers, heads: p.heads, dropout: 0 });
  setParameters(m, x, 1);
  return m.forward(x[0]);
}

/** The modules whose state-dict names are compared with PyTorch's. */
function namedModule(name: string): nn.Module {
  const layer = () => new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
  switch (name) {
    case 'MultiheadAttention': return new nn.MultiheadAttention(8, 2);
    case 'MultiheadAttention no bias': return new nn.MultiheadAttention(8, 2, { bias: false });
    case 'TransformerEncoderLayer': return layer();
    case 'TransformerEncoder with norm': return new nn.TransformerEncoder(layer(), 2, { norm: new nn.LayerNorm(8) });
    default: return new CharGPT(11, { context: 6, width: 8, layers: 2, heads: 2 });
  }
}

export const catalogue: Record<string, Fn> = {
  binary: ([a, b], p) => {
    const op = binaryOps[p.op as keyof typeof binaryOps];
    if (p.scalar === undefined) return op(a, b);
    return p.scalarFirst ? op(p.scalar, a) : op(a, p.scalar);
  },
  selfBinary: ([x], p) => binaryOps[p.op as keyof typeof binaryOps](x, x),
  accumulate: ([x]) => {
    const leaf = x.detach();
    leaf.requiresGrad = true;
    sum(leaf.mul(leaf)).backward();
    sum(leaf.exp().mul(tensor([[1, 2, 3], [4, 5, 6]]))).backward();
    return { accumulated: leaf.grad! };
  },
  unary: ([x], p) => unaryOps[p.op](x, p.arg),
  clamp: ([x], p) => x.clamp(p.min, p.max),
  where: ([cond, a, b], p) => where(cond, a, p.other ?? b),
  whereMethod: ([cond, a, b]) => a.where(cond, b),
  softmax: ([x], p) => x.softmax(p.axis),
  logSoftmax: ([x], p) => x.logSoftmax(p.axis),
  reduce: ([x], p) => {
    const fn = { sum: ops.sum, mean: ops.mean, max: ops.max, min: ops.min }[p.op as 'sum'];
    return fn(x, p.axis, p.keepDims);
  },
  var: ([x], p) => variance(x, p.axis, { unbiased: p.unbiased, correction: p.correction, keepDims: p.keepDims }),
  arg: ([x], p) => (p.op === 'argmax' ? argmax : argmin)(x, p.axis, p.keepDims),
  matmul: ([a, b]) => matmul(a, b),
  linear: ([x, w, b]) => nn.functional.linear(x, w, b ?? null),
  reshape: ([x], p) => reshape(x, p.shape),
  transpose: ([x], p) => transpose(x, p.dims[0], p.dims[1]),
  permute: ([x], p) => permute(x, p.dims),
  squeeze: ([x], p) => squeeze(x, p.axis),
  unsqueeze: ([x], p) => unsqueeze(x, p.axis),
  flatten: ([x], p) => flatten(x, p.startDim, p.endDim),
  expand: ([x], p) => x.expand(p.shape),
  slice: ([x], p) => slice(x, p.spec as SliceEntry[]),
  narrow: ([x], p) => narrow(x, p.axis, p.start, p.length),
  indexSelect: ([x], p) => indexSelect(x, p.axis, p.indices),
  concat: (x, p) => concat(x, p.axis),
  stack: (x, p) => stack(x, p.axis),
  batchNorm: ([x, rm, rv, w, b], p): Record<string, Output> => {
    const stats = p.noStats ? [null, null] : [rm, rv];
    const out = batchNorm(x, stats[0], stats[1], p.noAffine ? null : w, p.noAffine ? null : b, { training: p.training, momentum: p.momentum, eps: p.eps });
    return p.noStats ? { out } : { out, runningMean: rm, runningVar: rv };
  },
  batchNormModule,
  triangular: ([x], p) => (p.method ? x[p.op as 'triu' | 'tril'](p.diagonal) : (p.op === 'triu' ? ops.triu : ops.tril)(x, p.diagonal)),
  maskedFill: ([x, mask], p) => (p.method ? x.maskedFill(mask, p.value) : ops.maskedFill(x, mask, p.value)),
  maskedFillSoftmax: ([x, mask], p) => ops.maskedFill(x, mask, p.value).softmax(-1),
  split: ([x], p) => pieceOutputs(p.method ? x.split(p.split, p.axis) : ops.split(x, p.split, p.axis), p.axis),
  chunk: ([x], p) => pieceOutputs(p.method ? x.chunk(p.chunks, p.axis) : ops.chunk(x, p.chunks, p.axis), p.axis),
  cumsum: ([x], p) => (p.method ? x.cumsum(p.axis) : ops.cumsum(x, p.axis)),
  layerNorm: ([x, w, b], p) => nn.functional.layerNorm(x, p.normalizedShape, w ?? null, b ?? null, p.eps),
  layerNormModule: ([x, w, b], p) => {
    const layer = new nn.LayerNorm(p.normalizedShape, p.options);
    setParam(layer, 'weight', w);
    setParam(layer, 'bias', b);
    return layer.forward(x);
  },
  convNet: ([x, cw, cb, bw, bb, lw, lb], p) => {
    const conv = new nn.Conv2d(2, 3, 3, { padding: 1 });
    const bn = new nn.BatchNorm2d(3);
    const fc = new nn.Linear(27, 4);
    setParam(conv, 'weight', cw);
    setParam(conv, 'bias', cb);
    setParam(bn, 'weight', bw);
    setParam(bn, 'bias', bb);
    setParam(fc, 'weight', lw);
    setParam(fc, 'bias', lb);
    const net = new nn.Sequential(conv, bn, new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), fc);
    if (p.mode === 'eval') {
      net.forward(x.mul(2).add(1).detach());
      net.eval();
    }
    return { out: net.forward(x), runningMean: bn.runningMean!, runningVar: bn.runningVar! };
  },
  conv2d: ([x, w, b], p) => conv2d(x, w, b ?? null, p),
  conv2dModule: ([x, w, b], p) => {
    const layer = new nn.Conv2d(x.shape[1], w.shape[0], p.kernelSize, { stride: p.stride, padding: p.padding, dilation: p.dilation, bias: p.bias });
    setParam(layer, 'weight', w);
    setParam(layer, 'bias', b);
    return layer.forward(x);
  },
  maxPool2d: ([x], p) => maxPool2d(x, p.kernelSize, { stride: p.stride, padding: p.padding }),
  avgPool2d: ([x], p) => avgPool2d(x, p.kernelSize, { stride: p.stride, padding: p.padding }),
  poolModule: ([x], p) => {
    const Pool = p.kind === 'max' ? nn.MaxPool2d : nn.AvgPool2d;
    return new Pool(p.kernelSize, { stride: p.stride, padding: p.padding }).forward(x);
  },
  flattenModule: ([x], p) => new nn.Flatten(p.startDim, p.endDim).forward(x),
  linearModule: ([x, w, b]) => {
    const layer = new nn.Linear(w.shape[1], w.shape[0]);
    setParam(layer, 'weight', w);
    setParam(layer, 'bias', b);
    return layer.forward(x);
  },
  dropout: ([x], p) => nn.functional.dropout(x, p.p, p.training),
  dropoutModule: ([x], p) => {
    const layer = new nn.Dropout(p.p);
    layer.eval();
    return layer.forward(x);
  },
  dropoutScale: (_x, p) => {
    const y = nn.functional.dropout(tensor(new Float32Array(1000).fill(1)), p.p, true);
    const kept = [...new Set(y.data)].filter((v) => v !== 0);
    if (kept.length !== 1) throw new Error(`dropout: expected one nonzero value, got ${kept.join(', ')}`);
    return { scale: kept[0] };
  },
  crossEntropy: ([logits], p) => nn.functional.crossEntropy(logits, p.targetAsTensor ? tensor(p.target) : p.target, { reduction: p.reduction, labelSmoothing: p.labelSmoothing }),
  nllLoss: ([x], p) => nn.functional.nllLoss(x, p.target, { reduction: p.reduction }),
  mseLoss: ([a, b], p) => nn.functional.mseLoss(a, b, { reduction: p.reduction }),
  l1Loss: ([a, b], p) => nn.functional.l1Loss(a, b, { reduction: p.reduction }),
  binaryCrossEntropy: ([a, b], p) => nn.functional.binaryCrossEntropy(a, b, { reduction: p.reduction }),
  binaryCrossEntropyWithLogits: ([a, b], p) => nn.functional.binaryCrossEntropyWithLogits(a, b, { reduction: p.reduction }),
  calculateGain: (_x, p) => nn.init.calculateGain(p.nonlinearity, p.param),
  calculateFans: (_x, p) => {
    const { fanIn, fanOut } = nn.init.calculateFans('calculateFans', zeros(p.shape));
    return { fanIn, fanOut };
  },
  initStats: (_x, p) => initStats(p),
  defaultInit: (_x, p) => defaultInit(p),
  optimizer: runOptimizer,
  clipGradNorm: (x, p) => clip(x, p, true),
  clipGradValue: (x, p) => clip(x, p, false),
  scheduler: (_x, p) => runScheduler(p),
  arange: (_x, p) => arange(...(p.args as [number, number?, number?])),
  linspace: (_x, p) => linspace(...(p.args as [number, number, number])),
  eye: (_x, p) => eye(...(p.args as [number, number?])),
  print: ([x]) => x.toString(),
  recurrent,
  sdpa,
  mha,
  encoderLayer,
  encoder,
  charGpt,
  stateDictNames: (_x, p) => Object.keys(namedModule(p.module).stateDict()).join(' '),
};

/** One compared output: a tensor's values (and shape), a list of numbers, or a printed text. */
export type Result = { values: number[]; shape?: number[] } | string;

/** Runs one case through nabla: its named outputs and, as `grad<i>`, the inputs' gradients of Σ w·out. */
export function runNabla(c: ParityCase): Record<string, Result> {
  const fn = catalogue[c.fn];
  if (!fn) throw new Error(`no nabla function '${c.fn}' for parity case ${c.id}`);
  const inputs = c.inputs.map((s) => tensor(Float32Array.from(s.data), { shape: s.shape, requiresGrad: s.grad }));
  const raw = fn(inputs, c.params);
  const named: Record<string, Output> = raw instanceof Tensor || typeof raw !== 'object' || Array.isArray(raw) ? { out: raw } : raw;
  const result: Record<string, Result> = {};
  for (const [name, v] of Object.entries(named)) {
    if (v instanceof Tensor) result[name] = { values: Array.from(v.data), shape: v.shape.slice() };
    else if (typeof v === 'string') result[name] = v;
    else result[name] = { values: typeof v === 'number' ? [v] : v };
  }
  const out = named.out;
  if (out instanceof Tensor && out.requiresGrad && inputs.some((t) => t.requiresGrad)) {
    const w = new Float32Array(out.size).map((_, i) => upstreamWeight(i));
    out.backward(tensor(w, { shape: out.shape }));
    inputs.forEach((t, i) => {
      if (t.requiresGrad) result[`grad${i}`] = { values: t.grad ? Array.from(t.grad.data) : new Array<number>(t.size).fill(0), shape: t.shape.slice() };
    });
  }
  return result;
}
