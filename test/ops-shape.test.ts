import { describe, expect, it } from 'vitest';
import {
  arange, concat, expand, flatten, indexSelect, narrow, permute, slice, squeeze, stack, tensor, transpose, unsqueeze, zeros,
} from '../src/index.js';
import { expectGradsOk } from './helpers.js';

/** 0, 1, 2, … laid out in `shape`, so every element names its own flat position. */
const counting = (...shape: number[]) => arange(shape.reduce((a, b) => a * b, 1)).reshape(shape);

describe('transpose and permute', () => {
  it('transpose swaps the last two axes by default, or any two', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(x.transpose().toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    const y = counting(2, 3, 4);
    const t = transpose(y, 0, 2);
    expect(t.shape).toEqual([4, 3, 2]);
    // t[k, j, i] = y[i, j, k] = 12i + 4j + k
    expect((t.toArray() as number[][][])[3][1][0]).toBe(7);
    expect((t.toArray() as number[][][])[2][2][1]).toBe(22);
    expect(transpose(y, -1, 1).shape).toEqual([2, 4, 3]);
  });

  it('permute reorders axes (negative dims allowed)', () => {
    const y = counting(2, 3, 4);
    const p = y.permute([2, 0, -2]);
    expect(p.shape).toEqual([4, 2, 3]);
    // p[k, i, j] = 12i + 4j + k
    expect((p.toArray() as number[][][])[1][1][2]).toBe(12 + 8 + 1);
    expect(Array.from(p.data.slice(0, 6))).toEqual([0, 4, 8, 12, 16, 20]);
  });

  it('gradients', () => {
    expectGradsOk((a) => transpose(a), [3, 4]);
    expectGradsOk((a) => transpose(a, 0, 2), [2, 3, 4]);
    expectGradsOk((a) => permute(a, [1, 2, 0]), [2, 3, 4]);
    expectGradsOk((a) => permute(a, [2, 0, 1]).mul(a.permute([2, 0, 1])), [2, 3, 2]);
  });

  it('bad inputs', () => {
    const y = zeros([2, 3, 4]);
    expect(() => permute(y, [0, 0, 1])).toThrow('permute: dims [0,0,1] is not a permutation of 0..2 (repeated axis)');
    expect(() => permute(y, [1, 0])).toThrow('permute: dims [1,0] must list each of the 3 axes of shape [2,3,4] once');
    expect(() => permute(y, [0, 1, 3])).toThrow('permute: axis 3 is out of range for a tensor of rank 3');
    expect(() => transpose(zeros([3]))).toThrow('transpose: axis -2 is out of range for a tensor of rank 1');
  });
});

