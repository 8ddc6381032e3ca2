import { describe, expect, it } from 'vitest';
import {
  abs, clamp, div, eq, exp, ge, gradcheck, gt, le, log, lt, manualSeed, maximum, minimum, neg, pow, randn,
  reciprocal, sqrt, square, sub, tensor, Tensor, where, zeros,
} from '../src/index.js';
import { expectClose, expectGradsOk } from './helpers.js';

/** A seeded random input that requires grad, its values passed through `map`. */
function sample(seed: number, shape: number[], map: (v: number) => number = (v) => v): Tensor {
  manualSeed(seed);
  const t = randn(shape);
  for (let i = 0; i < t.size; i++) t.data[i] = map(t.data[i]);
  return t.requiresGrad_();
}

const positive = (v: number) => Math.abs(v) + 0.5;
/** Moves values at least 0.1 away from each point (kinks of abs, clamp, …). */
const awayFrom = (...points: number[]) => (v: number) => {
  for (const p of points) if (Math.abs(v - p) < 0.1) return v >= p ? p + 0.1 + (v - p) : p - 0.1 + (v - p);
  return v;
};

function expectGrads(fn: (...xs: Tensor[]) => Tensor, ...xs: Tensor[]): void {
  expect(gradcheck(fn, xs)).toBe(true);
}

describe('sub and div', () => {
  it('forward with broadcasting and numbers on either side', () => {
    expect(sub(tensor([[5, 6, 7], [8, 9, 10]]), tensor([1, 2, 3])).toArray()).toEqual([[4, 4, 4], [7, 7, 7]]);
    expect(sub(10, tensor([1, 2])).toArray()).toEqual([9, 8]);
    expect(tensor([1, 2]).sub(1).toArray()).toEqual([0, 1]);
    expect(div(tensor([[2], [4]]), tensor([1, 2, 4])).toArray()).toEqual([[2, 1, 0.5], [4, 2, 1]]);
    expect(div(1, tensor([4, 8])).toArray()).toEqual([0.25, 0.125]);
    expect(tensor([3, 6]).div(3).toArray()).toEqual([1, 2]);
  });

  it('gradients, including broadcast and scalar operands', () => {
    expectGradsOk((a, b) => sub(a, b), [2, 3], [3]);
    expectGradsOk((a, b) => sub(a, b), [4, 1, 3], [2, 1]);
    expectGradsOk((a, b) => sub(a, b), [], [2, 3]);
    expectGradsOk((a) => sub(2, a), [3, 2]);
    expectGradsOk((a) => a.sub(2), [3, 2]);
    expectGrads((a, b) => div(a, b), sample(1, [2, 3]), sample(2, [3], positive));
    expectGrads((a, b) => div(a, b), sample(3, [4, 1, 3]), sample(4, [2, 1], positive));
    expectGrads((a, b) => div(a, b), sample(5, [2, 2], positive), sample(6, [], positive));
    expectGrads((a) => div(3, a), sample(7, [3], positive));
    expectGrads((a) => a.div(-2), sample(8, [3]));
  });

  it('gives exact gradients for a − b and a / b', () => {
    const a = tensor([2, 6], { requiresGrad: true });
    const b = tensor([4], { requiresGrad: true });
    a.div(b).sum().backward();
    expect(Array.from(a.grad!.data)).toEqual([0.25, 0.25]);
    expect(b.grad!.data[0]).toBeCloseTo(-(2 + 6) / 16, 6);
    a.grad = null;
    b.grad = null;
    a.sub(b).sum().backward();
    expect(Array.from(a.grad!.data)).toEqual([1, 1]);
    expect(Array.from(b.grad!.data)).toEqual([-2]);
  });

  it('rejects non-tensor operands and incompatible shapes, naming the op', () => {
    expect(() => sub('a' as unknown as Tensor, 1)).toThrow('sub: argument must be a Tensor or a number, got string');
    expect(() => div(tensor([1]), null as unknown as Tensor)).toThrow('div: argument must be a Tensor or a number, got null');
    expect(() => sub(zeros([2, 3]), zeros([4]))).toThrow('sub: shapes [2,3] and [4] cannot be broadcast (dimension -1: 3 ≠ 4)');
    expect(() => div(zeros([2, 3]), zeros([3, 3]))).toThrow('div: shapes [2,3] and [3,3] cannot be broadcast');
  });
});

