/**
 * nn.TransformerEncoderLayer and nn.TransformerEncoder (torch.nn's): self-attention then a feed-forward
 * block, each with a residual connection and a LayerNorm, after the block (post-norm, PyTorch's default) or
 * before it (normFirst, as GPT-2). PyTorch's submodule names (selfAttn, linear1, dropout, linear2, norm1,
 * norm2, dropout1, dropout2; `layers.0.…` in the encoder), so state dicts map by name.
 */
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { Linear } from './linear.js';
import { Dropout } from './dropout.js';
import { LayerNorm } from './layer-norm.js';
import { Sequential } from './sequential.js';
import { MultiheadAttention } from './multihead-attention.js';
import { gelu } from '../ops/gelu.js';
import { relu } from '../ops/relu.js';
import { add } from '../ops/add.js';
import type { AttentionMask } from '../ops/attention-mask.js';
import { boolean, checkOptionsObject, checkedByOwner, inRange, integerAtLeast, nonNegative, oneOf } from '../optim/options.js';

export type TransformerActivation = 'relu' | 'gelu';

export interface TransformerEncoderLayerOptions {
  /** Width of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout of the attention weights, after attention, inside and after the feed-forward block (default 0.1). */
  dropout?: number;
  activation?: TransformerActivation;
  layerNormEps?: number;
  /** Inputs [N, L, dModel] instead of [L, N, dModel] (default false). */
  batchFirst?: boolean;
  /** LayerNorm before each block instead of after the residual sum (default false). */
  normFirst?: boolean;
}

export interface TransformerEncoderLayerForwardOptions {
  /** [L, L] or [N·nhead, L, L]: a Tensor is added to the scores, booleans true = not allowed (MultiheadAttention's masks). */
  srcMask?: AttentionMask | null;
  /** [N, L]: true (or −Infinity) = a padding position no query attends to. */
  srcKeyPaddingMask?: AttentionMask | null;
  /** Position i attends to positions ≤ i only (a hint that srcMask is causal when one is given). */
  isCausal?: boolean;
}

export class TransformerEncoderLayer extends Module {
  readonly dModel: number;
  readonly nhead: number;
  readonly dimFeedforward: number;
  readonly dropoutP: number;
  readonly activation: TransformerActivation;
  readonly layerNormEps: number;
  readonly batchFirst: boolean;
  readonly normFirst: boolean;
  selfAttn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  norm1: LayerNorm;
  norm2: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;

  constructor(dModel: number, nhead: number, options: TransformerEncoderLayerOptions = {}) {
    super();
    checkOptionsObject('TransformerEncoderLayer', options, {
      dimFeedforward: integerAtLeast(1), dropout: inRange(0, 1), activation: oneOf('relu', 'gelu'), layerNormEps: nonNegative,
      batchFirst: boolean, normFirst: boolean,
    });
    const { dimFeedforward = 2048, dropout = 0.1, activation = 'relu', layerNormEps = 1e-5, batchFirst = false, normFirst = false } = options;
    this.dModel = dModel;
    this.nhead = nhead;
    this.dimFeedforward = dimFeedforward;
    this.dropoutP = dropout;
    this.activation = activation;
    this.layerNormEps = layerNormEps;
    this.batchFirst = batchFirst;
    this.normFirst = normFirst;
    this.selfAttn = this.registerModule('selfAttn', new MultiheadAttention(dModel, nhead, { dropout, batchFirst }));
    this.linear1 = this.registerModule('linear1', new Linear(dModel, dimFeedforward));
    this.dropout = this.registerModule('dropout', new Dropout(dropout));
    this.linear2 = this.registerModule('linear2', new Linear(dimFeedforward, dModel));
    this.norm1 = this.registerModule('norm1', new LayerNorm(dModel, { eps: layerNormEps }));
    this.norm2 = this.registerModule('norm2', new LayerNorm(dModel, { eps: layerNormEps }));
    this.dropout1 = this.registerModule('dropout1', new Dropout(dropout));
    this.dropout2 = this.registerModule('dropout2', new Dropout(dropout));
  }

