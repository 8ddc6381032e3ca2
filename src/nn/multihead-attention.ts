/**
 * nn.MultiheadAttention (torch.nn.MultiheadAttention): the in-projection inProjWeight [3E, E] (+ inProjBias
 * [3E]) gives q, k and v, numHeads heads attend (scaled dot-product, 1/√headDim), and outProj (a Linear)
 * mixes the heads' concatenated outputs. PyTorch's parameter names and initialization: xavier-uniform
 * inProjWeight, zero biases, outProj.weight as any Linear.
 *
 * Without needWeights the heads run in the fused attention op straight on the projection's output (the
 * packed [.., 3E] of self-attention, read through views: no reshapes, no copies), its output already in
 * the [.., E] layout outProj takes. With needWeights (the default, as PyTorch's) the same attention is
 * composed from ops so that the returned weights are part of the graph.
 *
 * Masks (see ops/attention-mask.ts): a Tensor is added to the scores; nested booleans mean true = NOT
 * allowed (MultiheadAttention's convention, the opposite of scaledDotProductAttention's).
 */
import { Tensor } from '../tensor.js';
import { empty, zeros } from '../creation.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { Module } from './module.js';
import { Linear } from './linear.js';
import { xavierUniform } from './init.js';
import { linear } from '../ops/linear.js';
import { narrow } from '../ops/narrow.js';
import { reshape } from '../ops/reshape.js';
import { permute } from '../ops/permute.js';
import { mean } from '../ops/mean.js';
import { formatShape } from '../shape.js';
import type { AttentionView } from '../backend/backend.js';
import { boolean, checkOptionsObject, checkedByOwner, inRange } from '../optim/options.js';
import { additiveMask, causalMask, combineMasks, type AdditiveMask, type AttentionMask } from '../ops/attention-mask.js';
import { composedAttention, fusedAttention, type AttentionOperand } from '../ops/scaled-dot-product-attention.js';
import { checkLayerInput } from './checks.js';

export interface MultiheadAttentionOptions {
  /** inProjBias and outProj.bias (default true). */
  bias?: boolean;
  /** Inputs and output [N, L, E] instead of [L, N, E] (default false). */
  batchFirst?: boolean;
  /** Dropout on the attention weights in training (default 0). */
  dropout?: number;
}

export interface MultiheadAttentionForwardOptions {
  /** [L, S] or [N·numHeads, L, S]: a Tensor is added to the scores, booleans true = not allowed. */
  attnMask?: AttentionMask | null;
  /** [N, S] ([S] unbatched): a Tensor is added to the scores, booleans true = key ignored (padding). */
  keyPaddingMask?: AttentionMask | null;
  /** Also return the attention weights (default true, as PyTorch). */
  needWeights?: boolean;
  /** Row i attends to positions j ≤ i. With an attnMask it is a hint that the mask is causal: the mask is used. */
  isCausal?: boolean;
  /** Weights averaged over the heads [N, L, S] (default true), else per head [N, numHeads, L, S]. */
  averageAttnWeights?: boolean;
}

/** Where an operand is: the projection tensor holding it and its first column there. */
interface Projected {
  input: number;
  column: number;
}

export class MultiheadAttention extends Module {
  readonly embedDim: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly batchFirst: boolean;
  /** The attention weights' dropout probability (in training). */
  readonly dropout: number;
  inProjWeight: Tensor;
  inProjBias: Tensor | null;
  outProj: Linear;