describe('unary ops', () => {
  it('forward values', () => {
    expect(neg(tensor([1, -2])).toArray()).toEqual([-1, 2]);
    expectClose(exp(tensor([0, 1])).data, [1, 2.7182817]);
    expectClose(log(tensor([1, Math.E, 10])).data, [0, 1, 2.3025851]);
    expect(sqrt(tensor([4, 9])).toArray()).toEqual([2, 3]);
    expect(abs(tensor([-3, 0, 2])).toArray()).toEqual([3, 0, 2]);
    expect(reciprocal(tensor([4, -0.5])).toArray()).toEqual([0.25, -2]);
    expect(square(tensor([-3, 0.5])).toArray()).toEqual([9, 0.25]);
    expect(tensor([-1, 4]).neg().abs().sqrt().toArray()).toEqual([1, 2]);
    expect(exp(0).item()).toBe(1);
  });

  it('gradients (log, sqrt, reciprocal on positive inputs; abs away from 0)', () => {
    expectGradsOk((a) => neg(a), [2, 3]);
    expectGradsOk((a) => exp(a), [2, 3]);
    expectGradsOk((a) => square(a), [4]);
    expectGrads((a) => log(a), sample(11, [2, 3], positive));
    expectGrads((a) => sqrt(a), sample(12, [2, 3], positive));
    expectGrads((a) => reciprocal(a), sample(13, [5], positive));
    expectGrads((a) => abs(a), sample(14, [2, 4], awayFrom(0)));
    expectGrads((a) => a.log().exp().sqrt(), sample(15, [3], positive));
  });

  it('local gradients match the formulas', () => {
    const x = tensor([0.5, 2], { requiresGrad: true });
    x.log().sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([2, 0.5]);
    x.grad = null;
    x.sqrt().sum().backward();
    expectClose(x.grad!.data, [0.5 / Math.sqrt(0.5), 0.5 / Math.sqrt(2)]);
    x.grad = null;
    x.reciprocal().sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([-4, -0.25]);
    const y = tensor([-2, 3], { requiresGrad: true });
    y.abs().sum().backward();
    expect(Array.from(y.grad!.data)).toEqual([-1, 1]);
  });

  it('rejects non-tensor inputs', () => {
    expect(() => exp('x' as unknown as Tensor)).toThrow('exp: argument must be a Tensor or a number, got string');
    expect(() => log(undefined as unknown as Tensor)).toThrow('log: argument must be a Tensor or a number, got undefined');
  });
});

describe('pow', () => {
  it('number exponents use the fused powScalar op', () => {
    const x = tensor([2, 3], { requiresGrad: true });
    const y = pow(x, 3);
    expect(y.toArray()).toEqual([8, 27]);
    expect(y.node!.op).toBe('powScalar');
    expect(y.node!.attrs).toEqual({ exponent: 3 });
    y.sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([12, 27]);
    expectGradsOk((a) => pow(a, 2), [2, 3]);
    expectGradsOk((a) => a.pow(3), [4]);
    expectGrads((a) => pow(a, 0.5), sample(21, [2, 3], positive));
    expectGrads((a) => pow(a, -1.5), sample(22, [3], positive));
  });

  it('tensor exponents broadcast and differentiate both operands', () => {
    expect(pow(tensor([[2], [3]]), tensor([1, 2])).toArray()).toEqual([[2, 4], [3, 9]]);
    expect(pow(2, tensor([3, -1])).toArray()).toEqual([8, 0.5]);
    expectGrads((a, b) => pow(a, b), sample(23, [2, 3], positive), sample(24, [2, 3]));
    expectGrads((a, b) => pow(a, b), sample(25, [2, 3], positive), sample(26, [3]));
    expectGrads((a, b) => pow(a, b), sample(27, [4, 1, 3], positive), sample(28, [2, 1]));
    expectGrads((a, b) => a.pow(b), sample(29, [3], positive), sample(30, []));
    expectGrads((b) => pow(2.5, b), sample(31, [2, 2]));
  });

  it('exact gradients, with PyTorch’s zeros at a = 0', () => {
    const a = tensor([0, 0, 2], { requiresGrad: true });
    const b = tensor([2, 0, 3], { requiresGrad: true });
    const y = pow(a, b);
    expect(y.toArray()).toEqual([0, 1, 8]);
    y.sum().backward();
    expect(Array.from(a.grad!.data)).toEqual([0, 0, 12]); // b·a^(b−1), 0 where b = 0
    expectClose(b.grad!.data, [0, 0, 8 * Math.LN2]); // a^b·ln a, 0 where a = 0 and b ≥ 0
  });

  it('rejects bad operands', () => {
    expect(() => pow('2' as unknown as Tensor, 2)).toThrow('pow: base must be a Tensor or a number, got string');
    expect(() => pow(tensor([2]), [2] as unknown as Tensor)).toThrow('pow: exponent must be a Tensor or a number, got object');
    expect(() => pow(zeros([2]), zeros([3]))).toThrow('pow: shapes [2] and [3] cannot be broadcast');
  });
});

