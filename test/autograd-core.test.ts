import { describe, expect, it } from 'vitest';
import { add, gradcheck, matmul, mul, noGrad, isGradEnabled, ones, sum, tensor, Tensor, zeros } from '../src/index.js';
import { expectClose, expectGradsOk } from './helpers.js';

describe('autograd engine', () => {
  it('accumulates gradients when a tensor is used more than once', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    // y = x·x + x  →  dy/dx = 2x + 1
    x.mul(x).add(x).sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([3, 5, 7]);
  });

  it('accumulates into .grad across backward calls, and .grad is assignable', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.mul(3).sum().backward();
    x.mul(3).sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([6, 6]);
    x.grad = null;
    expect(x.grad).toBeNull();
    expect(() => { x.grad = zeros([3]); }).toThrow(/grad: assigned gradient of shape \[3\] to a tensor of shape \[2\]/);
  });

  it('backward of a non-scalar needs a gradient of the same shape', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2);
    expect(() => y.backward()).toThrow(/backward: a gradient is required for a non-scalar output of shape \[2\]/);
    expect(() => y.backward(ones([3]))).toThrow(/does not match output shape \[2\]/);
    y.backward(tensor([1, 10]));
    expect(Array.from(x.grad!.data)).toEqual([2, 20]);
  });

  it('backward of a tensor that needs no grad is an error', () => {
    expect(() => tensor([1]).sum().backward()).toThrow(/does not require grad/);
  });

  it('noGrad records nothing and restores the mode even when fn throws', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(y.node).toBeNull();
    expect(() => noGrad(() => { throw new Error('boom'); })).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
  });

  it('detach shares storage and cuts the graph', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const d = x.mul(2).detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.node).toBeNull();
    expect(Array.from(d.data)).toEqual([2, 4]);
  });

  it('gradcheck catches a wrong gradient', () => {
    const x = tensor([0.5, -1.5], { requiresGrad: true });
    const wrong = (t: Tensor) => {
      const out = t.mul(t);
      if (out.node) out.node.backward = (g) => [g]; // claims d(x²)/dx = 1
      return out;
    };
    expect(() => gradcheck(wrong, [x])).toThrow(/gradcheck: input 0/);
    expect(gradcheck(wrong, [x], { raiseException: false })).toBe(false);
  });
});

describe('core ops', () => {
  it('add and mul broadcast, forward and backward', () => {
    const r = add(tensor([[1], [2]]), tensor([10, 20, 30]));
    expect(r.shape).toEqual([2, 3]);
    expect(r.toArray()).toEqual([[11, 21, 31], [12, 22, 32]]);
    expectGradsOk((a, b) => add(a, b), [2, 3], [3]);
    expectGradsOk((a, b) => mul(a, b), [4, 1, 3], [2, 1]);
    expectGradsOk((a) => mul(a, 2.5), [3, 2]);
    expect(() => add(zeros([2, 3]), zeros([4]))).toThrow('add: shapes [2,3] and [4] cannot be broadcast');
  });

  it('matmul: 2-D, vector and batched with broadcast batches', () => {
    const c = matmul(tensor([[1, 2], [3, 4]]), tensor([[5, 6], [7, 8]]));
    expect(c.toArray()).toEqual([[19, 22], [43, 50]]);
    expect(matmul(tensor([1, 2, 3]), tensor([4, 5, 6])).item()).toBe(32);
    expect(matmul(tensor([[1, 2], [3, 4]]), tensor([1, 1])).toArray()).toEqual([3, 7]);
    expect(matmul(zeros([5, 2, 3]), zeros([3, 4])).shape).toEqual([5, 2, 4]);
    expectGradsOk((a, b) => matmul(a, b), [3, 4], [4, 2]);
    expectGradsOk((a, b) => matmul(a, b), [2, 3, 4], [4, 5]);
    expectGradsOk((a, b) => matmul(a, b), [2, 1, 2, 3], [3, 3, 2]);
    expectGradsOk((a, b) => matmul(a, b), [3], [3, 2]);
    expect(() => matmul(zeros([2, 3]), zeros([4, 5]))).toThrow('matmul: shapes [2,3] and [4,5] do not align (3 ≠ 4)');
  });

  it('sum over axes with keepDims', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(sum(x).item()).toBe(21);
    expect(sum(x, 0).toArray()).toEqual([5, 7, 9]);
    expect(sum(x, -1, true).toArray()).toEqual([[6], [15]]);
    expectGradsOk((a) => sum(a, [0, 2]), [2, 3, 4]);
    expect(() => sum(x, 2)).toThrow('sum: axis 2 is out of range for a tensor of rank 2');
  });

  it('reshape infers −1 and refuses impossible shapes', () => {
    const x = tensor([1, 2, 3, 4, 5, 6]);
    expect(x.reshape([2, -1]).shape).toEqual([2, 3]);
    expectGradsOk((a) => a.reshape([3, 2]).mul(a.reshape([3, 2])), [2, 3]);
    expect(() => x.reshape([4, 2])).toThrow('reshape: cannot reshape tensor of shape [6] (6 elements) into [4,2] (8 elements)');
    expect(() => x.reshape([-1, -1])).toThrow(/reshape: invalid target shape/);
  });

  it('sigmoid forward and its (1−σ)σ gradient', () => {
    const y = tensor([0, 1]).sigmoid();
    expectClose(y.data, [0.5, 0.7310586]);
    expectGradsOk((a) => a.sigmoid(), [5]);
  });
});
