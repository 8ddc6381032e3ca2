import type { Tensor } from '../tensor.js';
import { maxPool2d, type Pool2dOptions } from '../ops/max-pool2d.js';
import { avgPool2d } from '../ops/avg-pool2d.js';
import { pair, type Size2 } from '../ops/window2d.js';
import { Module } from './module.js';

/** The options of a 2-D pool, normalized to [h, w] pairs (stride defaults to the kernel size). */
abstract class Pool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];

  constructor(kernelSize: Size2, options: Pool2dOptions = {}) {
    super();
    const name = this.typeName;
    this.kernelSize = pair(name, 'kernelSize', kernelSize, 1);
    this.stride = pair(name, 'stride', options.stride ?? this.kernelSize, 1);
    this.padding = pair(name, 'padding', options.padding ?? 0, 0);
  }

  override extraRepr(): string {
    return `kernelSize=[${this.kernelSize}], stride=[${this.stride}], padding=[${this.padding}]`;
  }
}

/** Max over each window of an NCHW input (padding counts as −∞). */
export class MaxPool2d extends Pool2d {
  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding });
  }
}

/** Mean over each window of an NCHW input (zero padding counted in the divisor, like PyTorch's default). */
export class AvgPool2d extends Pool2d {
  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding });
  }
}