describe('maximum and minimum', () => {
  it('forward with broadcasting', () => {
    expect(maximum(tensor([[1, 5], [3, 2]]), tensor([2, 4])).toArray()).toEqual([[2, 5], [3, 4]]);
    expect(minimum(tensor([[1, 5], [3, 2]]), tensor([2, 4])).toArray()).toEqual([[1, 4], [2, 2]]);
    expect(tensor([-1, 1]).maximum(0).toArray()).toEqual([0, 1]);
    expect(minimum(0, tensor([-1, 1])).toArray()).toEqual([-1, 0]);
  });

  it('gradient to the larger (smaller) operand, split ½–½ on ties', () => {
    const a = tensor([1, 2, 3], { requiresGrad: true });
    const b = tensor([1, 0, 5], { requiresGrad: true });
    maximum(a, b).sum().backward();
    expect(Array.from(a.grad!.data)).toEqual([0.5, 1, 0]);
    expect(Array.from(b.grad!.data)).toEqual([0.5, 0, 1]);
    a.grad = null;
    b.grad = null;
    minimum(a, b).sum().backward();
    expect(Array.from(a.grad!.data)).toEqual([0.5, 0, 1]);
    expect(Array.from(b.grad!.data)).toEqual([0.5, 1, 0]);
  });

  it('gradcheck with broadcasting and scalars', () => {
    expectGradsOk((a, b) => maximum(a, b), [2, 3], [3]);
    expectGradsOk((a, b) => minimum(a, b), [2, 3], [3]);
    expectGradsOk((a, b) => maximum(a, b), [4, 1, 3], [2, 1]);
    expectGradsOk((a, b) => minimum(a, b), [4, 1, 3], [2, 1]);
    expectGrads((a) => maximum(a, 0.3), sample(41, [2, 3], awayFrom(0.3)));
    expectGrads((a) => minimum(-0.2, a), sample(42, [2, 3], awayFrom(-0.2)));
  });

  it('incompatible shapes name the op', () => {
    expect(() => maximum(zeros([2]), zeros([3]))).toThrow('maximum: shapes [2] and [3] cannot be broadcast');
    expect(() => minimum(zeros([2]), 'x' as unknown as Tensor)).toThrow('minimum: argument must be a Tensor or a number, got string');
  });
});

