import { describe, expect, it } from 'vitest';
import {
  elu, gelu, gradcheck, leakyRelu, linspace, logSoftmax, manualSeed, randn, relu, sigmoid, softmax, tanh, tensor,
  Tensor, zeros,
} from '../src/index.js';
import { expectClose, expectGradsOk } from './helpers.js';

/** A seeded standard-normal input that requires grad, moved at least 0.1 away from 0 (the kink). */
function awayFromZero(seed: number, shape: number[]): Tensor {
  manualSeed(seed);
  const t = randn(shape);
  for (let i = 0; i < t.size; i++) t.data[i] += t.data[i] >= 0 ? 0.1 : -0.1;
  return t.requiresGrad_();
}

/** d(Σ f(x))/dx at each value, through the op's own backward. */
function derivative(f: (x: Tensor) => Tensor, values: Tensor): Float32Array {
  const x = values.detach().requiresGrad_();
  f(x).sum().backward();
  return x.grad!.data;
}

describe('tanh, relu, leakyRelu, elu, gelu: forward', () => {
  it('match hand-computed values', () => {
    expectClose(tanh(tensor([0.5, -2, 0])).data, [0.46211716, -0.96402758, 0]);
    expect(relu(tensor([-1, 0, 2.5])).toArray()).toEqual([0, 0, 2.5]);
    expectClose(leakyRelu(tensor([-2, 3])).data, [-0.02, 3]);
    expectClose(tensor([-2, 3]).leakyRelu(0.2).data, [-0.4, 3]);
    expectClose(elu(tensor([-1, 2])).data, [Math.exp(-1) - 1, 2]);
    expectClose(elu(tensor([-1]), 0.5).data, [0.5 * (Math.exp(-1) - 1)]);
    // exact GELU x·Φ(x): Φ(1) = 0.8413447, Φ(−1) = 0.1586553, Φ(2) = 0.9772499
    expectClose(gelu(tensor([1, -1, 2, 0])).data, [0.8413447, -0.1586553, 1.9544997, 0]);
  });

  it('each is one fused node whose attrs show its constant', () => {
    const x = tensor([1, -1], { requiresGrad: true });
    expect(x.tanh().node!.op).toBe('tanh');
    expect(x.tanh().node!.inputs).toEqual([x]);
    expect(x.leakyRelu(0.2).node!.attrs).toEqual({ negativeSlope: 0.2 });
    expect(x.elu(0.5).node!.attrs).toEqual({ alpha: 0.5 });
    expect(x.gelu().node!.op).toBe('gelu');
  });
});

describe('activation gradients', () => {
  it('gradcheck on random inputs (kinked ones away from 0)', () => {
    expectGradsOk((a) => tanh(a), [3, 4]);
    expectGradsOk((a) => gelu(a), [3, 4]);
    expectGradsOk((a) => a.sigmoid(), [3, 4]);
    expect(gradcheck((a) => relu(a), [awayFromZero(1, [3, 4])])).toBe(true);
    expect(gradcheck((a) => leakyRelu(a), [awayFromZero(2, [3, 4])])).toBe(true);
    expect(gradcheck((a) => leakyRelu(a, 0.3), [awayFromZero(3, [3, 4])])).toBe(true);
    expect(gradcheck((a) => elu(a), [awayFromZero(4, [3, 4])])).toBe(true);
    expect(gradcheck((a) => elu(a, 2), [awayFromZero(5, [3, 4])])).toBe(true);
  });

  it('local gradients match the formulas', () => {
    expectClose(derivative(tanh, tensor([0.5])), [1 - Math.tanh(0.5) ** 2]);
    expect(Array.from(derivative(relu, tensor([-1, 0, 2])))).toEqual([0, 0, 1]);
    expectClose(derivative((x) => leakyRelu(x, 0.1), tensor([-1, 2])), [0.1, 1]);
    expectClose(derivative(elu, tensor([-1, 2])), [Math.exp(-1), 1]);
    // GELU'(x) = Φ(x) + x·φ(x); at 1: 0.8413447 + 0.2419707
    expectClose(derivative(gelu, tensor([1, 0])), [1.0833155, 0.5]);
  });

  it("sigmoid's derivative never exceeds 1/4 (its peak, at 0)", () => {
    const d = derivative(sigmoid, linspace(-10, 10, 201));
    expect(Math.max(...d)).toBeLessThanOrEqual(0.25);
    expect(d[100]).toBeCloseTo(0.25, 7);
  });

  it('tanh and sigmoid saturate: gradient below 1e-3 at |x| = 10', () => {
    for (const f of [tanh, sigmoid]) {
      const d = derivative(f, tensor([-10, 10]));
      for (const v of d) expect(Math.abs(v)).toBeLessThan(1e-3);
    }
    // relu does not saturate for positive inputs
    expect(Array.from(derivative(relu, tensor([10])))).toEqual([1]);
  });

  it('rejects bad constants and inputs', () => {
    expect(() => leakyRelu(tensor([1]), Number.NaN)).toThrow('leakyRelu: negativeSlope must be a finite number, got NaN');
    expect(() => elu(tensor([1]), 'big' as unknown as number)).toThrow('elu: alpha must be a finite number, got big');
    expect(() => tanh([1, 2] as unknown as Tensor)).toThrow('tanh: argument must be a Tensor or a number, got object');
    expect(() => relu(null as unknown as Tensor)).toThrow('relu: argument must be a Tensor or a number, got null');
  });
});

