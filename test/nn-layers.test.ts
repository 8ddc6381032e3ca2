import { describe, expect, it } from 'vitest';
import { gradcheck, manualSeed, nn, ones, randn, tensor, Tensor, zeros } from '../src/index.js';
import { expectClose, expectGradsOk } from './helpers.js';

const F = nn.functional;

describe('linear op and Linear', () => {
  it('computes x·Wᵀ + b on the last dimension', () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]]);
    const w = tensor([[1, 0], [0, 1], [1, -1]]);
    const b = tensor([10, 20, 30]);
    expect(F.linear(x, w, b).toArray()).toEqual([[11, 22, 29], [13, 24, 29], [15, 26, 29]]);
    expect(F.linear(x, w).toArray()).toEqual([[1, 2, -1], [3, 4, -1], [5, 6, -1]]);
    // leading batch dimensions
    const y = F.linear(x.reshape([3, 1, 2]), w, b);
    expect(y.shape).toEqual([3, 1, 3]);
    expect(y.toArray()).toEqual([[[11, 22, 29]], [[13, 24, 29]], [[15, 26, 29]]]);
  });

  it('gradients for input, weight and bias (2-D and batched)', () => {
    expectGradsOk((x, w, b) => F.linear(x, w, b), [4, 3], [5, 3], [5]);
    expectGradsOk((x, w) => F.linear(x, w), [2, 3, 4], [2, 4]);
    expectGradsOk((x, w, b) => F.linear(x, w, b), [2, 2, 3], [1, 3], [1]);
  });

  it('only computes the gradients that are needed', () => {
    manualSeed(1);
    const x = randn([2, 3]);
    const w = randn([4, 3], { requiresGrad: true });
    F.linear(x, w, zeros([4])).sum().backward();
    expect(w.grad!.shape).toEqual([4, 3]);
    expect(x.grad).toBeNull();
  });

  it('linear rejects mismatched shapes', () => {
    expect(() => F.linear(zeros([2, 3]), zeros([4, 5]))).toThrow('linear: input of shape [2,3] does not match weight of shape [4,5] (last dimension must be 5)');
    expect(() => F.linear(zeros([2, 3]), zeros([3]))).toThrow('linear: weight must be 2-D [out, in], got shape [3]');
    expect(() => F.linear(zeros([2, 3]), zeros([4, 3]), zeros([3]))).toThrow('linear: bias must have shape [4], got [3]');
  });

  it('Linear: shapes, PyTorch default init bounds U(−1/√in, 1/√in), input check naming the layer', () => {
    manualSeed(2);
    const l = new nn.Linear(784, 128);
    expect(l.weight.shape).toEqual([128, 784]);
    expect(l.bias!.shape).toEqual([128]);
    const bound = 1 / Math.sqrt(784);
    let min = Infinity;
    let max = -Infinity;
    let sumSq = 0;
    for (const v of l.weight.data) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      sumSq += v * v;
    }
    expect(min).toBeGreaterThanOrEqual(-bound);
    expect(max).toBeLessThanOrEqual(bound);
    expect(min).toBeLessThan(-0.95 * bound);
    expect(max).toBeGreaterThan(0.95 * bound);
    // variance of U(−b, b) is b²/3
    expect(sumSq / l.weight.size).toBeCloseTo(bound * bound / 3, 5);
    expect(Array.from(l.bias!.data).every((v) => Math.abs(v) <= bound)).toBe(true);
    expect(l.forward(zeros([32, 784])).shape).toEqual([32, 128]);
    expect(() => l.forward(zeros([32, 100]))).toThrow('Linear(784, 128): expected input with last dimension 784, got shape [32,100]');
    expect(() => new nn.Linear(0, 3)).toThrow('Linear: inFeatures must be a positive integer, got 0');
    expect(() => new nn.Linear(3, 2.5)).toThrow('Linear: outFeatures must be a positive integer, got 2.5');
  });

  it('Linear is differentiable end to end through its parameters', () => {
    manualSeed(3);
    const l = new nn.Linear(3, 2);
    const x = randn([4, 3], { requiresGrad: true });
    expect(gradcheck((input, w, b) => F.linear(input, w, b).tanh(), [x, l.weight, l.bias!])).toBe(true);
  });
});

