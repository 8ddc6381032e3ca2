import type { Tensor } from '../tensor.js';
import { maxPool2d, type Pool2dOptions } from '../ops/max-pool2d.js';
import { avgPool2d } from '../ops/avg-pool2d.js';
import { pair, type Size2 } from '../ops/window2d.js';
import { Module } from './module.js';
import { checkLayerInput, holdsWindow, size2 } from './checks.js';
import { checkOptionsObject } from '../optim/options.js';

/** The options of a 2-D pool, normalized to [h, w] pairs (stride defaults to the kernel size). */
abstract class Pool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];

  constructor(kernelSize: Size2, options: Pool2dOptions = {}) {
    super();
    const name = this.typeName;
    checkOptionsObject(name, options, { stride: size2(1), padding: size2(0) });
    this.kernelSize = pair(name, 'kernelSize', kernelSize, 1);
    this.stride = pair(name, 'stride', options.stride ?? this.kernelSize, 1);
    this.padding = pair(name, 'padding', options.padding ?? 0, 0);
  }

  /** The layer's input check: a 4-D NCHW tensor whose padded spatial size holds the window. */
  protected checkInput(x: unknown): asserts x is Tensor {
    const name = `${this.typeName}(kernelSize=[${this.kernelSize}])`;
    checkLayerInput(name, x, 'a 4-D input [N, C, H, W]', (t) => t.ndim === 4);
    const [minH, minW] = this.kernelSize.map((k, d) => Math.max(1, k - 2 * this.padding[d]));
    checkLayerInput(name, x, `input [N, C, H ≥ ${minH}, W ≥ ${minW}] (the window must fit)`, (t) => holdsWindow(t, this.kernelSize, this.padding));
  }

  /**
   * Whether forward would take x without an error: checkInput's conditions, padding at most half
   * the kernel, and a nonempty input (Sequential fuses a BatchNorm2d → MaxPool2d block only then).
   */
  accepts(x: Tensor): boolean {
    const [k, p] = [this.kernelSize, this.padding];
    return x.ndim === 4 && x.size > 0 && holdsWindow(x, k, p) && p[0] <= k[0] / 2 && p[1] <= k[1] / 2;
  }

  override extraRepr(): string {
    return `kernelSize=[${this.kernelSize}], stride=[${this.stride}], padding=[${this.padding}]`;
  }
}

/** Max over each window of an NCHW input (padding counts as −∞). */
export class MaxPool2d extends Pool2d {
  forward(x: Tensor): Tensor {
    this.checkInput(x);
    return maxPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding });
  }
}

/** Mean over each window of an NCHW input (zero padding counted in the divisor, like PyTorch's default). */
export class AvgPool2d extends Pool2d {
  forward(x: Tensor): Tensor {
    this.checkInput(x);
    return avgPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding });
  }
}
