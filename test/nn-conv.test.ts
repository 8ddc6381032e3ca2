import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { avgPool2d, conv2d, gradcheck, manualSeed, maxPool2d, randn, relu, tensor, zeros, type Tensor } from '../src/index.js';
import { Conv2d } from '../src/nn/conv2d.js';
import { AvgPool2d, MaxPool2d } from '../src/nn/pool.js';
import { expectClose, expectGradsOk, inputs } from './helpers.js';

interface ConvCase {
  x: number[];
  shape: number[];
  conv: { inChannels: number; outChannels: number; kernelSize: number; stride: number; padding: number; weight: number[]; bias: number[] };
  pool: { kind: 'max' | 'avg'; kernelSize: number; stride: number };
  out: number[]; outShape: number[]; dz: number[];
  dx: number[]; dweight: number[]; dbias: number[];
}

const golden = JSON.parse(readFileSync(new URL('./golden/conv.json', import.meta.url), 'utf8')) as { cases: ConvCase[] };

type Pair = [number, number];

/** Direct (non-im2col) cross-correlation in float64, the reference for conv2d's forward. */
function referenceConv(x: Tensor, w: Tensor, b: Tensor | null, stride: Pair, padding: Pair, dilation: Pair): { data: number[]; shape: number[] } {
  const [n, c, h, wd] = x.shape;
  const [o, , kh, kw] = w.shape;
  const outH = Math.floor((h + 2 * padding[0] - dilation[0] * (kh - 1) - 1) / stride[0]) + 1;
  const outW = Math.floor((wd + 2 * padding[1] - dilation[1] * (kw - 1) - 1) / stride[1]) + 1;
  const data: number[] = [];
  for (let bi = 0; bi < n; bi++) for (let oc = 0; oc < o; oc++) for (let oi = 0; oi < outH; oi++) for (let oj = 0; oj < outW; oj++) {
    let s = b ? b.data[oc] : 0;
    for (let ic = 0; ic < c; ic++) for (let ki = 0; ki < kh; ki++) for (let kj = 0; kj < kw; kj++) {
      const i = oi * stride[0] - padding[0] + ki * dilation[0];
      const j = oj * stride[1] - padding[1] + kj * dilation[1];
      if (i < 0 || i >= h || j < 0 || j >= wd) continue;
      s += x.data[((bi * c + ic) * h + i) * wd + j] * w.data[((oc * c + ic) * kh + ki) * kw + kj];
    }
    data.push(s);
  }
  return { data, shape: [n, o, outH, outW] };
}

describe('Conv2d → ReLU → pool against PyTorch (shared/golden/conv.json)', () => {
  it('has the cases it should replay', () => {
    expect(golden.cases.map((c) => c.pool.kind).sort()).toEqual(['avg', 'max']);
  });

  for (const c of golden.cases) {
    const { conv: k, pool: p } = c;
    it(`Conv2d(${k.inChannels}, ${k.outChannels}, ${k.kernelSize}, stride ${k.stride}, padding ${k.padding}) → ReLU → ${p.kind}Pool2d(${p.kernelSize}, stride ${p.stride})`, () => {
      const conv = new Conv2d(k.inChannels, k.outChannels, k.kernelSize, { stride: k.stride, padding: k.padding });
      conv.weight.data.set(k.weight);
      conv.bias!.data.set(k.bias);
      const pool = p.kind === 'max' ? new MaxPool2d(p.kernelSize, { stride: p.stride }) : new AvgPool2d(p.kernelSize, { stride: p.stride });
      const x = tensor(Float32Array.from(c.x), { shape: c.shape, requiresGrad: true });
      const z = pool.forward(relu(conv.forward(x)));
      expect(z.shape).toEqual(c.outShape);
      expectClose(z.data, c.out, 1e-3, 1e-3);
      z.backward(tensor(Float32Array.from(c.dz), { shape: c.outShape }));
      expectClose(x.grad!.data, c.dx, 1e-3, 1e-3);
      expectClose(conv.weight.grad!.data, c.dweight, 1e-3, 1e-3);
      expectClose(conv.bias!.grad!.data, c.dbias, 1e-3, 1e-3);
    });
  }
});

