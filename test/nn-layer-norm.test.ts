/**
 * LayerNorm: the op (nn.functional.layerNorm) against a float64 reference computed here and by
 * central differences (gradcheck), its fused kernels native against js (small and threaded
 * sizes), and the nn.LayerNorm module's parameters, checks and save/load. PyTorch's values are
 * in the parity suite (test/torch-parity/cases.ts, section layerNormCases).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getBackend, gradcheck, loadModel, manualSeed, nn, noGrad, randn, saveModel, setBackend, tensor, type Tensor } from '../src/index.js';
import type { Backend } from '../src/backend/backend.js';
import { jsBackend } from '../src/backend/js/index.js';
import { loadNativeBackend } from '../src/backend/native/load.js';
import { expectClose, inputs } from './helpers.js';

const native: Backend = loadNativeBackend();
const initialBackend = getBackend();
afterEach(() => setBackend(initialBackend));

/** y = (x − mean)/√(var + eps)·w + b over rows of `cols`, in float64, written out independently of the kernels. */
function reference(x: ArrayLike<number>, cols: number, w: ArrayLike<number> | null, b: ArrayLike<number> | null, eps: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < x.length / cols; r++) {
    const row = Array.from({ length: cols }, (_, j) => x[r * cols + j]);
    const mean = row.reduce((s, v) => s + v, 0) / cols;
    const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / cols;
    row.forEach((v, j) => out.push(((v - mean) / Math.sqrt(variance + eps)) * (w ? w[j] : 1) + (b ? b[j] : 0)));
  }
  return out;
}

/** Deterministic values in [lo, hi). */
function uniform(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((hi - lo) * s) / 2 ** 32;
  });
}

describe('layerNorm (the op)', () => {
  for (const backend of ['js', 'native'] as const) {
    it(`matches the float64 formula on ${backend}, over one and two trailing dimensions, with and without weight and bias`, () => {
      setBackend(backend);
      manualSeed(1);
      const x = randn([2, 3, 4]).mul(3).add(5);
      const w = randn([3, 4]);
      const b = randn([3, 4]);
      expectClose(nn.functional.layerNorm(x, [3, 4], w, b).data, reference(x.data, 12, w.data, b.data, 1e-5), 1e-5, 1e-4);
      expectClose(nn.functional.layerNorm(x, 4, w.reshape([12]).narrow(0, 0, 4), null, 0.1).data, reference(x.data, 4, w.data.subarray(0, 4), null, 0.1), 1e-5, 1e-4);
      expectClose(nn.functional.layerNorm(x, [4]).data, reference(x.data, 4, null, null, 1e-5), 1e-5, 1e-4);
    });
  }

  it('gradients match central differences (x, weight and bias; 3-D input over 1 and 2 trailing dimensions)', () => {
    const [x, w, b] = inputs(11, [2, 3, 5], [5], [5]);
    expect(gradcheck((a, c, d) => nn.functional.layerNorm(a, [5], c, d), [x, w, b])).toBe(true);
    const [x2, w2, b2] = inputs(12, [2, 3, 4], [3, 4], [3, 4]);
    expect(gradcheck((a, c, d) => nn.functional.layerNorm(a, [3, 4], c, d), [x2, w2, b2])).toBe(true);
    const [x3] = inputs(13, [4, 6]);
    expect(gradcheck((a) => nn.functional.layerNorm(a, 6), [x3])).toBe(true);
  });

  it('gives no gradient to inputs that do not require it, and accumulates into those that do', () => {
    manualSeed(2);
    const x = randn([3, 4]);
    const w = randn([4], { requiresGrad: true });
    nn.functional.layerNorm(x, [4], w).sum().backward();
    const first = w.grad!.data.slice();
    nn.functional.layerNorm(x, [4], w).sum().backward();
    expectClose(w.grad!.data, first.map((v) => 2 * v), 1e-6, 1e-6);
    expect(x.grad).toBeNull();
  });

  it('refuses bad arguments, naming the op and the shapes', () => {
    const x = randn([2, 5, 64]);
    expect(() => nn.functional.layerNorm(x, [128])).toThrow('layerNorm: expected input with trailing shape [128], got [2,5,64]');
    expect(() => nn.functional.layerNorm(x, [3, 5, 64])).toThrow('layerNorm: expected input with trailing shape [3,5,64], got [2,5,64]');
    expect(() => nn.functional.layerNorm(x, [64], randn([32]))).toThrow('layerNorm: weight must have shape [64] (normalizedShape), got [32]');
    expect(() => nn.functional.layerNorm(x, [64], null, randn([1, 64]))).toThrow('layerNorm: bias must have shape [64] (normalizedShape), got [1,64]');
    expect(() => nn.functional.layerNorm(x, [])).toThrow('layerNorm: normalizedShape must be a non-negative integer or a non-empty list of them, got []');
    expect(() => nn.functional.layerNorm(x, 1.5)).toThrow(/normalizedShape must be/);
    expect(() => nn.functional.layerNorm(x, 64, null, null, -1)).toThrow('layerNorm: eps must be a finite number ≥ 0, got -1');
    expect(() => nn.functional.layerNorm([1, 2] as unknown as Tensor, 2)).toThrow('layerNorm: input must be a Tensor, got object');
  });

  it('handles an empty batch, forward and backward', () => {
    const x = randn([0, 3], { requiresGrad: true });
    const w = randn([3], { requiresGrad: true });
    const y = nn.functional.layerNorm(x, 3, w);
    expect(y.shape).toEqual([0, 3]);
    y.sum().backward();
    expect(x.grad!.shape).toEqual([0, 3]);
    expect(Array.from(w.grad!.data)).toEqual([0, 0, 0]);
  });
});

