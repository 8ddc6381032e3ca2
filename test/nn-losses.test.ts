import { describe, expect, it } from 'vitest';
import { gradcheck, manualSeed, nn, rand, randn, tensor, Tensor, sigmoid, logSoftmax } from '../src/index.js';
import { expectClose } from './helpers.js';

const F = nn.functional;

/** Reference softmax cross-entropy in float64, written independently of the op. */
function referenceCrossEntropy(logits: number[][], target: number[], eps = 0): number[] {
  return logits.map((row, r) => {
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
    const logp = row.map((v) => v - lse);
    const smooth = -logp.reduce((s, v) => s + v, 0) / row.length;
    return (1 - eps) * -logp[target[r]] + eps * smooth;
  });
}

describe('crossEntropy', () => {
  it('matches the log-sum-exp formula for each reduction and with label smoothing', () => {
    expect(F.crossEntropy(tensor([[1, 2, 3]]), [2]).item()).toBeCloseTo(0.4076059644, 6);
    manualSeed(3);
    const logits = randn([5, 4]);
    const rows = logits.toArray() as number[][];
    const target = [0, 3, 1, 1, 2];
    for (const eps of [0, 0.1]) {
      const ref = referenceCrossEntropy(rows, target, eps);
      const none = F.crossEntropy(logits, target, { reduction: 'none', labelSmoothing: eps });
      expect(none.shape).toEqual([5]);
      expectClose(none.data, ref);
      const total = ref.reduce((a, b) => a + b, 0);
      expect(F.crossEntropy(logits, target, { reduction: 'sum', labelSmoothing: eps }).item()).toBeCloseTo(total, 5);
      expect(F.crossEntropy(logits, target, { labelSmoothing: eps }).item()).toBeCloseTo(total / 5, 5);
    }
  });

  it('is stable for huge logits', () => {
    const loss = F.crossEntropy(tensor([[1000, 0, -1000], [-1e4, 1e4, 0]]), [0, 0], { reduction: 'none' });
    expectClose(loss.data, [0, 2e4], 1e-3);
  });

  it('accepts number[], Int32Array and an integer tensor as targets', () => {
    manualSeed(4);
    const logits = randn([3, 5]);
    const a = F.crossEntropy(logits, [4, 0, 2]).item();
    expect(F.crossEntropy(logits, Int32Array.from([4, 0, 2])).item()).toBe(a);
    expect(F.crossEntropy(logits, tensor([4, 0, 2])).item()).toBe(a);
  });

  it('has the gradient softmax − target distribution, for each reduction and smoothing', () => {
    const target = [2, 0, 1, 2];
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      for (const labelSmoothing of [0, 0.2]) {
        manualSeed(11);
        const x = randn([4, 3], { requiresGrad: true });
        expect(gradcheck((l) => F.crossEntropy(l, target, { reduction, labelSmoothing }), [x])).toBe(true);
      }
    }
    // the closed form, for the mean: (softmax − onehot) / N
    const x = tensor([[1, 2, 3], [0, 0, 0]], { requiresGrad: true });
    F.crossEntropy(x, [2, 1]).backward();
    const e = [Math.E, Math.E ** 2, Math.E ** 3];
    const z = e[0] + e[1] + e[2];
    expectClose(x.grad!.data, [e[0] / z / 2, e[1] / z / 2, (e[2] / z - 1) / 2, 1 / 6, 1 / 6 - 0.5, 1 / 6]);
  });

  it('rejects bad targets, shapes and options, naming the index and C', () => {
    const logits = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(() => F.crossEntropy(logits, [0, 3])).toThrow('crossEntropy: target 1 is class 3, out of range for 3 classes');
    expect(() => F.crossEntropy(logits, [0, -1])).toThrow('crossEntropy: target 1 is class -1, out of range for 3 classes');
    expect(() => F.crossEntropy(logits, [0, 1.5])).toThrow('crossEntropy: target 1 is 1.5, not an integer class index');
    expect(() => F.crossEntropy(logits, [0])).toThrow('crossEntropy: target has 1 class indices but the input has 2 rows');
    expect(() => F.crossEntropy(tensor([1, 2, 3]), [0])).toThrow('crossEntropy: logits must be 2-D [N, C], got shape [3]');
    expect(() => F.crossEntropy(logits, [0, 1], { labelSmoothing: 1.5 })).toThrow('crossEntropy: labelSmoothing must be in [0, 1], got 1.5');
    expect(() => F.crossEntropy(logits, [0, 1], { reduction: 'avg' as 'mean' })).toThrow("crossEntropy: reduction must be 'mean', 'sum' or 'none', got 'avg'");
  });
});

describe('nllLoss', () => {
  it('picks −logp at the targets and agrees with crossEntropy after logSoftmax', () => {
    const lp = tensor([[-0.1, -2, -3], [-1, -0.5, -4]]);
    expectClose(F.nllLoss(lp, [0, 2], { reduction: 'none' }).data, [0.1, 4]);
    expect(F.nllLoss(lp, [0, 2], { reduction: 'sum' }).item()).toBeCloseTo(4.1, 6);
    manualSeed(5);
    const x = randn([4, 6]);
    expect(F.nllLoss(logSoftmax(x, 1), [1, 5, 0, 2]).item()).toBeCloseTo(F.crossEntropy(x, [1, 5, 0, 2]).item(), 5);
    manualSeed(6);
    expect(gradcheck((l) => F.nllLoss(l, [1, 0, 2]), [randn([3, 3], { requiresGrad: true })])).toBe(true);
    expect(() => F.nllLoss(lp, [0, 7])).toThrow('nllLoss: target 1 is class 7, out of range for 3 classes');
    expect(() => F.nllLoss(tensor([1, 2]), [0])).toThrow('nllLoss: input must be 2-D log-probabilities [N, C], got shape [2]');
  });
});

