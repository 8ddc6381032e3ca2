import type { Tensor } from '../tensor.js';
import { empty } from '../creation.js';
import { linear } from '../ops/linear.js';
import { Module } from './module.js';
import { kaimingUniform, uniform } from './init.js';
import { checkLayerInput } from './checks.js';
import { boolean, checkOptionsObject } from '../optim/options.js';

export interface LinearOptions {
  bias?: boolean;
}

/**
 * y = x·Wᵀ + b over the last dimension, weight [out, in]. PyTorch's default initialization:
 * kaiming-uniform with a = √5 for the weight, i.e. U(−1/√in, 1/√in), and the same bound for the bias.
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Tensor;
  bias: Tensor | null;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    checkOptionsObject('Linear', options, { bias: boolean });
    const { bias = true } = options;
    for (const [name, v] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new Error(`Linear: ${name} must be a positive integer, got ${String(v)}`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = this.registerParameter('weight', kaimingUniform(empty([outFeatures, inFeatures]), { a: Math.sqrt(5) }));
    const bound = 1 / Math.sqrt(inFeatures);
    this.bias = this.registerParameter('bias', bias ? uniform(empty([outFeatures]), -bound, bound) : null);
  }

  forward(x: Tensor): Tensor {
    const n = this.inFeatures;
    checkLayerInput(`Linear(${n}, ${this.outFeatures})`, x, `input with last dimension ${n}`, (t) => t.ndim > 0 && t.shape[t.ndim - 1] === n);
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
