/**
 * nn.init: in-place initializers on a tensor's storage, drawing from the seeded generator
 * (manualSeed). Each returns the tensor it filled. Like torch.nn.init without the trailing `_`.
 */
import type { Tensor } from '../tensor.js';
import { formatShape } from '../shape.js';
import { normal as standardNormal, uniform as standardUniform } from '../random.js';

export type Nonlinearity =
  | 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'convTranspose1d' | 'convTranspose2d' | 'convTranspose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'selu';

export type FanMode = 'fanIn' | 'fanOut';

const unitGain = ['linear', 'conv1d', 'conv2d', 'conv3d', 'convTranspose1d', 'convTranspose2d', 'convTranspose3d', 'sigmoid'];

/** The recommended gain for a nonlinearity (param: leakyRelu's negative slope, default 0.01). */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  if (unitGain.includes(nonlinearity)) return 1;
  switch (nonlinearity) {
    case 'tanh': return 5 / 3;
    case 'relu': return Math.SQRT2;
    case 'selu': return 3 / 4;
    case 'leakyRelu': {
      const slope = param ?? 0.01;
      if (typeof slope !== 'number' || !Number.isFinite(slope)) {
        throw new Error(`calculateGain: negative slope must be a finite number, got ${String(param)}`);
      }
      return Math.sqrt(2 / (1 + slope * slope));
    }
    default:
      throw new Error(`calculateGain: unknown nonlinearity '${String(nonlinearity)}' (expected one of ${[...unitGain, 'tanh', 'relu', 'leakyRelu', 'selu'].join(', ')})`);
  }
}

/** Fan-in and fan-out of a weight: [out, in] or a conv weight [out, in, ...kernel]. */
export function calculateFans(op: string, t: Tensor): { fanIn: number; fanOut: number } {
  if (t.ndim < 2) throw new Error(`${op}: fan in and fan out need a tensor with at least 2 dimensions, got shape ${formatShape(t.shape)}`);
  let receptive = 1;
  for (let d = 2; d < t.ndim; d++) receptive *= t.shape[d];
  return { fanIn: t.shape[1] * receptive, fanOut: t.shape[0] * receptive };
}

function fill(t: Tensor, draw: () => number): Tensor {
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = draw();
  return t;
}

function checkFinite(op: string, values: Record<string, number>): void {
  for (const [name, v] of Object.entries(values)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${op}: ${name} must be a finite number, got ${String(v)}`);
  }
}

/** U(a, b). */
export function uniform(t: Tensor, a = 0, b = 1): Tensor {
  checkFinite('uniform', { a, b });
  if (a > b) throw new Error(`uniform: lower bound ${a} must not exceed upper bound ${b}`);
  return fill(t, () => a + (b - a) * standardUniform());
}

/** N(mean, std²). */
export function normal(t: Tensor, mean = 0, std = 1): Tensor {
  checkFinite('normal', { mean, std });
  if (std < 0) throw new Error(`normal: std must be non-negative, got ${std}`);
  return fill(t, () => mean + std * standardNormal());
}

export function constant(t: Tensor, value: number): Tensor {
  checkFinite('constant', { value });
  t.data.fill(value);
  return t;
}

export function zeros(t: Tensor): Tensor {
  return constant(t, 0);
}

export function ones(t: Tensor): Tensor {
  return constant(t, 1);
}

/** Glorot: U(−a, a), a = gain·√(6 / (fanIn + fanOut)). */
export function xavierUniform(t: Tensor, gain = 1): Tensor {
  const { fanIn, fanOut } = calculateFans('xavierUniform', t);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform(t, -bound, bound);
}

/** Glorot: N(0, std²), std = gain·√(2 / (fanIn + fanOut)). */
export function xavierNormal(t: Tensor, gain = 1): Tensor {
  const { fanIn, fanOut } = calculateFans('xavierNormal', t);
  return normal(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)));
}

export interface KaimingOptions {
  /** Negative slope of the leaky ReLU that follows (used when nonlinearity is 'leakyRelu'); default 0. */
  a?: number;
  /** 'fanIn' (default) preserves the forward variance, 'fanOut' the backward one. */
  mode?: FanMode;
  /** Default 'leakyRelu' (with a = 0 that is ReLU's gain √2), as in PyTorch. */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(op: string, t: Tensor, options: KaimingOptions): number {
  const { a = 0, mode = 'fanIn', nonlinearity = 'leakyRelu' } = options;
  if (mode !== 'fanIn' && mode !== 'fanOut') throw new Error(`${op}: mode must be 'fanIn' or 'fanOut', got '${String(mode)}'`);
  const fans = calculateFans(op, t);
  const fan = mode === 'fanIn' ? fans.fanIn : fans.fanOut;
  return calculateGain(nonlinearity, a) / Math.sqrt(fan);
}

/** He: U(−b, b), b = gain·√(3 / fan). */
export function kaimingUniform(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd('kaimingUniform', t, options);
  return uniform(t, -bound, bound);
}

/** He: N(0, std²), std = gain / √fan. */
export function kaimingNormal(t: Tensor, options: KaimingOptions = {}): Tensor {
  return normal(t, 0, kaimingStd('kaimingNormal', t, options));
}