describe('conv2d', () => {
  const configs: { name: string; x: number[]; w: number[]; stride: Pair; padding: Pair; dilation: Pair; bias: boolean }[] = [
    { name: 'plain 3x3', x: [2, 3, 6, 6], w: [4, 3, 3, 3], stride: [1, 1], padding: [0, 0], dilation: [1, 1], bias: true },
    { name: 'stride 2, padding 1, non-square input', x: [2, 2, 5, 7], w: [3, 2, 3, 3], stride: [2, 2], padding: [1, 1], dilation: [1, 1], bias: true },
    { name: 'dilation 2, no bias', x: [1, 2, 7, 6], w: [2, 2, 3, 3], stride: [1, 1], padding: [0, 0], dilation: [2, 2], bias: false },
    { name: 'non-square kernel, per-axis stride/padding/dilation', x: [2, 3, 6, 8], w: [2, 3, 2, 3], stride: [2, 1], padding: [1, 2], dilation: [1, 2], bias: true },
  ];

  for (const cfg of configs) {
    it(`forward matches a direct convolution: ${cfg.name}`, () => {
      manualSeed(21);
      const x = randn(cfg.x);
      const w = randn(cfg.w);
      const b = cfg.bias ? randn([cfg.w[0]]) : null;
      const y = conv2d(x, w, b, { stride: cfg.stride, padding: cfg.padding, dilation: cfg.dilation });
      const ref = referenceConv(x, w, b, cfg.stride, cfg.padding, cfg.dilation);
      expect(y.shape).toEqual(ref.shape);
      expectClose(y.data, ref.data, 1e-4, 1e-4);
    });

    it(`gradcheck: ${cfg.name}`, () => {
      const shapes = cfg.bias ? [cfg.x, cfg.w, [cfg.w[0]]] : [cfg.x, cfg.w];
      const ts = inputs(cfg.x.reduce((a, v) => a + v, 0), ...shapes);
      const opts = { stride: cfg.stride, padding: cfg.padding, dilation: cfg.dilation };
      expect(gradcheck((x, w, b) => conv2d(x, w, b ?? null, opts), ts)).toBe(true);
    });
  }

  it('computes a hand-checked 1-channel example', () => {
    const x = tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
    const w = tensor([[[[1, 0], [0, -1]]]]);
    expect(conv2d(x, w, tensor([10])).toArray()).toEqual([[[[6, 6], [6, 6]]]]);
    expect(conv2d(x, w, null, { padding: 1, stride: 2 }).toArray()).toEqual([[[[-1, -3], [-7, -4]]]]);
  });

  it('refuses bad inputs with messages that give the shapes', () => {
    expect(() => conv2d(zeros([2, 5, 8, 8]), zeros([4, 3, 3, 3])))
      .toThrow('conv2d: input [2,5,8,8] has 5 channels but weight [4,3,3,3] expects 3');
    expect(() => conv2d(zeros([5, 8, 8]), zeros([4, 5, 3, 3])))
      .toThrow('conv2d: input must be 4-D [N, C, H, W], got shape [5,8,8]');
    expect(() => conv2d(zeros([1, 1, 3, 3]), zeros([1, 1, 5, 5])))
      .toThrow('conv2d: kernel 5x5 is larger than the padded input 3x3 (input [1,1,3,3], padding 0x0)');
    expect(() => conv2d(zeros([1, 1, 4, 4]), zeros([1, 1, 3, 3]), null, { dilation: 2 }))
      .toThrow('conv2d: dilated kernel 5x5 is larger than the padded input 4x4 (input [1,1,4,4], padding 0x0)');
    expect(() => conv2d(zeros([1, 1, 4, 4]), zeros([2, 1, 3, 3]), zeros([3])))
      .toThrow('conv2d: bias must have shape [2] (one per output channel), got [3]');
    expect(() => conv2d(zeros([1, 1, 4, 4]), zeros([1, 1, 3, 3]), null, { stride: 0 }))
      .toThrow('conv2d: stride must be an integer ≥ 1 or a pair [h, w] of them, got 0');
  });
});

describe('Conv2d module', () => {
  it('initializes weight [out, in, k, k] and bias in U(−1/√fanIn, 1/√fanIn) from the seeded generator', () => {
    manualSeed(7);
    const a = new Conv2d(3, 8, 3);
    manualSeed(7);
    const b = new Conv2d(3, 8, 3);
    expect(a.weight.shape).toEqual([8, 3, 3, 3]);
    expect(a.bias!.shape).toEqual([8]);
    expect(Array.from(a.weight.data)).toEqual(Array.from(b.weight.data));
    const bound = 1 / Math.sqrt(3 * 3 * 3);
    const all = [...a.weight.data, ...a.bias!.data];
    expect(all.every((v) => Math.abs(v) <= bound)).toBe(true);
    // spread over the whole interval, not a constant
    expect(Math.max(...a.weight.data)).toBeGreaterThan(0.8 * bound);
    expect(Math.min(...a.weight.data)).toBeLessThan(-0.8 * bound);
    expect(a.namedParameters().map(([n]) => n)).toEqual(['weight', 'bias']);
  });

  it('takes kernelSize, stride, padding and dilation as a number or [h, w]; bias: false', () => {
    const m = new Conv2d(2, 4, [3, 1], { stride: [2, 1], padding: [1, 0], bias: false });
    expect(m.weight.shape).toEqual([4, 2, 3, 1]);
    expect(m.bias).toBeNull();
    expect(m.parameters().length).toBe(1);
    expect(m.forward(zeros([1, 2, 5, 4])).shape).toEqual([1, 4, 3, 4]);
    expect(() => m.forward(zeros([1, 3, 5, 4]))).toThrow('Conv2d(2, 4): expected input [N, 2, H, W], got shape [1,3,5,4]');
    expect(() => new Conv2d(2, 4, 0)).toThrow('Conv2d: kernelSize must be an integer ≥ 1 or a pair [h, w] of them, got 0');
  });
});

