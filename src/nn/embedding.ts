/**
 * Embedding and EmbeddingBag (torch.nn.Embedding, torch.nn.EmbeddingBag): a table of numEmbeddings
 * rows of size embeddingDim, N(0, 1) at first (the paddingIdx row zeros), looked up by integer ids.
 * With `sparse: true` the weight's gradient is a SparseGrad of the rows a step touched: SGD without
 * momentum, Adagrad, FTRL and SparseAdam update only those rows (the other optimizers refuse it).
 */
import { Tensor } from '../tensor.js';
import { longLivedFloats } from '../long-lived-floats.js';
import { normal } from './init.js';
import { formatShape } from '../shape.js';
import { Module } from './module.js';
import { boolean, checkOptionsObject, checkedByOwner, oneOf } from '../optim/options.js';
import { embedding } from '../ops/embedding.js';
import { embeddingBag } from '../ops/embedding-bag.js';
import { idsShape, toIds, toOffsets, type Ids } from '../ops/embedding-ids.js';
import type { EmbeddingBagMode } from '../backend/backend.js';

export interface EmbeddingOptions {
  /** A row that stays zero at initialization and never gets a gradient (negative counts from the end). */
  paddingIdx?: number | null;
  /** The weight's gradient as a SparseGrad of the touched rows (default false). */
  sparse?: boolean;
}

export interface EmbeddingBagOptions extends EmbeddingOptions {
  /** How a bag's rows combine: 'mean' (default) or 'sum'. */
  mode?: EmbeddingBagMode;
}

function checkSizes(owner: string, numEmbeddings: number, embeddingDim: number): void {
  for (const [name, v] of [['numEmbeddings', numEmbeddings], ['embeddingDim', embeddingDim]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new Error(`${owner}: ${name} must be a positive integer, got ${String(v)}`);
  }
  if (numEmbeddings * embeddingDim > 2 ** 31 - 1) {
    throw new Error(`${owner}: numEmbeddings × embeddingDim = ${numEmbeddings * embeddingDim} is more than a Float32Array holds here (2^31 − 1)`);
  }
}

/** paddingIdx normalized to [0, num) as PyTorch (−1 is the last row), or −1 for none. */
function normalizePadding(owner: string, paddingIdx: number | null | undefined, num: number): number {
  if (paddingIdx === undefined || paddingIdx === null) return -1;
  if (!Number.isInteger(paddingIdx) || paddingIdx < -num || paddingIdx >= num) {
    throw new Error(`${owner}: paddingIdx must be an integer in [${-num}, ${num}) (negative counts from the end), got ${String(paddingIdx)}`);
  }
  return paddingIdx < 0 ? paddingIdx + num : paddingIdx;
}

abstract class EmbeddingBase extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  /** In [0, numEmbeddings), or null. */
  readonly paddingIdx: number | null;
  readonly sparse: boolean;
  weight: Tensor;

  constructor(type: string, numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions) {
    super();
    checkSizes(type, numEmbeddings, embeddingDim);
    const { sparse = false } = options;
    const pad = normalizePadding(type, options.paddingIdx, numEmbeddings);
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = pad < 0 ? null : pad;
    this.sparse = sparse;
    // A table may be large and is written at random rows for the whole run: on 2 MB pages (longLivedFloats).
    const w = normal(new Tensor(longLivedFloats(numEmbeddings * embeddingDim), [numEmbeddings, embeddingDim]));
    if (pad >= 0) w.data.fill(0, pad * embeddingDim, (pad + 1) * embeddingDim);
    this.weight = this.registerParameter('weight', w);
  }

  /** `Embedding(1000, 8, paddingIdx: 0, sparse: true)`: how errors and sparse gradients name the layer. */
  protected label(type: string, extra: string[] = []): string {
    const parts = [`${this.numEmbeddings}`, `${this.embeddingDim}`, ...extra];
    if (this.paddingIdx !== null) parts.push(`paddingIdx: ${this.paddingIdx}`);
    if (this.sparse) parts.push('sparse: true');
    return `${type}(${parts.join(', ')})`;
  }

  override extraRepr(): string {
    const parts = [`${this.numEmbeddings}`, `${this.embeddingDim}`];
    if (this.paddingIdx !== null) parts.push(`paddingIdx=${this.paddingIdx}`);
    if (this.sparse) parts.push('sparse=true');
    return parts.join(', ');
  }
}

