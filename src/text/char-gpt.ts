/**
 * CharGPT: a small decoder-only transformer over characters (what `nabla train --model gpt` trains and the
 * benchmark's `gpt` workload measures). Token embedding + learned position embedding → `layers` pre-norm
 * TransformerEncoderLayers (GELU, feed-forward 4·width, batch first) under a causal mask → LayerNorm →
 * Linear to the vocabulary. PyTorch's default initialization everywhere, so the same model built from
 * torch.nn (nn.TransformerEncoder(norm_first=True, activation='gelu', batch_first=True) with a causal mask)
 * has the same parameters under the same names in snake_case (vocab 85, context 64, width 128, 4 layers of
 * 4 heads: 823,381).
 */
import { Tensor } from '../tensor.js';
import { Module } from '../nn/module.js';
import { Embedding } from '../nn/embedding.js';
import { Linear } from '../nn/linear.js';
import { LayerNorm } from '../nn/layer-norm.js';
import { TransformerEncoder, TransformerEncoderLayer } from '../nn/transformer-encoder.js';
import { add } from '../ops/add.js';
import { formatShape } from '../shape.js';
import { checkOptionsObject, inRange, integerAtLeast } from '../optim/options.js';

export interface CharGPTOptions {
  /** The longest sequence (positions with an embedding). */
  context: number;
  /** The model's width (embeddings, attention, residual stream). */
  width: number;
  layers: number;
  /** Attention heads per layer (width must be divisible by it). */
  heads: number;
  /** Dropout in every layer (attention weights, after attention, in and after the feed-forward block); default 0.1, PyTorch's. */
  dropout?: number;
}

export class CharGPT extends Module {
  readonly vocabSize: number;
  readonly context: number;
  readonly width: number;
  readonly numLayers: number;
  readonly heads: number;
  readonly dropout: number;
  tokenEmbedding: Embedding;
  positionEmbedding: Embedding;
  encoder: TransformerEncoder;
  norm: LayerNorm;
  head: Linear;
  /** 0, 1, …, context − 1: the position ids. */
  private readonly positions: Int32Array;

  constructor(vocabSize: number, options: CharGPTOptions) {
    super();
    integerAtLeast(1)('CharGPT', 'vocabSize', vocabSize);
    checkOptionsObject('CharGPT', options, {
      context: integerAtLeast(1), width: integerAtLeast(1), layers: integerAtLeast(1), heads: integerAtLeast(1), dropout: inRange(0, 1),
    });
    for (const name of ['context', 'width', 'layers', 'heads'] as const) {
      if (options[name] === undefined) throw new Error(`CharGPT: ${name} is required`);
    }
    const { context, width, layers, heads, dropout = 0.1 } = options;
    if (width % heads !== 0) throw new Error(`CharGPT: width ${width} must be divisible by heads ${heads}`);
    this.vocabSize = vocabSize;
    this.context = context;
    this.width = width;
    this.numLayers = layers;
    this.heads = heads;
    this.dropout = dropout;
    this.positions = Int32Array.from({ length: context }, (_, i) => i);
    this.tokenEmbedding = this.registerModule('tokenEmbedding', new Embedding(vocabSize, width));
    this.positionEmbedding = this.registerModule('positionEmbedding', new Embedding(context, width));
    const layer = new TransformerEncoderLayer(width, heads, { dimFeedforward: 4 * width, dropout, activation: 'gelu', batchFirst: true, normFirst: true });
    this.encoder = this.registerModule('encoder', new TransformerEncoder(layer, layers));
    this.norm = this.registerModule('norm', new LayerNorm(width));
    this.head = this.registerModule('head', new Linear(width, vocabSize));
  }

  /** ids [B, T] (integer ids stored as floats, T ≤ context) → logits [B, T, vocabSize] of each next character. */
  forward(ids: Tensor): Tensor {
    if (!(ids instanceof Tensor) || ids.ndim !== 2 || ids.shape[1] < 1 || ids.shape[1] > this.context) {
      const got = ids instanceof Tensor ? `shape ${formatShape(ids.shape)}` : ids === null ? 'null' : typeof ids;
      throw new Error(`CharGPT: expected ids [batch, length] with 1 ≤ length ≤ context ${this.context}, got ${got}`);
    }
    const T = ids.shape[1];
    const x = add(this.tokenEmbedding.forward(ids), this.positionEmbedding.forward(this.positions.subarray(0, T)));
    return this.head.forward(this.norm.forward(this.encoder.forward(x, { isCausal: true })));
  }

  override extraRepr(): string {
    return `vocabSize=${this.vocabSize}, context=${this.context}, width=${this.width}, layers=${this.numLayers}, heads=${this.heads}, dropout=${this.dropout}`;
  }
}