describe('binary cross-entropy', () => {
  it('binaryCrossEntropy: values, the −100 clamp, and gradients for input and target', () => {
    const p = tensor([0.8, 0.25, 0, 1, 0, 1]);
    const y = tensor([1, 0, 1, 0, 0, 1]);
    expectClose(F.binaryCrossEntropy(p, y, { reduction: 'none' }).data, [-Math.log(0.8), -Math.log(0.75), 100, 100, 0, 0], 1e-5);
    expect(F.binaryCrossEntropy(p, y, { reduction: 'sum' }).item()).toBeCloseTo(200 - Math.log(0.8) - Math.log(0.75), 3);
    manualSeed(7);
    const raw = randn([3, 4], { requiresGrad: true });
    const target = rand([3, 4], { requiresGrad: true });
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      expect(gradcheck((r, t) => F.binaryCrossEntropy(sigmoid(r), t, { reduction }), [raw, target])).toBe(true);
    }
    // at p = 0 or 1 the gradient stays finite
    const edge = tensor([0, 1], { requiresGrad: true });
    F.binaryCrossEntropy(edge, tensor([1, 1]), { reduction: 'sum' }).backward();
    expect(Array.from(edge.grad!.data).every(Number.isFinite)).toBe(true);
  });

  it('binaryCrossEntropy rejects probabilities outside [0, 1] and shape mismatches', () => {
    expect(() => F.binaryCrossEntropy(tensor([0.5, 1.5]), tensor([1, 0]))).toThrow('binaryCrossEntropy: input must be probabilities in [0, 1], got values from 0.5 to 1.5');
    expect(() => F.binaryCrossEntropy(tensor([0.5, 0.5]), tensor([1]))).toThrow('binaryCrossEntropy: input shape [2] and target shape [1] must be equal');
  });

  it('binaryCrossEntropyWithLogits: stable values, σ(x) − y at 0, gradients', () => {
    const x = tensor([0, 100, -100, 2, -3], { requiresGrad: true });
    const y = tensor([1, 0, 0, 1, 1]);
    const softplus = (v: number) => Math.log1p(Math.exp(v));
    expectClose(F.binaryCrossEntropyWithLogits(x, y, { reduction: 'none' }).data, [Math.LN2, 100, 0, softplus(-2), softplus(3)], 1e-5);
    F.binaryCrossEntropyWithLogits(x, y, { reduction: 'sum' }).backward();
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    expectClose(x.grad!.data, [0.5 - 1, 1, 0, sig(2) - 1, sig(-3) - 1]);
    manualSeed(8);
    const logits = randn([2, 5], { requiresGrad: true });
    const target = rand([2, 5], { requiresGrad: true });
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      expect(gradcheck((l, t) => F.binaryCrossEntropyWithLogits(l, t, { reduction }), [logits, target])).toBe(true);
    }
    // agrees with binaryCrossEntropy(σ(x)) where both are accurate
    expect(F.binaryCrossEntropyWithLogits(logits, target).item()).toBeCloseTo(F.binaryCrossEntropy(sigmoid(logits), target).item(), 5);
    expect(() => F.binaryCrossEntropyWithLogits(tensor([1, 2]), tensor([[1, 2]]))).toThrow('binaryCrossEntropyWithLogits: input shape [2] and target shape [1,2] must be equal');
  });
});

describe('mseLoss and l1Loss', () => {
  it('values, reductions, gradients and shape checks', () => {
    const a = tensor([[1, 2], [3, 4]]);
    const b = tensor([[1.5, 2], [1, 8]]);
    expectClose(F.mseLoss(a, b, { reduction: 'none' }).data, [0.25, 0, 4, 16]);
    expect(F.mseLoss(a, b).item()).toBeCloseTo(20.25 / 4, 6);
    expect(F.mseLoss(a, b, { reduction: 'sum' }).item()).toBeCloseTo(20.25, 5);
    expect(F.l1Loss(a, b).item()).toBeCloseTo(6.5 / 4, 6);
    expect(F.l1Loss(a, b, { reduction: 'sum' }).item()).toBeCloseTo(6.5, 6);
    manualSeed(9);
    const x = randn([3, 2], { requiresGrad: true });
    const t = randn([3, 2], { requiresGrad: true });
    expect(gradcheck((p, q) => F.mseLoss(p, q), [x, t])).toBe(true);
    expect(gradcheck((p, q) => F.l1Loss(p, q, { reduction: 'sum' }), [x, t])).toBe(true);
    expect(() => F.mseLoss(a, tensor([1, 2]))).toThrow('mseLoss: input shape [2,2] and target shape [2] must be equal');
    expect(() => F.l1Loss(a, b, { reduction: 'max' as 'sum' })).toThrow("l1Loss: reduction must be 'mean', 'sum' or 'none', got 'max'");
    expect(() => F.mseLoss(a, [1] as unknown as Tensor)).toThrow('mseLoss: target must be a Tensor');
  });
});