describe('Sequential and activation modules', () => {
  it('chains modules and matches the functions', () => {
    const x = tensor([[-2, -0.5, 0, 1.5]]);
    const v = (t: Tensor) => Array.from(t.data);
    expect(v(new nn.ReLU().forward(x))).toEqual([0, 0, 0, 1.5]);
    expectClose(new nn.Sigmoid().forward(x).data, [-2, -0.5, 0, 1.5].map((a) => 1 / (1 + Math.exp(-a))));
    expectClose(new nn.Tanh().forward(x).data, [-2, -0.5, 0, 1.5].map(Math.tanh));
    expectClose(new nn.LeakyReLU(0.1).forward(x).data, [-0.2, -0.05, 0, 1.5]);
    expectClose(new nn.LeakyReLU().forward(x).data, [-0.02, -0.005, 0, 1.5]);
    expectClose(new nn.ELU(2).forward(x).data, [2 * Math.expm1(-2), 2 * Math.expm1(-0.5), 0, 1.5]);
    // GELU(x) = x·Φ(x); Φ(1.5) = 0.9331927987
    expectClose(new nn.GELU().forward(tensor([0, 1.5])).data, [0, 1.5 * 0.9331927987]);
    const sm = new nn.Softmax(0).forward(tensor([[1, 1], [1, 3]]));
    const e2 = Math.exp(2);
    expectClose(sm.data, [0.5, 1 / (1 + e2), 0.5, e2 / (1 + e2)]);
    expect(() => new nn.Softmax(2).forward(zeros([2, 2]))).toThrow('Softmax(axis=2): axis 2 is out of range for input of shape [2,2]');

    const seq = new nn.Sequential(new nn.Linear(4, 3), new nn.ReLU());
    seq.append(new nn.Linear(3, 1));
    expect(seq.length).toBe(3);
    expect(seq.at(-1)).toBe(seq.children()[2]);
    const first = seq.at(0) as nn.Linear;
    const last = seq.at(2) as nn.Linear;
    const expected = F.linear(F.linear(x, first.weight, first.bias).relu(), last.weight, last.bias);
    expect(Array.from(seq.forward(x).data)).toEqual(Array.from(expected.data));
    expect(() => seq.at(3)).toThrow('Sequential.at: index 3 is out of range for 3 modules');
    expect(() => new nn.Sequential({} as nn.Module)).toThrow('Sequential: element 0 must be a Module');
  });
});

describe('Flatten', () => {
  it('keeps the batch dimension by default and checks rank', () => {
    const x = zeros([2, 3, 4, 5]);
    expect(new nn.Flatten().forward(x).shape).toEqual([2, 60]);
    expect(new nn.Flatten(0).forward(x).shape).toEqual([120]);
    expect(new nn.Flatten(1, 2).forward(x).shape).toEqual([2, 12, 5]);
    expectGradsOk((t) => new nn.Flatten().forward(t).mul(t.reshape([2, 6])), [2, 3, 2]);
    expect(() => new nn.Flatten(2).forward(zeros([4, 5]))).toThrow('Flatten(startDim=2, endDim=-1): expected input with at least 3 dimensions, got shape [4,5]');
  });
});

describe('Dropout', () => {
  it('zeroes about p of the elements and scales the rest by 1/(1 − p)', () => {
    manualSeed(4);
    const d = new nn.Dropout(0.3);
    const x = ones([200, 100]);
    const y = d.forward(x);
    let zerosCount = 0;
    for (const v of y.data) {
      if (v === 0) zerosCount++;
      else expect(v).toBeCloseTo(1 / 0.7, 6);
    }
    const rate = zerosCount / x.size;
    // binomial std of the rate: √(0.3·0.7/20000) ≈ 0.0032
    expect(Math.abs(rate - 0.3)).toBeLessThan(0.015);
    let mean = 0;
    for (const v of y.data) mean += v / y.size;
    expect(Math.abs(mean - 1)).toBeLessThan(0.03);
  });

  it('sends the gradient through the same mask; is the identity in eval and for p = 0', () => {
    manualSeed(5);
    const x = randn([50, 20], { requiresGrad: true });
    const d = new nn.Dropout(0.5);
    const y = d.forward(x);
    y.sum().backward();
    for (let i = 0; i < x.size; i++) {
      expect(x.grad!.data[i]).toBe(y.data[i] === 0 ? 0 : 2);
    }
    d.eval();
    expect(d.forward(x)).toBe(x);
    expect(new nn.Dropout(0).forward(x)).toBe(x);
    expect(Array.from(new nn.Dropout(1).forward(x).data).every((v) => v === 0)).toBe(true);
  });

  it('keeps each element with probability 1 − p, independently of its neighbours and of the previous call', () => {
    manualSeed(7);
    const n = 200_000;
    for (const p of [0.1, 0.5, 0.9]) {
      const a = F.dropout(ones([n]), p).data;
      const b = F.dropout(ones([n]), p).data;
      let kept = 0;
      let both = 0;
      let nextToo = 0;
      for (let i = 0; i < n; i++) {
        kept += a[i] !== 0 ? 1 : 0;
        both += a[i] !== 0 && b[i] !== 0 ? 1 : 0;
        nextToo += i + 1 < n && a[i] !== 0 && a[i + 1] !== 0 ? 1 : 0;
      }
      const q = 1 - p;
      // 5 standard deviations of a binomial count
      const within = (count: number, prob: number) => expect(Math.abs(count - n * prob)).toBeLessThan(5 * Math.sqrt(n * prob * (1 - prob)));
      within(kept, q);
      within(both, q * q);
      within(nextToo, q * q);
    }
  });

  it('is reproducible under manualSeed and rejects bad p', () => {
    manualSeed(6);
    const a = F.dropout(ones([100]), 0.5).data;
    manualSeed(6);
    expect(F.dropout(ones([100]), 0.5).data).toEqual(a);
    expect(() => new nn.Dropout(1.5)).toThrow('Dropout: p must be a probability in [0, 1], got 1.5');
    expect(() => F.dropout(ones([2]), -0.1)).toThrow('dropout: p must be a probability in [0, 1], got -0.1');
  });
});