describe('layerNorm kernels: native matches js', () => {
  const shapes: [number, number][] = [[1, 1], [3, 7], [16, 64], [5, 300], [2048, 96], [40, 4096]];
  it('forward (mean, rstd, output) with and without weight and bias, rows with a large mean', () => {
    let seed = 1;
    for (const [rows, cols] of shapes) {
      const x = uniform(rows * cols, seed++, -3, 3).map((v, i) => (Math.floor(i / cols) % 3 === 0 ? v + 1000 : v));
      const w = uniform(cols, seed++, 0.5, 2);
      const b = uniform(cols, seed++);
      for (const [weight, bias] of [[w, b], [w, null], [null, b], [null, null]] as const) {
        const run = (be: Backend) => {
          const out = new Float32Array(x.length);
          const mean = new Float32Array(rows);
          const rstd = new Float32Array(rows);
          be.layerNorm(x, rows, cols, weight, bias, 1e-5, out, mean, rstd);
          return { out, mean, rstd };
        };
        const got = run(native);
        const want = run(jsBackend);
        expectClose(got.out, want.out, 1e-5, 1e-5);
        expectClose(got.mean, want.mean, 0, 1e-6);
        expectClose(got.rstd, want.rstd, 0, 1e-6);
      }
    }
  });

  it('backward, every subset of outputs', () => {
    let seed = 100;
    for (const [rows, cols] of shapes) {
      const x = uniform(rows * cols, seed++, -3, 3);
      const dy = uniform(rows * cols, seed++, -2, 2);
      const w = uniform(cols, seed++, 0.5, 2);
      const mean = new Float32Array(rows);
      const rstd = new Float32Array(rows);
      jsBackend.layerNorm(x, rows, cols, w, null, 1e-5, new Float32Array(x.length), mean, rstd);
      for (const weight of [w, null]) {
        for (let mask = 0; mask < 8; mask++) {
          const run = (be: Backend) => {
            const dx = mask & 1 ? new Float32Array(x.length).fill(7) : null;
            const dw = mask & 2 ? new Float32Array(cols).fill(7) : null;
            const db = mask & 4 ? new Float32Array(cols).fill(7) : null;
            be.layerNormBackward(x, dy, rows, cols, weight, mean, rstd, dx, dw, db);
            return { dx, dw, db };
          };
          const got = run(native);
          const want = run(jsBackend);
          for (const key of ['dx', 'dw', 'db'] as const) {
            if (want[key] === null) expect(got[key]).toBeNull();
            // dWeight and dBias sum over the rows: relative to the largest term.
            else expectClose(got[key]!, want[key]!, key === 'dx' ? 1e-5 : 1e-5 * Math.sqrt(rows), 1e-5);
          }
        }
      }
    }
  });
});