describe('clamp', () => {
  it('forward, either bound optional', () => {
    const x = tensor([-2, -0.5, 0.5, 2]);
    expect(clamp(x, -1, 1).toArray()).toEqual([-1, -0.5, 0.5, 1]);
    expect(clamp(x, 0).toArray()).toEqual([0, 0, 0.5, 2]);
    expect(x.clamp(undefined, 0).toArray()).toEqual([-2, -0.5, 0, 0]);
  });

  it('gradient 1 inside [min, max] (bounds included), 0 outside', () => {
    const x = tensor([-2, -1, 0, 1, 2], { requiresGrad: true });
    clamp(x, -1, 1).sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([0, 1, 1, 1, 0]);
    expectGrads((a) => clamp(a, -0.5, 0.5), sample(51, [3, 4], awayFrom(-0.5, 0.5)));
  });

  it('rejects min > max and missing bounds', () => {
    expect(() => clamp(tensor([1]), 2, 1)).toThrow('clamp: min (2) must not be greater than max (1)');
    expect(() => clamp(tensor([1]))).toThrow('clamp: at least one of min and max must be given');
    expect(() => clamp(tensor([1]), '0' as unknown as number)).toThrow('clamp: min must be a number or undefined, got 0');
  });
});

describe('where', () => {
  it('selects with broadcasting', () => {
    const cond = tensor([[1, 0, 2], [0, 0, -1]]);
    expect(where(cond, tensor([1, 2, 3]), 0).toArray()).toEqual([[1, 0, 3], [0, 0, 3]]);
    expect(tensor([5]).where(tensor([1, 0]), tensor([7, 8])).toArray()).toEqual([5, 8]);
  });

  it('gradient to a where cond holds, to b elsewhere, none to cond', () => {
    const cond = tensor([1, 0, 1], { requiresGrad: true });
    const a = tensor([1, 2, 3], { requiresGrad: true });
    const b = tensor([4], { requiresGrad: true });
    where(cond, a, b).backward(tensor([10, 20, 30]));
    expect(Array.from(a.grad!.data)).toEqual([10, 0, 30]);
    expect(Array.from(b.grad!.data)).toEqual([20]);
    expect(cond.grad).toBeNull();
  });

  it('gradcheck with broadcasting and scalar operands', () => {
    manualSeed(61);
    const cond = gt(randn([2, 3]), 0);
    expectGradsOk((a, b) => where(cond, a, b), [3], []);
    expectGradsOk((a, b) => where(cond, a, b), [2, 3], [2, 1]);
    const cond3 = gt(randn([4, 1, 3]), 0);
    expectGradsOk((a) => where(cond3, a, 1.5), [2, 1]);
    expectGradsOk((b) => where(cond3, -1, b), [4, 2, 3]);
  });

  it('rejects a non-tensor condition and incompatible shapes', () => {
    expect(() => where(1 as unknown as Tensor, 1, 2)).toThrow('where: condition must be a Tensor, got number');
    expect(() => where(zeros([2]), 'a' as unknown as Tensor, 2)).toThrow('where: first value must be a Tensor or a number, got string');
    expect(() => where(zeros([2, 3]), zeros([3]), zeros([4]))).toThrow(
      'where: condition [2,3] and values [3], [4] cannot be broadcast together',
    );
  });
});

describe('comparisons', () => {
  it('eq gt ge lt le give 0/1 with broadcasting', () => {
    const a = tensor([[1, 2, 3]]);
    const b = tensor([[2], [3]]);
    expect(eq(a, b).toArray()).toEqual([[0, 1, 0], [0, 0, 1]]);
    expect(gt(a, b).toArray()).toEqual([[0, 0, 1], [0, 0, 0]]);
    expect(ge(a, b).toArray()).toEqual([[0, 1, 1], [0, 0, 1]]);
    expect(lt(a, b).toArray()).toEqual([[1, 0, 0], [1, 1, 0]]);
    expect(le(a, b).toArray()).toEqual([[1, 1, 0], [1, 1, 1]]);
    expect(a.gt(1.5).toArray()).toEqual([[0, 1, 1]]);
    expect(le(2, a).toArray()).toEqual([[0, 1, 1]]);
  });

  it('never require grad', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    for (const c of [x.eq(1), x.gt(1), x.ge(1), x.lt(1), x.le(1)]) {
      expect(c.requiresGrad).toBe(false);
      expect(c.node).toBeNull();
    }
  });

  it('incompatible shapes name the op', () => {
    expect(() => gt(zeros([2]), zeros([3]))).toThrow('gt: shapes [2] and [3] cannot be broadcast');
    expect(() => eq({} as unknown as Tensor, 1)).toThrow('eq: argument must be a Tensor or a number, got object');
  });
});
