import type { Tensor } from '../tensor.js';
import { empty } from '../creation.js';
import { conv2d } from '../ops/conv2d.js';
import { pair, type Size2 } from '../ops/window2d.js';
import { Module } from './module.js';
import { kaimingUniform, uniform } from './init.js';
import { checkLayerInput, holdsWindow, size2 } from './checks.js';
import { boolean, checkOptionsObject } from '../optim/options.js';

export interface Conv2dModuleOptions {
  stride?: Size2;
  padding?: Size2;
  dilation?: Size2;
  bias?: boolean;
}

/**
 * 2-D convolution over NCHW input, weight [outChannels, inChannels, kH, kW]. PyTorch's default
 * initialization: kaiming-uniform with a = √5, i.e. U(−1/√fanIn, 1/√fanIn) with
 * fanIn = inChannels·kH·kW, and the same bound for the bias.
 */
export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  weight: Tensor;
  bias: Tensor | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Size2, options: Conv2dModuleOptions = {}) {
    super();
    checkOptionsObject('Conv2d', options, { stride: size2(1), padding: size2(0), dilation: size2(1), bias: boolean });
    const { bias = true } = options;
    for (const [name, v] of [['inChannels', inChannels], ['outChannels', outChannels]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new Error(`Conv2d: ${name} must be a positive integer, got ${String(v)}`);
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = pair('Conv2d', 'kernelSize', kernelSize, 1);
    this.stride = pair('Conv2d', 'stride', options.stride ?? 1, 1);
    this.padding = pair('Conv2d', 'padding', options.padding ?? 0, 0);
    this.dilation = pair('Conv2d', 'dilation', options.dilation ?? 1, 1);
    const [kh, kw] = this.kernelSize;
    this.weight = this.registerParameter('weight', kaimingUniform(empty([outChannels, inChannels, kh, kw]), { a: Math.sqrt(5) }));
    const bound = 1 / Math.sqrt(inChannels * kh * kw);
    this.bias = this.registerParameter('bias', bias ? uniform(empty([outChannels]), -bound, bound) : null);
  }

  forward(x: Tensor): Tensor {
    const name = `Conv2d(${this.inChannels}, ${this.outChannels})`;
    checkLayerInput(name, x, `input [N, ${this.inChannels}, H, W]`, (t) => t.ndim === 4 && t.shape[1] === this.inChannels);
    const [minH, minW] = this.kernelSize.map((k, d) => Math.max(1, this.dilation[d] * (k - 1) + 1 - 2 * this.padding[d]));
    checkLayerInput(name, x, `input [N, ${this.inChannels}, H ≥ ${minH}, W ≥ ${minW}] (the kernel${this.padding[0] || this.padding[1] ? ' with padding' : ''} must fit)`,
      (t) => holdsWindow(t, this.kernelSize, this.padding, this.dilation));
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation });
  }

  override extraRepr(): string {
    const [kh, kw] = this.kernelSize;
    let s = `${this.inChannels}, ${this.outChannels}, kernelSize=[${kh},${kw}], stride=[${this.stride}]`;
    if (this.padding[0] || this.padding[1]) s += `, padding=[${this.padding}]`;
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1) s += `, dilation=[${this.dilation}]`;
    if (this.bias === null) s += ', bias=false';
    return s;
  }
}
