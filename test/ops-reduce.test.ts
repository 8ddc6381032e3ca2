import { describe, expect, it } from 'vitest';
import { argmax, argmin, arange, max, mean, min, tensor, var as varOf, variance, zeros } from '../src/index.js';
import { expectClose, expectGradsOk } from './helpers.js';

const x = tensor([[1, 5, 2], [4, -3, 6]]);

describe('mean', () => {
  it('forward over all, one, several and negative axes', () => {
    expect(mean(x).item()).toBeCloseTo(15 / 6, 6);
    expectClose(x.mean(0).data, [2.5, 1, 4]);
    expectClose(x.mean(-1).data, [8 / 3, 7 / 3]);
    expect(x.mean(1, true).shape).toEqual([2, 1]);
    const y = arange(24).reshape([2, 3, 4]);
    // mean over axes 0 and 2 of 12i + 4j + k: 6 + 4j + 1.5
    expectClose(mean(y, [0, -1]).data, [7.5, 11.5, 15.5]);
    expect(mean(y, [0, 2], true).shape).toEqual([1, 3, 1]);
    expect(Number.isNaN(mean(zeros([0])).item())).toBe(true);
  });

  it('gradients', () => {
    const a = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    a.mean().backward();
    expect(Array.from(a.grad!.data)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expectGradsOk((t) => mean(t), [3, 4]);
    expectGradsOk((t) => mean(t, 1), [3, 4]);
    expectGradsOk((t) => mean(t, -1, true), [2, 3, 4]);
    expectGradsOk((t) => mean(t, [0, 2]), [2, 3, 4]);
    expectGradsOk((t) => mean(t, [-3, 1], true), [2, 3, 4]);
  });

  it('bad axis', () => {
    expect(() => mean(x, 2)).toThrow('mean: axis 2 is out of range for a tensor of rank 2');
    expect(() => mean(x, [1, -1])).toThrow('mean: repeated axis in [1,-1]');
  });
});

describe('max and min', () => {
  it('forward values', () => {
    expect(max(x).item()).toBe(6);
    expect(min(x).item()).toBe(-3);
    expect(Array.from(x.max(0).data)).toEqual([4, 5, 6]);
    expect(Array.from(x.min(-1).data)).toEqual([1, -3]);
    expect(x.max(1, true).toArray()).toEqual([[5], [6]]);
    const y = arange(24).reshape([2, 3, 4]);
    expect(max(y, [0, 2]).toArray()).toEqual([15, 19, 23]);
    expect(min(y, [1, 2], true).toArray()).toEqual([[[0]], [[12]]]);
  });

  it('the gradient goes to the max/min, split evenly among ties', () => {
    const a = tensor([[3, 1, 3], [2, 2, 0]], { requiresGrad: true });
    a.max().backward();
    expect(Array.from(a.grad!.data)).toEqual([0.5, 0, 0.5, 0, 0, 0]);
    a.grad = null;
    a.max(1).mul(tensor([10, 100])).sum().backward();
    expect(Array.from(a.grad!.data)).toEqual([5, 0, 5, 50, 50, 0]);
    a.grad = null;
    a.min(0, true).sum().backward();
    expect(Array.from(a.grad!.data)).toEqual([0, 1, 0, 1, 0, 1]);
  });

  it('gradients on random inputs', () => {
    expectGradsOk((t) => max(t), [3, 4]);
    expectGradsOk((t) => max(t, 0), [3, 4]);
    expectGradsOk((t) => max(t, -1, true), [2, 3, 4]);
    expectGradsOk((t) => max(t, [0, 2]), [2, 3, 4]);
    expectGradsOk((t) => min(t), [3, 4]);
    expectGradsOk((t) => min(t, 1, true), [2, 3, 4]);
    expectGradsOk((t) => min(t, [-1, -3]), [2, 3, 4]);
  });

  it('bad inputs', () => {
    expect(() => max(x, -3)).toThrow('max: axis -3 is out of range for a tensor of rank 2');
    expect(() => min(zeros([2, 0]), 1)).toThrow('min: cannot reduce over an empty axis of shape [2,0]');
  });
});

describe('var', () => {
  it('unbiased by default, like torch.var', () => {
    // [1, 5, 2, 4, -3, 6]: mean 2.5, Σ(x − mean)² = 2.25+6.25+0.25+2.25+30.25+12.25 = 53.5
    expect(variance(x).item()).toBeCloseTo(53.5 / 5, 5);
    expect(x.var(undefined, { unbiased: false }).item()).toBeCloseTo(53.5 / 6, 5);
    // columns: [1,4] → 4.5, [5,−3] → 32, [2,6] → 8
    expectClose(x.var(0).data, [4.5, 32, 8]);
    // rows: [1,5,2] mean 8/3 → Σ = 26/3; [4,−3,6] mean 7/3 → Σ = 134/3; biased divides by 3
    expectClose(varOf(x, -1, { unbiased: false }).data, [26 / 9, 134 / 9]);
    expect(varOf(x, 1, { keepDims: true }).shape).toEqual([2, 1]);
    expectClose(varOf(x, 1, { correction: 0 }).data, [26 / 9, 134 / 9]);
    const y = arange(24).reshape([2, 3, 4]);
    // over axes 0, 2 for fixed j: values 4j + {0,1,2,3,12,13,14,15}: mean 7.5, Σ = 2·(56.25+42.25+30.25+20.25) = 298
    expectClose(variance(y, [0, 2]).data, [298 / 7, 298 / 7, 298 / 7]);
    expect(Number.isNaN(variance(tensor([3])).item())).toBe(true);
  });

  it('gradient 2(x − mean)/(n − correction)', () => {
    const a = tensor([1, 2, 6], { requiresGrad: true });
    a.var().backward();
    expectClose(a.grad!.data, [-2, -1, 3]);
    expectGradsOk((t) => variance(t), [3, 4]);
    expectGradsOk((t) => variance(t, 0), [3, 4]);
    expectGradsOk((t) => variance(t, -1, { keepDims: true }), [2, 3, 4]);
    expectGradsOk((t) => variance(t, [0, 2], { unbiased: false }), [2, 3, 4]);
    expectGradsOk((t) => variance(t, [1, -1], { unbiased: false, keepDims: true }), [2, 3, 4]);
  });

  it('bad inputs', () => {
    expect(() => variance(x, 2)).toThrow('var: axis 2 is out of range for a tensor of rank 2');
    expect(() => variance(x, 0, { correction: -1 })).toThrow('var: correction must be a non-negative number, got -1');
  });
});

describe('argmax and argmin', () => {
  it('indices along an axis, or the flat index', () => {
    expect(argmax(x).item()).toBe(5);
    expect(argmin(x).item()).toBe(4);
    expect(Array.from(x.argmax(1).data)).toEqual([1, 2]);
    expect(Array.from(x.argmin(0).data)).toEqual([0, 1, 0]);
    expect(x.argmax(-1, true).toArray()).toEqual([[1], [2]]);
    expect(argmax(x, undefined, true).shape).toEqual([1, 1]);
    expect(argmax(tensor([2, 7, 7, 1])).item()).toBe(1); // first of the ties
    const y = arange(24).reshape([2, 3, 4]).mul(-1);
    expect(argmin(y, 1).toArray()).toEqual([[2, 2, 2, 2], [2, 2, 2, 2]]);
    expect(argmax(y, 1).data).toBeInstanceOf(Float32Array);
  });

  it('no gradient', () => {
    const a = tensor([1, 3, 2], { requiresGrad: true });
    expect(argmax(a).requiresGrad).toBe(false);
    expect(argmax(a).node).toBeNull();
  });

  it('bad inputs', () => {
    expect(() => argmax(x, 2)).toThrow('argmax: axis 2 is out of range for a tensor of rank 2');
    expect(() => argmax(zeros([0]))).toThrow('argmax: cannot reduce an empty tensor of shape [0]');
    expect(() => argmin(zeros([2, 0]), 1)).toThrow('argmin: cannot reduce over the empty axis 1 of shape [2,0]');
  });
});