  /** src [L, N, dModel] ([N, L, dModel] batchFirst, [L, dModel] unbatched) → the same shape. */
  forward(src: Tensor, options: TransformerEncoderLayerForwardOptions = {}): Tensor {
    checkOptionsObject('TransformerEncoderLayer.forward', options, { srcMask: checkedByOwner, srcKeyPaddingMask: checkedByOwner, isCausal: boolean });
    const { srcMask = null, srcKeyPaddingMask = null, isCausal = false } = options;
    const attention = (x: Tensor) => {
      const [out] = this.selfAttn.forward(x, x, x, { attnMask: srcMask, keyPaddingMask: srcKeyPaddingMask, needWeights: false, isCausal });
      return this.dropout1.forward(out);
    };
    const feedForward = (x: Tensor) => {
      const hidden = this.linear1.forward(x);
      const activated = this.activation === 'gelu' ? gelu(hidden) : relu(hidden);
      return this.dropout2.forward(this.linear2.forward(this.dropout.forward(activated)));
    };
    if (this.normFirst) {
      const x = add(src, attention(this.norm1.forward(src)));
      return add(x, feedForward(this.norm2.forward(x)));
    }
    const x = this.norm1.forward(add(src, attention(src)));
    return this.norm2.forward(add(x, feedForward(x)));
  }

  /** A layer with the same options and a copy of this one's weights (what PyTorch's deepcopy gives TransformerEncoder). */
  copy(): TransformerEncoderLayer {
    const layer = new TransformerEncoderLayer(this.dModel, this.nhead, this.options());
    layer.loadStateDict(this.stateDict());
    layer.train(this.training);
    return layer;
  }

  /** The constructor's options (for copies and model files). */
  options(): Required<TransformerEncoderLayerOptions> {
    return {
      dimFeedforward: this.dimFeedforward, dropout: this.dropoutP, activation: this.activation, layerNormEps: this.layerNormEps,
      batchFirst: this.batchFirst, normFirst: this.normFirst,
    };
  }

  override extraRepr(): string {
    return `dModel=${this.dModel}, nhead=${this.nhead}, dimFeedforward=${this.dimFeedforward}, activation='${this.activation}', normFirst=${this.normFirst}`;
  }
}

export interface TransformerEncoderOptions {
  /** A final LayerNorm after the last layer (default none). */
  norm?: LayerNorm | null;
}

export interface TransformerEncoderForwardOptions {
  /** Every layer's srcMask. */
  mask?: AttentionMask | null;
  srcKeyPaddingMask?: AttentionMask | null;
  isCausal?: boolean;
}

/** numLayers copies of encoderLayer (each with the given layer's weights, as PyTorch's deepcopy), then `norm`. */
export class TransformerEncoder extends Module {
  readonly numLayers: number;
  layers: Sequential;
  norm: LayerNorm | null;

  constructor(encoderLayer: TransformerEncoderLayer, numLayers: number, options: TransformerEncoderOptions = {}) {
    super();
    checkOptionsObject('TransformerEncoder', options, { norm: checkedByOwner });
    if (!(encoderLayer instanceof TransformerEncoderLayer)) throw new Error(`TransformerEncoder: encoderLayer must be a TransformerEncoderLayer, got ${encoderLayer === null ? 'null' : typeof encoderLayer}`);
    integerAtLeast(1)('TransformerEncoder', 'numLayers', numLayers);
    const { norm = null } = options;
    if (norm !== null && !(norm instanceof LayerNorm)) throw new Error('TransformerEncoder: norm must be a LayerNorm or null');
    this.numLayers = numLayers;
    this.layers = this.registerModule('layers', new Sequential(...Array.from({ length: numLayers }, () => encoderLayer.copy())));
    this.norm = this.registerModule('norm', norm);
  }

  /** src as the layers take it → the same shape. */
  forward(src: Tensor, options: TransformerEncoderForwardOptions = {}): Tensor {
    checkOptionsObject('TransformerEncoder.forward', options, { mask: checkedByOwner, srcKeyPaddingMask: checkedByOwner, isCausal: boolean });
    const { mask = null, srcKeyPaddingMask = null, isCausal = false } = options;
    let x = src;
    for (const layer of this.layers.children() as TransformerEncoderLayer[]) x = layer.forward(x, { srcMask: mask, srcKeyPaddingMask, isCausal });
    return this.norm === null ? x : this.norm.forward(x);
  }

  override extraRepr(): string {
    return `numLayers=${this.numLayers}`;
  }
}
