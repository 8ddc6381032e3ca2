/**
 * The sequence models' ops: triu, tril, maskedFill, split, chunk, cumsum. Forwards against
 * references written here (PyTorch's values are in the parity suite, section sequenceOpCases),
 * gradients by central differences (gradcheck), torch's size rules for split and chunk as a
 * property, and the errors naming the op and the offending value.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  Tensor, chunk, concat, cumsum, gradcheck, manualSeed, maskedFill, randn, setBackend, getBackend, split, tensor, tril, triu, zeros,
} from '../src/index.js';
import { inputs } from './helpers.js';

/** Weighted pieces concatenated back: every piece's gradient shows in x's. */
const joined = (pieces: Tensor[], axis: number) => concat(pieces.map((p, i) => p.mul(i + 1)), axis);

describe('triu and tril', () => {
  it('keep the triangles of the last two dimensions, batched, for any diagonal; zero NaN and ±Infinity elsewhere', () => {
    manualSeed(1);
    const x = randn([2, 3, 4]);
    for (const d of [-3, -1, 0, 1, 2, 5]) {
      const up = triu(x, d).data;
      const low = tril(x, d).data;
      for (let b = 0; b < 2; b++) {
        for (let i = 0; i < 3; i++) {
          for (let j = 0; j < 4; j++) {
            const k = (b * 3 + i) * 4 + j;
            expect(up[k]).toBe(j - i >= d ? x.data[k] : 0);
            expect(low[k]).toBe(j - i <= d ? x.data[k] : 0);
          }
        }
      }
    }
    expect(Array.from(tensor([[Infinity, NaN], [NaN, -Infinity]]).triu().data)).toEqual([Infinity, NaN, 0, -Infinity]);
    expect(Array.from(tensor([[1, 2], [3, 4]]).tril(-1).data)).toEqual([0, 0, 3, 0]);
  });

  it('gradients: the upstream gradient on the kept triangle', () => {
    const [x] = inputs(2, [2, 3, 3]);
    expect(gradcheck((a) => triu(a, 1), [x])).toBe(true);
    expect(gradcheck((a) => a.tril(-1), [x])).toBe(true);
  });

  it('refuse inputs of rank < 2 and fractional diagonals', () => {
    expect(() => triu(randn([4]))).toThrow('triu: expected a tensor with at least 2 dimensions (the matrices are the last two), got shape [4]');
    expect(() => tril(randn([3, 3]), 0.5)).toThrow('tril: diagonal must be an integer, got 0.5');
  });
});

describe('maskedFill', () => {
  it('fills where the mask is 1, broadcasting mask and input together', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(Array.from(maskedFill(x, tensor([0, 1, 0]), -Infinity).data)).toEqual([1, -Infinity, 3, 4, -Infinity, 6]);
    const wide = tensor([1, 2]).maskedFill(tensor([[1, 0], [0, 1], [0, 0]]), 9);
    expect(wide.shape).toEqual([3, 2]);
    expect(Array.from(wide.data)).toEqual([9, 2, 1, 9, 1, 2]);
  });

  it('gradient zero where filled (also before a softmax with −Infinity), summed over broadcast axes', () => {
    const x = randn([2, 3], { requiresGrad: true });
    maskedFill(x, tensor([[1, 0, 0], [0, 0, 1]]), -Infinity).softmax(-1).mul(tensor([[1, 2, 3], [4, 5, 6]])).sum().backward();
    expect(x.grad!.data[0]).toBe(0);
    expect(x.grad!.data[5]).toBe(0);
    const [a] = inputs(3, [3]);
    expect(gradcheck((t) => maskedFill(t, tensor([[1, 0, 0], [0, 1, 0]]), 2), [a])).toBe(true);
    const [b] = inputs(4, [2, 4]);
    expect(gradcheck((t) => t.maskedFill(tensor([[0, 1, 1, 0]]), -3).tanh(), [b])).toBe(true);
  });

  it('refuses masks that are not 0/1, do not broadcast, and a value that is not a number', () => {
    const x = randn([2, 3]);
    expect(() => maskedFill(x, tensor([0, 0.5, 1]), 1)).toThrow('maskedFill: mask must hold only 0 and 1 (true = fill), got 0.5 at flat index 1');
    expect(() => maskedFill(x, tensor([1, 0]), 1)).toThrow('maskedFill: mask [2] cannot be broadcast with input [2,3]');
    expect(() => maskedFill(x, tensor([1, 0, 1]), tensor(1) as unknown as number)).toThrow('maskedFill: value must be a number, got object');
    expect(() => maskedFill(x, [1, 0, 1] as unknown as Tensor, 1)).toThrow('maskedFill: mask must be a Tensor, got object');
  });
});