describe('softmax and logSoftmax', () => {
  it('forward over the last axis', () => {
    expectClose(softmax(tensor([1, 2, 3])).data, [0.09003057, 0.24472847, 0.66524096]);
    expectClose(logSoftmax(tensor([1, 2, 3])).data, [-2.40760596, -1.40760596, -0.40760596]);
    expectClose(tensor([[0, 0], [0, Math.log(3)]]).softmax().data, [0.5, 0.5, 0.25, 0.75]);
    // stable for large logits
    expectClose(logSoftmax(tensor([1000, 1001])).data, [-1.31326169, -0.31326169]);
    expectClose(softmax(tensor([1000, 1001])).data, [0.26894142, 0.73105858]);
  });

  it('forward over another axis', () => {
    const x = tensor([[1, 1], [2, 3]]);
    expectClose(softmax(x, 0).data, [0.26894142, 0.11920292, 0.73105858, 0.88079708]);
    expectClose(x.logSoftmax(-2).data, [Math.log(0.26894142), Math.log(0.11920292), Math.log(0.73105858), Math.log(0.88079708)]);
    const y = softmax(tensor([[[1, 2]], [[3, 5]]]), 0);
    expect(y.shape).toEqual([2, 1, 2]);
    expectClose(y.data, [0.11920292, 0.04742587, 0.88079708, 0.95257413]);
  });

  it('gradcheck over the last and non-last axes', () => {
    expectGradsOk((a) => softmax(a), [3, 4]);
    expectGradsOk((a) => logSoftmax(a), [3, 4]);
    expectGradsOk((a) => softmax(a, 0), [3, 4]);
    expectGradsOk((a) => logSoftmax(a, 0), [3, 4]);
    expectGradsOk((a) => softmax(a, 1), [2, 3, 4]);
    expectGradsOk((a) => a.logSoftmax(-3), [2, 3, 4]);
    expectGradsOk((a) => softmax(a), [5]);
  });

  it('is one fused node; its gradient sums to zero along the axis', () => {
    const x = tensor([[1, 2], [0.5, -1]], { requiresGrad: true });
    const y = softmax(x, 0);
    expect(y.node!.op).toBe('softmax');
    expect(y.node!.attrs).toEqual({ axis: 0 });
    y.backward(tensor([[1, 3], [2, -1]]));
    const g = x.grad!.data;
    expect(Math.abs(g[0] + g[2])).toBeLessThan(1e-6);
    expect(Math.abs(g[1] + g[3])).toBeLessThan(1e-6);
  });

  it('rejects an axis out of range and non-tensor inputs', () => {
    expect(() => softmax(zeros([2, 3]), 2)).toThrow('softmax: axis 2 is out of range for a tensor of rank 2');
    expect(() => logSoftmax(zeros([2, 3]), -3)).toThrow('logSoftmax: axis -3 is out of range for a tensor of rank 2');
    expect(() => softmax(zeros([2]), 0.5)).toThrow('softmax: axis 0.5 is out of range for a tensor of rank 1');
    expect(() => softmax([1, 2] as unknown as Tensor)).toThrow('softmax: input must be a Tensor, got object');
  });
});