/** ids (a Tensor of integers of any shape, or a 1-D Int32Array) → [...ids.shape, embeddingDim]. */
export class Embedding extends EmbeddingBase {
  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    checkOptionsObject('Embedding', options, { paddingIdx: checkedByOwner, sparse: boolean });
    super('Embedding', numEmbeddings, embeddingDim, options);
  }

  forward(ids: Ids): Tensor {
    const name = this.label('Embedding');
    const rows = toIds(name, ids, this.numEmbeddings);
    return embedding(this.weight, rows, { paddingIdx: this.paddingIdx ?? -1, sparse: this.sparse, idsShape: idsShape(ids), origin: name });
  }
}

/**
 * forward(ids, offsets?, perSampleWeights?) → [numBags, embeddingDim]: 1-D ids with offsets (each
 * bag's start; an empty bag gives zeros), or 2-D ids [B, L] (B bags of L) without. perSampleWeights
 * (one per id, 'sum' only) scale each row. paddingIdx ids are left out (of a mean's count too).
 */
export class EmbeddingBag extends EmbeddingBase {
  readonly mode: EmbeddingBagMode;

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingBagOptions = {}) {
    checkOptionsObject('EmbeddingBag', options, { paddingIdx: checkedByOwner, sparse: boolean, mode: oneOf('sum', 'mean') });
    super('EmbeddingBag', numEmbeddings, embeddingDim, options);
    this.mode = options.mode ?? 'mean';
  }

  forward(ids: Ids, offsets?: Tensor | Int32Array | number[] | null, perSampleWeights?: Tensor | null): Tensor {
    const name = this.label('EmbeddingBag', [`mode: '${this.mode}'`]);
    const shape = ids instanceof Tensor || ids instanceof Int32Array ? idsShape(ids) : null;
    if (shape !== null && shape.length !== 1 && shape.length !== 2) {
      throw new Error(`${name}: ids must be 1-D (with offsets) or 2-D [bags, ids per bag], got shape ${formatShape(shape)}`);
    }
    const rows = toIds(name, ids, this.numEmbeddings);
    let bounds: Int32Array;
    if (shape!.length === 2) {
      if (offsets !== undefined && offsets !== null) throw new Error(`${name}: offsets must be left out for 2-D ids ${formatShape(shape!)} (each row is a bag)`);
      const [b, l] = shape!;
      bounds = new Int32Array(b + 1);
      for (let i = 0; i <= b; i++) bounds[i] = i * l;
    } else {
      if (offsets === undefined || offsets === null) throw new Error(`${name}: 1-D ids need offsets (the start of each bag), or pass 2-D ids [bags, ids per bag]`);
      bounds = toOffsets(name, offsets, rows.length);
    }
    if (perSampleWeights !== undefined && perSampleWeights !== null) {
      if (this.mode !== 'sum') throw new Error(`${name}: perSampleWeights are only supported with mode 'sum' (as PyTorch), got mode '${this.mode}'`);
      if (!(perSampleWeights instanceof Tensor) || perSampleWeights.size !== rows.length || perSampleWeights.ndim !== shape!.length) {
        const got = perSampleWeights instanceof Tensor ? `shape ${formatShape(perSampleWeights.shape)}` : typeof perSampleWeights;
        throw new Error(`${name}: perSampleWeights must be a Tensor of the ids' shape ${formatShape(shape!)}, got ${got}`);
      }
    }
    return embeddingBag(this.weight, rows, bounds, {
      mode: this.mode, perSampleWeights: perSampleWeights ?? null, paddingIdx: this.paddingIdx ?? -1, sparse: this.sparse, origin: name,
    });
  }

  override extraRepr(): string {
    return `${super.extraRepr()}, mode='${this.mode}'`;
  }
}
