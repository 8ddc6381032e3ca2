import type { Tensor } from '../tensor.js';
import { ones, zeros } from '../creation.js';
import { formatShape } from '../shape.js';
import { layerNorm, normalizedShapeOf } from '../ops/layer-norm.js';
import { Module } from './module.js';
import { checkLayerInput } from './checks.js';
import { boolean, checkedByOwner, checkOptionsObject } from '../optim/options.js';

export interface LayerNormOptions {
  eps?: number;
  /** Learnable per-element scale (weight, init 1) and shift (bias, init 0) of shape normalizedShape. */
  elementwiseAffine?: boolean;
}

/**
 * LayerNorm (torch.nn.LayerNorm): normalizes each sample over its trailing dimensions
 * `normalizedShape` with that slice's own mean and biased variance, the same in training and
 * eval (no running statistics), then applies the elementwise affine.
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  weight: Tensor | null;
  bias: Tensor | null;

  constructor(normalizedShape: number | number[], options: LayerNormOptions = {}) {
    super();
    checkOptionsObject('LayerNorm', options, { eps: checkedByOwner, elementwiseAffine: boolean });
    const { eps = 1e-5, elementwiseAffine = true } = options;
    if (typeof eps !== 'number' || !(eps >= 0) || !Number.isFinite(eps)) throw new Error(`LayerNorm: eps must be a finite number ≥ 0, got ${String(eps)}`);
    this.normalizedShape = normalizedShapeOf('LayerNorm', normalizedShape);
    this.eps = eps;
    this.elementwiseAffine = elementwiseAffine;
    this.weight = this.registerParameter('weight', elementwiseAffine ? ones(this.normalizedShape.slice()) : null);
    this.bias = this.registerParameter('bias', elementwiseAffine ? zeros(this.normalizedShape.slice()) : null);
  }

  forward(x: Tensor): Tensor {
    const shape = this.normalizedShape;
    checkLayerInput('LayerNorm', x, `input with trailing shape ${formatShape(shape)}`);
    const trailing = x.shape.slice(Math.max(0, x.ndim - shape.length));
    if (x.ndim < shape.length || trailing.some((d, i) => d !== shape[i])) {
      throw new Error(`LayerNorm: expected input with trailing shape ${formatShape(shape)}, got ${formatShape(x.shape)}`);
    }
    return layerNorm(x, shape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${formatShape(this.normalizedShape)}, eps=${this.eps}, elementwiseAffine=${this.elementwiseAffine}`;
  }
}