  constructor(embedDim: number, numHeads: number, options: MultiheadAttentionOptions = {}) {
    super();
    checkOptionsObject('MultiheadAttention', options, { bias: boolean, batchFirst: boolean, dropout: inRange(0, 1) });
    for (const [name, v] of [['embedDim', embedDim], ['numHeads', numHeads]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new Error(`MultiheadAttention: ${name} must be a positive integer, got ${String(v)}`);
    }
    if (embedDim % numHeads !== 0) throw new Error(`MultiheadAttention: embedDim ${embedDim} must be divisible by numHeads ${numHeads}`);
    const { bias = true, batchFirst = false, dropout = 0 } = options;
    this.embedDim = embedDim;
    this.numHeads = numHeads;
    this.headDim = embedDim / numHeads;
    this.batchFirst = batchFirst;
    this.dropout = dropout;
    this.inProjWeight = this.registerParameter('inProjWeight', xavierUniform(empty([3 * embedDim, embedDim])));
    this.inProjBias = this.registerParameter('inProjBias', bias ? zeros([3 * embedDim]) : null);
    this.outProj = this.registerModule('outProj', new Linear(embedDim, embedDim, { bias }));
    this.outProj.bias?.data.fill(0);
  }

  private get label(): string {
    return `MultiheadAttention(${this.embedDim}, ${this.numHeads})`;
  }

  /**
   * query [L, N, E], key and value [S, N, E] ([N, L, E] and [N, S, E] with batchFirst; [L, E] and [S, E]
   * unbatched) → [output (query's shape), weights [N, L, S] (averaged) or [N, numHeads, L, S], or null].
   */
  forward(query: Tensor, key: Tensor, value: Tensor, options: MultiheadAttentionForwardOptions = {}): [Tensor, Tensor | null] {
    const label = this.label;
    checkOptionsObject(`${label}.forward`, options, {
      attnMask: checkedByOwner, keyPaddingMask: checkedByOwner, needWeights: boolean, isCausal: boolean, averageAttnWeights: boolean,
    });
    const { attnMask = null, keyPaddingMask = null, needWeights = true, isCausal = false, averageAttnWeights = true } = options;
    const E = this.embedDim;
    const H = this.numHeads;
    const expected = `${this.batchFirst ? '[N, L, E]' : '[L, N, E]'} or unbatched [L, E] with E = ${E}`;
    checkLayerInput(label, query, `query ${expected}`, (t) => (t.ndim === 3 || t.ndim === 2) && t.shape[t.ndim - 1] === E);
    checkLayerInput(label, key, `key of query's rank ${query.ndim} with last dimension ${E}`, (t) => t.ndim === query.ndim && t.shape[t.ndim - 1] === E);
    checkLayerInput(label, value, `value of key's shape ${formatShape(key.shape)}`, (t) => t.ndim === key.ndim && t.shape.every((d, i) => d === key.shape[i]));
    const batched = query.ndim === 3;
    const seqAxis = batched && this.batchFirst ? 1 : 0;
    const L = query.shape[seqAxis];
    const S = key.shape[seqAxis];
    const N = batched ? query.shape[1 - seqAxis] : 1;
    if (batched && key.shape[1 - seqAxis] !== N) {
      throw new Error(`${label}: query ${formatShape(query.shape)} and key ${formatShape(key.shape)} must have the same batch size (dimension ${1 - seqAxis})`);
    }

    // The masks as additive parts broadcasting to [N, H, L, S].
    const parts: { name: string; mask: AdditiveMask }[] = [];
    if (attnMask !== null) {
      const m = additiveMask(label, 'attnMask', attnMask, 'block');
      const heads = batched ? N * H : H;
      if (m.shape.length === 3 && m.shape[0] === heads && m.shape[1] === L && m.shape[2] === S) {
        parts.push({ name: 'attnMask', mask: { ...m, shape: [N, H, L, S] } });
      } else if (m.shape.length === 2 && m.shape[0] === L && m.shape[1] === S) {
        parts.push({ name: 'attnMask', mask: m });
      } else {
        throw new Error(`${label}: attnMask of shape ${formatShape(m.shape)} must be [L, S] = ${formatShape([L, S])} or ${batched ? '[N·numHeads, L, S]' : '[numHeads, L, S]'} = ${formatShape([heads, L, S])}`);
      }
    }
    if (keyPaddingMask !== null) {
      const m = additiveMask(label, 'keyPaddingMask', keyPaddingMask, 'block');
      const want = batched ? [N, S] : [S];
      if (m.shape.length !== want.length || m.shape.some((d, i) => d !== want[i])) {
        throw new Error(`${label}: keyPaddingMask of shape ${formatShape(m.shape)} must be ${batched ? '[N, S]' : '[S]'} = ${formatShape(want)}`);
      }
      parts.push({ name: 'keyPaddingMask', mask: { ...m, shape: [N, 1, 1, S] } });
    }
    const causal = isCausal && attnMask === null;
    const maskNeedsGrad = isGradEnabled() && parts.some((p) => p.mask.tensor?.requiresGrad);
    const dropoutP = this.training ? this.dropout : 0;
    const scale = 1 / Math.sqrt(this.headDim);
    const { inputs, q, k, v } = this.project(query, key, value);

    if (!needWeights && !maskNeedsGrad) {
      // The causal triangle goes to the kernel as a flag, unless other masks are added to it anyway.
      const withCausal = causal && parts.length > 0 ? [...parts, { name: 'isCausal', mask: causalMask(L, S) }] : parts;
      const rows = (p: Projected) => (p === q ? L : S);
      const operand = (p: Projected): AttentionOperand => {
        const t = inputs[p.input];
        return { input: p.input, view: this.view(t.shape[t.ndim - 1], p.column, rows(p), N, batched) };
      };
      const outShape = query.shape.slice();
      const attended = fusedAttention({
        inputs, q: operand(q), k: operand(k), v: operand(v),
        batch: N, heads: H, targetLength: L, sourceLength: S, headDim: this.headDim, valueDim: this.headDim, scale,
        causal: causal && parts.length === 0,
        mask: combineMasks(label, withCausal, [N, H], L, S),
        dropoutP, outShape,
        outView: this.view(E, 0, L, N, batched),
      });
      return [this.outProj.forward(attended), null];
    }

    const maskTensors = parts.map(({ mask }) => (mask.tensor !== null ? reshape(mask.tensor, mask.shape) : new Tensor(mask.values, mask.shape)));
    const heads = (p: Projected, rows: number) => this.splitHeads(narrow(inputs[p.input], -1, p.column, E), rows, N, batched);
    const { out, weights } = composedAttention(heads(q, L), heads(k, S), heads(v, S), maskTensors, causal, scale, dropoutP);
    // [N, H, L, hd] → the query's layout [L, N, E] / [N, L, E] / [L, E]
    const merged = reshape(permute(out, this.batchFirst && batched ? [0, 2, 1, 3] : [2, 0, 1, 3]), query.shape.slice());
    const output = this.outProj.forward(merged);
    if (!needWeights) return [output, null];
    let w = averageAttnWeights ? mean(weights, 1) : weights;
    if (!batched) w = reshape(w, w.shape.slice(1));
    return [output, w];
  }

  /** q, k and v from the in-projection: one product [.., 3E] for self-attention, [.., E] and [.., 2E] when key is value. */
  private project(query: Tensor, key: Tensor, value: Tensor): { inputs: Tensor[]; q: Projected; k: Projected; v: Projected } {
    const E = this.embedDim;
    const w = this.inProjWeight;
    const b = this.inProjBias;
    const part = (start: number, rows: number) => [narrow(w, 0, start, rows), b === null ? null : narrow(b, 0, start, rows)] as const;
    if (query === key && key === value) {
      return { inputs: [linear(query, w, b)], q: { input: 0, column: 0 }, k: { input: 0, column: E }, v: { input: 0, column: 2 * E } };
    }
    const q = linear(query, ...part(0, E));
    if (key === value) return { inputs: [q, linear(key, ...part(E, 2 * E))], q: { input: 0, column: 0 }, k: { input: 1, column: 0 }, v: { input: 1, column: E } };
    return {
      inputs: [q, linear(key, ...part(E, E)), linear(value, ...part(2 * E, E))],
      q: { input: 0, column: 0 }, k: { input: 1, column: 0 }, v: { input: 2, column: 0 },
    };
  }

  /** The heads of a [rows, N, width] ([N, rows, width] batchFirst, [rows, width] unbatched) tensor, from `column`. */
  private view(width: number, column: number, rows: number, n: number, batched: boolean): AttentionView {
    const batchFirst = this.batchFirst && batched;
    return {
      offset: column,
      batchStride: batchFirst ? rows * width : width,
      headStride: this.headDim,
      rowStride: batchFirst ? width : n * width,
    };
  }

  /** [rows, N, E] ([N, rows, E], [rows, E]) → [N, H, rows, headDim], contiguous. */
  private splitHeads(t: Tensor, rows: number, n: number, batched: boolean): Tensor {
    const [H, d] = [this.numHeads, this.headDim];
    if (this.batchFirst && batched) return permute(reshape(t, [n, rows, H, d]), [0, 2, 1, 3]);
    return permute(reshape(t, [rows, n, H, d]), [1, 2, 0, 3]);
  }

  override extraRepr(): string {
    return `embedDim=${this.embedDim}, numHeads=${this.numHeads}, dropout=${this.dropout}, bias=${this.inProjBias !== null}, batchFirst=${this.batchFirst}`;
  }
}
