/** Gradient clipping, as torch.nn.utils.clip_grad_norm_ / clip_grad_value_. */
import { describe, expect, it } from 'vitest';
import { optim, tensor, type Tensor } from '../src/index.js';
import { expectClose } from './helpers.js';

/** Two parameters with gradients [3, 4] and [[12]]: joint L2 norm 13, L1 19, max 12. */
function withGrads(): Tensor[] {
  const a = tensor([0, 0], { requiresGrad: true });
  const b = tensor([[0]], { requiresGrad: true });
  a.grad = tensor([3, -4]);
  b.grad = tensor([[12]]);
  return [a, b];
}

const grads = (ps: Tensor[]) => ps.flatMap((p) => Array.from(p.grad!.data));

describe('clipGradNorm', () => {
  it('returns the joint L2 norm and scales every gradient by maxNorm / (norm + 1e-6)', () => {
    const ps = withGrads();
    expect(optim.clipGradNorm(ps, 6.5)).toBeCloseTo(13, 5);
    const scale = 6.5 / (13 + 1e-6);
    expectClose(grads(ps), [3 * scale, -4 * scale, 12 * scale], 1e-7, 1e-6);
  });

  it('leaves gradients whose norm is within maxNorm untouched', () => {
    const ps = withGrads();
    expect(optim.clipGradNorm(ps, 20)).toBeCloseTo(13, 5);
    expect(grads(ps)).toEqual([3, -4, 12]);
  });

  it('normType 1 and Infinity', () => {
    const l1 = withGrads();
    expect(optim.clipGradNorm(l1, 9.5, 1)).toBeCloseTo(19, 5);
    expectClose(grads(l1), [1.5, -2, 6], 1e-6, 1e-6);
    const inf = withGrads();
    expect(optim.clipGradNorm(inf, 6, Infinity)).toBe(12);
    expectClose(grads(inf), [1.5, -2, 6], 1e-6, 1e-6);
  });

  it('ignores parameters without a gradient, and returns 0 when none has one', () => {
    const ps = withGrads();
    const none = tensor([1, 2], { requiresGrad: true });
    expect(optim.clipGradNorm([...ps, none], 100)).toBeCloseTo(13, 5);
    expect(optim.clipGradNorm([none], 1)).toBe(0);
    expect(none.grad).toBeNull();
  });

  it('a single tensor is accepted too', () => {
    const [a] = withGrads();
    expect(optim.clipGradNorm(a, 1)).toBeCloseTo(5, 5);
    expectClose(a.grad!.data, [0.6, -0.8], 1e-6, 1e-6);
  });

  it('errorIfNonfinite throws on an infinite or NaN norm', () => {
    const ps = withGrads();
    ps[0].grad!.data[0] = Infinity;
    expect(() => optim.clipGradNorm(ps, 1, 2, true)).toThrow(
      'clipGradNorm: the total norm of order 2 of the gradients is Infinity; set errorIfNonfinite = false to clip anyway',
    );
    expect(grads(ps)).toEqual([Infinity, -4, 12]);
  });
});

describe('clipGradValue', () => {
  it('clamps each gradient element into [−clipValue, clipValue]', () => {
    const ps = withGrads();
    optim.clipGradValue(ps, 3.5);
    expect(grads(ps)).toEqual([3, -3.5, 3.5]);
  });
});