describe('maxPool2d and avgPool2d', () => {
  const x = tensor([[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]]);

  it('max: default stride = kernel size; padding counts as −∞', () => {
    expect(maxPool2d(x, 2).toArray()).toEqual([[[[6, 8], [14, 16]]]]);
    expect(maxPool2d(x.mul(-1), 2, { stride: 2, padding: 1 }).toArray()).toEqual([[[[-1, -2, -4], [-5, -6, -8], [-13, -14, -16]]]]);
    expect(maxPool2d(x, [1, 2], { stride: [2, 1] }).toArray()).toEqual([[[[2, 3, 4], [10, 11, 12]]]]);
  });

  it('max backward routes each gradient to its window\'s argmax (overlapping windows add up)', () => {
    const a = tensor([[[[1, 9, 2], [3, 4, 5], [6, 7, 8]]]], { requiresGrad: true });
    maxPool2d(a, 2, { stride: 1 }).backward(tensor([[[[1, 10], [100, 1000]]]]));
    expect(a.grad!.toArray()).toEqual([[[[0, 11, 0], [0, 0, 0], [0, 100, 1000]]]]);
  });

  it('avg: zero padding counts in the divisor (count_include_pad)', () => {
    expect(avgPool2d(x, 2).toArray()).toEqual([[[[3.5, 5.5], [11.5, 13.5]]]]);
    expectClose(avgPool2d(x, 3, { stride: 3, padding: 1 }).data, [(1 + 2 + 5 + 6) / 9, (3 + 4 + 7 + 8) / 9, (9 + 10 + 13 + 14) / 9, (11 + 12 + 15 + 16) / 9]);
  });

  it('gradcheck: max (random inputs, no ties) and avg, with stride and padding, non-square', () => {
    expectGradsOk((a) => maxPool2d(a, 2), [2, 3, 4, 6]);
    expectGradsOk((a) => maxPool2d(a, 3, { stride: 2, padding: 1 }), [1, 2, 5, 7]);
    expectGradsOk((a) => maxPool2d(a, [2, 3], { stride: [1, 2] }), [2, 1, 5, 6]);
    expectGradsOk((a) => avgPool2d(a, 2), [2, 3, 4, 6]);
    expectGradsOk((a) => avgPool2d(a, 3, { stride: 2, padding: 1 }), [1, 2, 5, 7]);
    expectGradsOk((a) => avgPool2d(a, [2, 3], { stride: [1, 2] }), [2, 1, 5, 6]);
  });

  it('modules hold [h, w] options and pool like the functions', () => {
    const m = new MaxPool2d(2);
    expect([m.kernelSize, m.stride, m.padding]).toEqual([[2, 2], [2, 2], [0, 0]]);
    expect(m.forward(x).toArray()).toEqual(maxPool2d(x, 2).toArray());
    const a = new AvgPool2d([2, 1], { stride: 1 });
    expect(a.forward(x).shape).toEqual([1, 1, 3, 4]);
  });

  it('refuses bad inputs with messages that give the shapes', () => {
    expect(() => maxPool2d(zeros([1, 1, 2, 2]), 3))
      .toThrow('maxPool2d: kernel 3x3 is larger than the padded input 2x2 (input [1,1,2,2], padding 0x0)');
    expect(() => avgPool2d(zeros([4, 4]), 2)).toThrow('avgPool2d: input must be 4-D [N, C, H, W], got shape [4,4]');
    expect(() => maxPool2d(zeros([1, 1, 8, 8]), 3, { padding: 2 }))
      .toThrow('maxPool2d: padding 2x2 must be at most half the kernel size 3x3');
    expect(() => new MaxPool2d(2, { stride: -1 })).toThrow('MaxPool2d: stride must be an integer ≥ 1 or a pair [h, w] of them, got -1');
  });
});
