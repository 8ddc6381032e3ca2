import { describe, expect, it } from 'vitest';
import { manualSeed, nn, zeros, type Tensor } from '../src/index.js';

const init = nn.init;

function stats(t: Tensor): { mean: number; std: number; min: number; max: number } {
  let mean = 0;
  for (const v of t.data) mean += v;
  mean /= t.size;
  let variance = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of t.data) {
    variance += (v - mean) ** 2;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return { mean, std: Math.sqrt(variance / t.size), min, max };
}

/** Checks a uniform fill on (−bound, bound): inside the bounds, reaching near both ends, std bound/√3. */
function expectUniform(t: Tensor, lo: number, hi: number): void {
  const s = stats(t);
  expect(s.min).toBeGreaterThanOrEqual(lo);
  expect(s.max).toBeLessThanOrEqual(hi);
  expect(s.min).toBeLessThan(lo + 0.01 * (hi - lo));
  expect(s.max).toBeGreaterThan(hi - 0.01 * (hi - lo));
  expect(Math.abs(s.mean - (lo + hi) / 2)).toBeLessThan(0.01 * (hi - lo));
  expect(Math.abs(s.std / ((hi - lo) / Math.sqrt(12)) - 1)).toBeLessThan(0.02);
}

function expectNormal(t: Tensor, mean: number, std: number): void {
  const s = stats(t);
  expect(Math.abs(s.mean - mean)).toBeLessThan(0.02 * std);
  expect(Math.abs(s.std / std - 1)).toBeLessThan(0.02);
}

describe('nn.init', () => {
  it('calculateGain', () => {
    expect(init.calculateGain('linear')).toBe(1);
    expect(init.calculateGain('conv2d')).toBe(1);
    expect(init.calculateGain('sigmoid')).toBe(1);
    expect(init.calculateGain('tanh')).toBeCloseTo(5 / 3, 12);
    expect(init.calculateGain('relu')).toBeCloseTo(Math.SQRT2, 12);
    expect(init.calculateGain('selu')).toBe(0.75);
    expect(init.calculateGain('leakyRelu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.0001)), 12);
    expect(init.calculateGain('leakyRelu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(() => init.calculateGain('swish' as 'relu')).toThrow("calculateGain: unknown nonlinearity 'swish'");
  });

  it('uniform, normal, constant, zeros, ones fill in place and return the tensor', () => {
    manualSeed(1);
    const t = zeros([200, 300]);
    expect(init.uniform(t, -2, 3)).toBe(t);
    expectUniform(t, -2, 3);
    init.normal(t, 1.5, 0.5);
    expectNormal(t, 1.5, 0.5);
    expect(Array.from(init.constant(t, 0.25).data).every((v) => v === 0.25)).toBe(true);
    expect(Array.from(init.zeros(t).data).every((v) => v === 0)).toBe(true);
    expect(Array.from(init.ones(t).data).every((v) => v === 1)).toBe(true);
    expect(() => init.uniform(t, 1, 0)).toThrow('uniform: lower bound 1 must not exceed upper bound 0');
    expect(() => init.normal(t, 0, -1)).toThrow('normal: std must be non-negative, got -1');
    expect(() => init.constant(t, NaN)).toThrow('constant: value must be a finite number, got NaN');
  });

  it('xavier: bound gain·√(6/(fanIn+fanOut)), std gain·√(2/(fanIn+fanOut)), 2-D and conv', () => {
    manualSeed(2);
    const w = zeros([300, 500]);
    const b = Math.sqrt(6 / 800);
    expectUniform(init.xavierUniform(w), -b, b);
    expectUniform(init.xavierUniform(w, 2), -2 * b, 2 * b);
    expectNormal(init.xavierNormal(w), 0, Math.sqrt(2 / 800));
    // conv weight [out, in, kh, kw]: fanIn = in·kh·kw, fanOut = out·kh·kw
    const conv = zeros([64, 32, 3, 3]);
    expect(init.calculateFans('test', conv)).toEqual({ fanIn: 288, fanOut: 576 });
    expectNormal(init.xavierNormal(conv, init.calculateGain('relu')), 0, Math.SQRT2 * Math.sqrt(2 / (288 + 576)));
    expect(() => init.xavierUniform(zeros([10]))).toThrow('xavierUniform: fan in and fan out need a tensor with at least 2 dimensions, got shape [10]');
  });

  it('kaiming: fanIn/fanOut modes, nonlinearity and a', () => {
    manualSeed(3);
    const w = zeros([400, 250]);
    // default: leakyRelu with a = 0 → gain √2, mode fanIn
    const reluBound = Math.sqrt(3) * Math.SQRT2 / Math.sqrt(250);
    expectUniform(init.kaimingUniform(w), -reluBound, reluBound);
    expectNormal(init.kaimingNormal(w, { mode: 'fanOut' }), 0, Math.SQRT2 / Math.sqrt(400));
    expectNormal(init.kaimingNormal(w, { nonlinearity: 'tanh' }), 0, (5 / 3) / Math.sqrt(250));
    // a = √5 (Linear's default) gives U(−1/√fanIn, 1/√fanIn)
    expectUniform(init.kaimingUniform(w, { a: Math.sqrt(5) }), -1 / Math.sqrt(250), 1 / Math.sqrt(250));
    const conv = zeros([16, 8, 5, 5]);
    expectNormal(init.kaimingNormal(conv, { nonlinearity: 'relu' }), 0, Math.SQRT2 / Math.sqrt(200));
    expect(() => init.kaimingUniform(w, { mode: 'fanAvg' as 'fanIn' })).toThrow("kaimingUniform: mode must be 'fanIn' or 'fanOut', got 'fanAvg'");
  });

  it('is reproducible under manualSeed', () => {
    manualSeed(9);
    const a = init.kaimingNormal(zeros([5, 5])).data.slice();
    manualSeed(9);
    expect(init.kaimingNormal(zeros([5, 5])).data).toEqual(a);
  });
});
