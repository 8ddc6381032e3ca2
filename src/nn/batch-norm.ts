import type { Tensor } from '../tensor.js';
import { ones, zeros } from '../creation.js';
import { formatShape } from '../shape.js';
import { batchNorm, checkValuesPerChannel, type BatchNormActivation } from '../ops/batch-norm.js';
import { batchNormMaxPool2d } from '../ops/batch-norm-max-pool2d.js';
import type { Size2 } from '../ops/window2d.js';
import { Module } from './module.js';
import { checkLayerInput } from './checks.js';
import { boolean, checkedByOwner, checkOptionsObject } from '../optim/options.js';

export interface BatchNormModuleOptions {
  eps?: number;
  /** Weight of each new batch statistic in the running average (PyTorch's convention). */
  momentum?: number;
  /** Learnable per-channel scale γ (weight, init 1) and shift β (bias, init 0). */
  affine?: boolean;
  /** Keep runningMean/runningVar (buffers) for eval; without them eval also uses batch statistics. */
  trackRunningStats?: boolean;
}

/**
 * The shared body of BatchNorm1d and BatchNorm2d: normalizes each channel (dimension 1) with
 * the batch statistics in training, updating the running ones, and with the running statistics
 * in eval. Subclasses only say which input ranks they accept.
 */
export abstract class BatchNormBase extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Tensor | null;
  bias: Tensor | null;
  runningMean: Tensor | null;
  runningVar: Tensor | null;

  protected abstract readonly ranks: number[];
  protected abstract readonly layout: string;

  constructor(numFeatures: number, options: BatchNormModuleOptions = {}) {
    super();
    const name = this.typeName;
    checkOptionsObject(name, options, { eps: checkedByOwner, momentum: checkedByOwner, affine: boolean, trackRunningStats: boolean });
    const { eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true } = options;
    if (!Number.isInteger(numFeatures) || numFeatures <= 0) {
      throw new Error(`${name}: numFeatures must be a positive integer, got ${String(numFeatures)}`);
    }
    if (typeof eps !== 'number' || !(eps >= 0) || !Number.isFinite(eps)) throw new Error(`${name}: eps must be a finite number ≥ 0, got ${String(eps)}`);
    if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1)) throw new Error(`${name}: momentum must be a number in [0, 1], got ${String(momentum)}`);
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.trackRunningStats = trackRunningStats;
    this.weight = this.registerParameter('weight', affine ? ones([numFeatures]) : null);
    this.bias = this.registerParameter('bias', affine ? zeros([numFeatures]) : null);
    this.runningMean = this.registerBuffer('runningMean', trackRunningStats ? zeros([numFeatures]) : null);
    this.runningVar = this.registerBuffer('runningVar', trackRunningStats ? ones([numFeatures]) : null);
  }

  forward(x: Tensor): Tensor {
    return this.normalize(x, null);
  }

  /**
   * relu/sigmoid/tanh(this.forward(x)) as one op (`batchNorm` with `activation`): the same values
   * and gradients in one pass instead of two. `Sequential` calls it for a BatchNorm followed by a
   * ReLU, Sigmoid or Tanh.
   */
  forwardActivation(x: Tensor, activation: BatchNormActivation): Tensor {
    return this.normalize(x, activation);
  }

  /**
   * maxPool2d(this.forward(x), …) — relu'd in between with `activation: 'relu'` — as one op
   * (`batchNormMaxPool2d`): the same values and gradients without the normalized batch as an array.
   * `Sequential` calls it for a BatchNorm2d (→ ReLU) → MaxPool2d block.
   */
  forwardMaxPool(x: Tensor, pool: { kernelSize: Size2; stride?: Size2; padding?: Size2 }, activation: 'relu' | null = null): Tensor {
    const { useBatchStats } = this.checkInput(x);
    return batchNormMaxPool2d(x, this.runningMean, this.runningVar, this.weight, this.bias, {
      training: useBatchStats, momentum: this.momentum, eps: this.eps, activation, ...pool,
    });
  }

  private normalize(x: Tensor, activation: BatchNormActivation | null): Tensor {
    const { useBatchStats } = this.checkInput(x);
    return batchNorm(x, this.runningMean, this.runningVar, this.weight, this.bias, {
      training: useBatchStats, momentum: this.momentum, eps: this.eps, activation,
    });
  }

  /** The layer's input checks; whether it normalizes with the batch's statistics. */
  private checkInput(x: Tensor): { useBatchStats: boolean } {
    const name = `${this.typeName}(${this.numFeatures})`;
    checkLayerInput(name, x, `a ${this.ranks.map((r) => `${r}-D`).join(' or ')} input tensor ${this.layout}`);
    if (!this.ranks.includes(x.ndim)) {
      throw new Error(`${name}: expected a ${this.ranks.map((r) => `${r}-D`).join(' or ')} input ${this.layout}, got shape ${formatShape(x.shape)}`);
    }
    if (x.shape[1] !== this.numFeatures) {
      throw new Error(`${name}: expected ${this.numFeatures} channels in dimension 1, got ${x.shape[1]} (input shape ${formatShape(x.shape)})`);
    }
    // Without running statistics there is nothing else to use: batch statistics in eval too (as PyTorch).
    const useBatchStats = this.training || this.runningMean === null;
    if (useBatchStats) checkValuesPerChannel(name, x);
    return { useBatchStats };
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, trackRunningStats=${this.trackRunningStats}`;
  }
}

/** BatchNorm over [N, C] or [N, C, L] (after a Linear or a 1-D convolution). */
export class BatchNorm1d extends BatchNormBase {
  protected readonly ranks = [2, 3];
  protected readonly layout = '[N, C] or [N, C, L]';
}

/** BatchNorm over [N, C, H, W] (after a Conv2d), statistics per channel over N, H and W. */
export class BatchNorm2d extends BatchNormBase {
  protected readonly ranks = [4];
  protected readonly layout = '[N, C, H, W]';
}