describe('nn.LayerNorm', () => {
  it('has weight (ones) and bias (zeros) of normalizedShape, named as in PyTorch', () => {
    const m = new nn.LayerNorm([3, 4]);
    expect(m.normalizedShape).toEqual([3, 4]);
    expect(m.namedParameters().map(([n, t]) => [n, t.shape])).toEqual([['weight', [3, 4]], ['bias', [3, 4]]]);
    expect(Array.from(m.weight!.data)).toEqual(new Array(12).fill(1));
    expect(Array.from(m.bias!.data)).toEqual(new Array(12).fill(0));
    expect(String(m).split('\n')[0]).toBe('LayerNorm([3,4], eps=0.00001, elementwiseAffine=true)');
    const plain = new nn.LayerNorm(8, { elementwiseAffine: false, eps: 1e-3 });
    expect(plain.normalizedShape).toEqual([8]);
    expect(plain.parameters()).toEqual([]);
    expect(plain.weight).toBeNull();
  });

  it('computes the functional op, and trains its parameters', () => {
    manualSeed(3);
    const m = new nn.LayerNorm(6);
    m.weight!.data.set([1, 2, 3, 0.5, 1, 1]);
    const x = randn([2, 4, 6]);
    const y = m.forward(x);
    expectClose(y.data, reference(x.data, 6, m.weight!.data, m.bias!.data, 1e-5), 1e-5, 1e-4);
    y.square().sum().backward();
    expect(m.weight!.grad!.shape).toEqual([6]);
    expect(m.bias!.grad!.shape).toEqual([6]);
  });

  it('refuses a wrong input with the layer name and both shapes', () => {
    expect(() => new nn.LayerNorm(128).forward(randn([2, 5, 64]))).toThrow('LayerNorm: expected input with trailing shape [128], got [2,5,64]');
    expect(() => new nn.LayerNorm([5, 64]).forward(randn([64]))).toThrow('LayerNorm: expected input with trailing shape [5,64], got [64]');
    expect(() => new nn.LayerNorm(4).forward([1, 2, 3, 4] as unknown as Tensor)).toThrow('LayerNorm: expected input with trailing shape [4], got an array (wrap it with tensor())');
    expect(() => new nn.LayerNorm(0.5)).toThrow(/LayerNorm: normalizedShape must be/);
    expect(() => new nn.LayerNorm(4, { eps: -1 })).toThrow('LayerNorm: eps must be a finite number ≥ 0, got -1');
    expect(() => new nn.LayerNorm(4, { elementwiseAffine: 'yes' as unknown as boolean })).toThrow(/LayerNorm: elementwiseAffine/);
    expect(() => new nn.LayerNorm(4, { affine: false } as never)).toThrow(/LayerNorm/);
  });

  it('is rebuilt by loadModel with its options and weights', () => {
    manualSeed(4);
    const dir = mkdtempSync(join(tmpdir(), 'nabla-layer-norm-'));
    for (const [i, m] of [new nn.LayerNorm([3, 4], { eps: 1e-3 }), new nn.LayerNorm(4, { elementwiseAffine: false })].entries()) {
      if (m.weight) m.weight.data.set(randn([3, 4]).data);
      if (m.bias) m.bias.data.set(randn([3, 4]).data);
      const path = join(dir, `ln${i}.safetensors`);
      saveModel(m, path);
      const loaded = loadModel(path).model;
      expect(String(loaded)).toBe(String(m));
      const x = randn([2, 3, 4]);
      expect(Array.from(noGrad(() => loaded.forward(x)).data)).toEqual(Array.from(noGrad(() => m.forward(x)).data));
    }
  });

  it('takes a tensor built from nested arrays', () => {
    const y = new nn.LayerNorm(2, { elementwiseAffine: false }).forward(tensor([[1, 3], [2, 2]]));
    expectClose(y.data, [-1, 1, 0, 0], 1e-4, 0);
  });
});
