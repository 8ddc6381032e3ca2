import { describe, expect, it } from 'vitest';
import { customOp, isGradEnabled, tensor, type CustomOpContext, type Tensor } from '../src/index.js';
import { expectClose, expectGradsOk } from './helpers.js';

/** σ defined by the user: staged forward, fused backward (1 − σ)σ from the saved output. */
const mySigmoid = customOp({
  name: 'mySigmoid',
  forward(ctx, x) {
    const y = x.neg().exp().add(1).reciprocal();
    ctx.save(y);
    return y;
  },
  backward(ctx, g) {
    const [y] = ctx.saved;
    return [g.mul(y).mul(y.neg().add(1))];
  },
});

/** a·b + a (two inputs; backward returns null where no gradient is needed). */
const mulAddA = customOp({
  name: 'mulAddA',
  forward(ctx, a, b) {
    ctx.save(a, b);
    return a.mul(b).add(a);
  },
  backward(ctx, g) {
    const [a, b] = ctx.saved;
    return [ctx.needsInputGrad[0] ? g.mul(b.add(1)) : null, ctx.needsInputGrad[1] ? g.mul(a) : null];
  },
});

describe('customOp', () => {
  it('records a single node named after the op, and matches the built-in sigmoid', () => {
    const x = tensor([-2, 0, 1, 3], { requiresGrad: true });
    const y = mySigmoid(x);
    expect(y.node!.op).toBe('mySigmoid');
    expect(y.node!.inputs).toEqual([x]);
    expect(String(y)).toContain('gradFn=<mySigmoid>');
    const reference = [-2, 0, 1, 3].map((v) => 1 / (1 + Math.exp(-v)));
    expectClose(y.data, reference);
    y.sum().backward();
    expectClose(x.grad!.data, reference.map((s) => s * (1 - s)));
    expectGradsOk((a) => mySigmoid(a), [2, 3]);
  });

  it('two inputs, gradients checked numerically; null for inputs that need none', () => {
    expectGradsOk((a, b) => mulAddA(a, b), [3, 2], [3, 2]);
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4]);
    mulAddA(a, b).sum().backward();
    expect(Array.from(a.grad!.data)).toEqual([4, 5]);
    expect(b.grad).toBeNull();
  });

  it('runs forward without recording and hands ctx to backward', () => {
    let seen: { enabled: boolean; ctx: CustomOpContext } | undefined;
    const op = customOp({
      name: 'double',
      forward(ctx, x) {
        seen = { enabled: isGradEnabled(), ctx };
        const y = x.mul(2);
        expect(y.node).toBeNull();
        return y;
      },
      backward(ctx, g) {
        expect(ctx).toBe(seen!.ctx);
        return g.mul(2);
      },
    });
    const x = tensor([1, 2], { requiresGrad: true });
    const y = op(x);
    expect(seen!.enabled).toBe(false);
    expect(isGradEnabled()).toBe(true);
    expect(seen!.ctx.needsInputGrad).toEqual([true]);
    y.sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([2, 2]); // a lone Tensor is accepted for a one-input op
  });

  it('numbers become constants; inputs that need no grad give an unrecorded result', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = mulAddA(x, 3);
    expect(Array.from(y.data)).toEqual([4, 8]);
    y.sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([4, 4]);
    const z = mulAddA(tensor([1]), tensor([2]));
    expect(z.node).toBeNull();
    expect(z.requiresGrad).toBe(false);
  });

  it('an identity forward does not rewire its input into the graph', () => {
    const identity = customOp({ name: 'identity', forward: (_ctx, x) => x, backward: (_ctx, g) => [g] });
    const x = tensor([5, 6], { requiresGrad: true });
    const y = identity(x);
    expect(y).not.toBe(x);
    expect(x.isLeaf).toBe(true);
    y.mul(tensor([1, 10])).sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([1, 10]);
  });

  it('validates its definition and its inputs', () => {
    const backward = (_ctx: CustomOpContext, g: Tensor) => [g];
    expect(() => customOp({ name: '', forward: (_c, x) => x, backward })).toThrow('customOp: name must be a non-empty string');
    expect(() => customOp({ name: 'f', forward: 3 as never, backward })).toThrow("customOp 'f': forward must be a function");
    expect(() => customOp({ name: 'f', forward: (_c, x) => x, backward: undefined as never })).toThrow("customOp 'f': backward must be a function");
    expect(() => mySigmoid('x' as never)).toThrow("customOp 'mySigmoid': input 0 must be a Tensor or a number, got string");
  });

  it('forward must return a Tensor', () => {
    const op = customOp({ name: 'broken', forward: () => 42 as unknown as Tensor, backward: (_c, g) => [g] });
    expect(() => op(tensor([1], { requiresGrad: true }))).toThrow("customOp 'broken': forward must return a Tensor, got number");
  });

  it('backward must return one gradient per input, each with its input’s shape', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([[1, 2, 3]], { requiresGrad: true });
    const make = (backward: (ctx: CustomOpContext, g: Tensor) => (Tensor | null)[] | Tensor) =>
      customOp({ name: 'pair', forward: (_c, x) => x.mul(1), backward });

    expect(() => make((_c, g) => [g]).call(null, a, b).sum().backward())
      .toThrow("customOp 'pair': backward returned 1 gradient for 2 inputs");
    expect(() => make((_c, g) => [g, g]).call(null, a, b).sum().backward())
      .toThrow("customOp 'pair': backward returned a gradient of shape [2] for input 1 of shape [1,3]");
    expect(() => make((_c, g) => [g, 7 as unknown as Tensor]).call(null, a, b).sum().backward())
      .toThrow("customOp 'pair': backward returned number for input 1; expected a Tensor or null");
    expect(() => make((_c, g) => g).call(null, a, b).sum().backward())
      .toThrow("customOp 'pair': backward must return an array with one gradient (Tensor or null) per input, got a Tensor");
    expect(a.grad).toBeNull();
  });

  it('ctx.save accepts only tensors', () => {
    const op = customOp({ name: 'saver', forward: (ctx, x) => { ctx.save(x, 3 as unknown as Tensor); return x; }, backward: (_c, g) => [g] });
    expect(() => op(tensor([1]))).toThrow('ctx.save: argument 1 must be a Tensor, got number');
  });
});