describe('squeeze, unsqueeze, flatten', () => {
  it('shapes, shared storage', () => {
    const x = zeros([1, 3, 1, 2]);
    expect(squeeze(x).shape).toEqual([3, 2]);
    expect(x.squeeze(2).shape).toEqual([1, 3, 2]);
    expect(x.squeeze([0, -2]).shape).toEqual([3, 2]);
    expect(x.squeeze(1).shape).toEqual([1, 3, 1, 2]); // size 3: left as is, like torch
    expect(squeeze(tensor(5)).shape).toEqual([]);
    expect(unsqueeze(zeros([3, 2]), 0).shape).toEqual([1, 3, 2]);
    expect(zeros([3, 2]).unsqueeze(-1).shape).toEqual([3, 2, 1]);
    expect(zeros([3, 2]).unsqueeze(1).shape).toEqual([3, 1, 2]);
    expect(flatten(zeros([2, 3, 4])).shape).toEqual([24]);
    expect(zeros([2, 3, 4, 5]).flatten(1).shape).toEqual([2, 60]);
    expect(zeros([2, 3, 4, 5]).flatten(1, 2).shape).toEqual([2, 12, 5]);
    expect(flatten(tensor(3)).shape).toEqual([1]);
    const y = counting(2, 3);
    expect(y.unsqueeze(0).data).toBe(y.data);
    expect(y.flatten().toArray()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('gradients', () => {
    expectGradsOk((a) => squeeze(a).mul(squeeze(a)), [1, 3, 1]);
    expectGradsOk((a) => unsqueeze(a, 1).mul(tensor([[1, 2]])), [3]);
    expectGradsOk((a) => flatten(a, 1).mul(flatten(a, 1)), [2, 2, 3]);
  });

  it('bad inputs', () => {
    expect(() => unsqueeze(zeros([3, 2]), 3)).toThrow('unsqueeze: axis 3 is out of range for a tensor of rank 3');
    expect(() => squeeze(zeros([3, 1]), 2)).toThrow('squeeze: axis 2 is out of range for a tensor of rank 2');
    expect(() => flatten(zeros([2, 3, 4]), 2, 1)).toThrow('flatten: startDim 2 must not come after endDim 1 (rank 3)');
  });
});

describe('expand', () => {
  it('broadcasts size-1 and new leading axes; −1 keeps a dimension', () => {
    const x = tensor([[1], [2]]);
    expect(expand(x, [2, 3]).toArray()).toEqual([[1, 1, 1], [2, 2, 2]]);
    expect(x.expand([2, -1, 2]).toArray()).toEqual([[[1, 1], [2, 2]], [[1, 1], [2, 2]]]);
    expect(expand(tensor([1, 2]), [-1]).toArray()).toEqual([1, 2]);
  });

  it('gradient sums over the repeated axes', () => {
    const x = tensor([[1], [2]], { requiresGrad: true });
    expand(x, [3, 2, 4]).sum().backward();
    expect(x.grad!.toArray()).toEqual([[12], [12]]);
    expectGradsOk((a) => expand(a, [2, 3, 4]), [3, 1]);
    expectGradsOk((a) => expand(a, [4, -1]), [1, 3]);
    expectGradsOk((a) => expand(a, [2, 3]), [2, 3]);
  });

  it('bad inputs', () => {
    expect(() => expand(zeros([2, 3]), [4, 3])).toThrow('expand: cannot expand shape [2,3] to [4,3] (dimension 0: size 2 is neither 1 nor 4)');
    expect(() => expand(zeros([2, 3]), [3])).toThrow('expand: target shape [3] has fewer dimensions than the input shape [2,3]');
    expect(() => expand(zeros([3]), [-1, 3])).toThrow('expand: invalid size -1 at dimension 0 of [-1,3]');
  });
});

describe('slice and narrow', () => {
  const x = counting(3, 4, 5); // x[i, j, k] = 20i + 5j + k

  it('integers drop the axis, null keeps it, ranges follow Python slices', () => {
    const s = x.slice([null, [1, -1], 0]);
    expect(s.shape).toEqual([3, 2]);
    expect(s.toArray()).toEqual([[5, 10], [25, 30], [45, 50]]);
    expect(slice(x, [-1]).shape).toEqual([4, 5]);
    expect(slice(x, [-1, 2]).toArray()).toEqual([50, 51, 52, 53, 54]);
    expect(slice(x, [1, [null, null, 2], [1, 5, 3]]).toArray()).toEqual([[21, 24], [31, 34]]);
    // bounds clamp; an empty range gives a zero-length axis
    expect(slice(x, [0, 0, [-100, 100, 2]]).toArray()).toEqual([0, 2, 4]);
    expect(slice(x, [0, [3, 1]]).shape).toEqual([0, 5]);
    expect(slice(x, [[-2]]).shape).toEqual([2, 4, 5]);
    expect(slice(x, [[1], 3, [-2, undefined]]).toArray()).toEqual([[38, 39], [58, 59]]);
    expect(slice(x, [1, 2, 3]).toArray()).toBe(20 + 10 + 3);
  });

  it('narrow takes length elements of an axis', () => {
    expect(narrow(x, 1, 1, 2).shape).toEqual([3, 2, 5]);
    expect(narrow(counting(2, 4), 1, -3, 2).toArray()).toEqual([[1, 2], [5, 6]]);
    expect(counting(4).narrow(0, 2, 2).toArray()).toEqual([2, 3]);
  });

  it('gradients scatter back (steps, negative bounds)', () => {
    const a = tensor([1, 2, 3, 4, 5], { requiresGrad: true });
    slice(a, [[-4, -1, 2]]).mul(tensor([10, 100])).sum().backward();
    expect(Array.from(a.grad!.data)).toEqual([0, 10, 0, 100, 0]);
    expectGradsOk((t) => slice(t, [null, [1, -1], 0]), [3, 4, 5]);
    expectGradsOk((t) => slice(t, [[-1, 0, 1], 2, [null, null, 2]]), [3, 4, 5]);
    expectGradsOk((t) => slice(t, [[2, null, 3], -2]), [7, 3]);
    expectGradsOk((t) => narrow(t, -1, 1, 3), [2, 5]);
    expectGradsOk((t) => slice(t, [0]).mul(slice(t, [1])), [2, 3]);
  });

  it('bad inputs', () => {
    expect(() => slice(x, [null, 4])).toThrow('slice: index 4 is out of range for axis 1 of size 4');
    expect(() => slice(x, [-4])).toThrow('slice: index -4 is out of range for axis 0 of size 3');
    expect(() => slice(x, [null, [0, 2, 0]])).toThrow('slice: step 0 of axis 1 must be a positive integer');
    expect(() => slice(x, [null, [2, 0, -1]])).toThrow('slice: step -1 of axis 1 must be a positive integer');
    expect(() => slice(x, [0, 0, 0, 0])).toThrow('slice: spec has 4 entries but the tensor has shape [3,4,5] (rank 3)');
    expect(() => slice(x, [1.5])).toThrow('slice: index 1.5 for axis 0 must be an integer');
    expect(() => narrow(x, 1, 3, 2)).toThrow('narrow: start 3 + length 2 exceeds axis 1 of size 4');
    expect(() => narrow(x, 3, 0, 1)).toThrow('narrow: axis 3 is out of range for a tensor of rank 3');
  });
});

describe('indexSelect', () => {
  const x = counting(3, 4); // x[i, j] = 4i + j

  it('picks slices in the given order, from arrays, Int32Arrays and tensors', () => {
    expect(indexSelect(x, 0, [2, 0]).toArray()).toEqual([[8, 9, 10, 11], [0, 1, 2, 3]]);
    expect(x.indexSelect(1, Int32Array.of(3, 3, 1)).toArray()).toEqual([[3, 3, 1], [7, 7, 5], [11, 11, 9]]);
    expect(indexSelect(x, -1, tensor([0])).shape).toEqual([3, 1]);
    expect(indexSelect(counting(2, 3, 2), 1, [1, 2]).toArray()).toEqual([[[2, 3], [4, 5]], [[8, 9], [10, 11]]]);
  });

  it('gradient accumulates repeated indices', () => {
    const a = tensor([[1, 2], [3, 4], [5, 6]], { requiresGrad: true });
    indexSelect(a, 0, [2, 0, 2]).sum().backward();
    expect(a.grad!.toArray()).toEqual([[1, 1], [0, 0], [2, 2]]);
    expectGradsOk((t) => indexSelect(t, 1, [2, 0, 2, 1]), [2, 3, 2]);
    expectGradsOk((t) => indexSelect(t, 0, [1, 1]), [3, 2]);
  });

  it('bad inputs', () => {
    expect(() => indexSelect(x, 0, [0, 3])).toThrow('indexSelect: index 3 is out of range for axis 0 of size 3');
    expect(() => indexSelect(x, 1, [-1])).toThrow('indexSelect: index -1 is out of range for axis 1 of size 4');
    expect(() => indexSelect(x, 0, [0.5])).toThrow('indexSelect: index 0.5 (position 0) is not an integer');
    expect(() => indexSelect(x, 0, zeros([1, 1]))).toThrow('indexSelect: indices must be a 0-d or 1-d tensor, got shape [1,1]');
    expect(() => indexSelect(x, 2, [0])).toThrow('indexSelect: axis 2 is out of range for a tensor of rank 2');
  });
});

describe('concat and stack', () => {
  it('concat joins along an existing axis', () => {
    const a = tensor([[1, 2], [3, 4]]);
    const b = tensor([[5], [6]]);
    expect(concat([a, b], 1).toArray()).toEqual([[1, 2, 5], [3, 4, 6]]);
    expect(concat([a, tensor([[7, 8]])]).toArray()).toEqual([[1, 2], [3, 4], [7, 8]]);
    expect(concat([a, b, a], -1).toArray()).toEqual([[1, 2, 5, 1, 2], [3, 4, 6, 3, 4]]);
  });

  it('stack joins along a new axis', () => {
    const a = tensor([[1, 2], [3, 4]]);
    const b = tensor([[5, 6], [7, 8]]);
    expect(stack([a, b]).toArray()).toEqual([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    expect(stack([a, b], 1).toArray()).toEqual([[[1, 2], [5, 6]], [[3, 4], [7, 8]]]);
    expect(stack([a, b], -1).toArray()).toEqual([[[1, 5], [2, 6]], [[3, 7], [4, 8]]]);
    expect(stack([tensor(1), tensor(2)]).toArray()).toEqual([1, 2]);
  });

  it('gradients on inner axes, with repeated and constant inputs', () => {
    expectGradsOk((a, b) => concat([a, b], 1), [2, 3, 2], [2, 1, 2]);
    expectGradsOk((a, b) => concat([a, b, a], -1), [2, 3], [2, 2]);
    expectGradsOk((a, b) => stack([a, b, a], 1), [2, 3], [2, 3]);
    expectGradsOk((a, b) => stack([a, b], 2), [2, 3], [2, 3]);
    const a = tensor([1, 2], { requiresGrad: true });
    concat([zeros([3]), a]).mul(tensor([1, 2, 3, 4, 5])).sum().backward();
    expect(Array.from(a.grad!.data)).toEqual([4, 5]);
  });

  it('bad inputs name the op, the input and both shapes', () => {
    expect(() => concat([zeros([2, 3]), zeros([3, 3]), zeros([2, 4])], 0)).toThrow(
      'concat: input 2 has shape [2,4] but input 0 has shape [2,3] (they must match except along axis 0)',
    );
    expect(() => concat([zeros([2, 3]), zeros([6])], 0)).toThrow('concat: input 1 has shape [6] but input 0 has shape [2,3]');
    expect(() => stack([zeros([2]), zeros([3])])).toThrow('stack: input 1 has shape [3] but input 0 has shape [2] (all must match)');
    expect(() => concat([])).toThrow('concat: expected a non-empty array of tensors');
    expect(() => stack([zeros([2])], 2)).toThrow('stack: axis 2 is out of range for a tensor of rank 2');
  });
});