describe('split and chunk', () => {
  /** torch's sizes (the rules, as the test's own reference). */
  const splitSizes = (size: number, step: number) => (size === 0 ? [0] : Array.from({ length: Math.ceil(size / step) }, (_, i) => Math.min(step, size - i * step)));
  const chunkSizes = (size: number, chunks: number) => (size === 0 ? new Array<number>(chunks).fill(0) : splitSizes(size, Math.ceil(size / chunks)));

  it("follow torch's size rules and give back x when concatenated (property)", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 14 }), fc.integer({ min: 1, max: 3 }), fc.boolean(), (size, n, other, last) => {
      const shape = last ? [other, size] : [size, other];
      const axis = last ? -1 : 0;
      const x = randn(shape);
      const bySize = split(x, n, axis);
      const byChunk = chunk(x, n, axis);
      const along = (t: Tensor) => t.shape[last ? 1 : 0];
      expect(bySize.map(along)).toEqual(splitSizes(size, n));
      expect(byChunk.map(along)).toEqual(chunkSizes(size, n));
      expect(byChunk.length).toBeLessThanOrEqual(n);
      for (const parts of [bySize, byChunk]) expect(Array.from(concat(parts, axis).data)).toEqual(Array.from(x.data));
    }), { numRuns: 40 });
  });

  it('split by sections; chunk may return fewer pieces (5 in 4 → 2, 2, 1)', () => {
    const x = randn([4, 6]);
    expect(split(x, [1, 3, 2], 1).map((t) => t.shape)).toEqual([[4, 1], [4, 3], [4, 2]]);
    expect(x.split([0, 4]).map((t) => t.shape)).toEqual([[0, 6], [4, 6]]);
    expect(randn([5]).chunk(4).map((t) => t.shape[0])).toEqual([2, 2, 1]);
    expect(chunk(zeros([2, 0]), 3, 1).map((t) => t.shape)).toEqual([[2, 0], [2, 0], [2, 0]]);
  });

  it('gradients flow into the right slices', () => {
    const [x] = inputs(5, [5, 3]);
    expect(gradcheck((a) => joined(split(a, 2), 0), [x])).toBe(true);
    expect(gradcheck((a) => joined(a.split([1, 2], 1), 1), [x])).toBe(true);
    expect(gradcheck((a) => joined(chunk(a, 3, -1), -1), [x])).toBe(true);
    // Pieces used apart: only the used ones get a gradient.
    const y = randn([6], { requiresGrad: true });
    const [, middle] = chunk(y, 3);
    middle.mul(2).sum().backward();
    expect(Array.from(y.grad!.data)).toEqual([0, 0, 2, 2, 0, 0]);
  });

  it('refuse bad sizes, sections and axes, naming the op', () => {
    const x = randn([5, 2]);
    expect(() => split(x, [2, 2])).toThrow('split: sections [2, 2] add up to 4, but axis 0 has size 5 (shape [5,2])');
    expect(() => split(x, [-1, 6])).toThrow('split: sections must be non-negative integers, got [-1, 6]');
    expect(() => split(x, 0)).toThrow('split: splitSize can only be 0 if axis 0 has size 0, got size 5 (shape [5,2])');
    expect(() => split(x, 1.5)).toThrow('split: splitSize must be a non-negative integer, got 1.5');
    expect(() => split(x, '2' as unknown as number)).toThrow('split: splitSizeOrSections must be a number or a list of numbers, got string');
    expect(() => split(tensor(1), 1)).toThrow('split: expected a tensor with at least 1 dimension, got a 0-d tensor');
    expect(() => split(x, 1, 2)).toThrow('split: axis 2 is out of range for a tensor of rank 2');
    expect(() => chunk(x, 0)).toThrow('chunk: chunks must be a positive integer, got 0');
    expect(() => chunk(tensor(1), 1)).toThrow('chunk: expected a tensor with at least 1 dimension, got a 0-d tensor');
  });
});

describe('cumsum', () => {
  it('running sums along any axis, in float64', () => {
    manualSeed(6);
    const x = randn([2, 3, 4]);
    for (const axis of [0, 1, 2, -1]) {
      const a = axis < 0 ? axis + 3 : axis;
      const y = cumsum(x, axis).data;
      const strides = [12, 4, 1];
      for (let k = 0; k < 24; k++) {
        const at = Math.floor(k / strides[a]) % x.shape[a];
        let s = 0;
        for (let i = 0; i <= at; i++) s += x.data[k - (at - i) * strides[a]];
        expect(y[k]).toBeCloseTo(s, 5);
      }
    }
    // float64 sums: 2^24 + 1 + 1 is exact there, not in float32 steps.
    expect(Array.from(tensor([2 ** 24, 1, 1]).cumsum(0).data)).toEqual([2 ** 24, 2 ** 24, 2 ** 24 + 2]);
    expect(Array.from(cumsum(tensor(2.5), -1).data)).toEqual([2.5]);
  });

  it('gradient: the reversed running sum of the upstream gradient, on each backend', () => {
    const initial = getBackend();
    try {
      for (const backend of ['js', 'native'] as const) {
        setBackend(backend);
        const [x] = inputs(7, [3, 4]);
        expect(gradcheck((a) => cumsum(a, 1), [x])).toBe(true);
        expect(gradcheck((a) => a.cumsum(0).square(), [x])).toBe(true);
      }
    } finally {
      setBackend(initial);
    }
  });

  it('refuses a missing or out-of-range axis', () => {
    expect(() => cumsum(randn([2, 3]), 2)).toThrow('cumsum: axis 2 is out of range for a tensor of rank 2');
    expect(() => (randn([2]) as unknown as { cumsum: () => Tensor }).cumsum()).toThrow('cumsum: axis is required (torch.cumsum needs dim)');
  });
});
