/**
 * Scaled dot-product attention, softmax(q·kᵀ·scale + mask)·v (torch.nn.functional.scaled_dot_product_attention),
 * as one op over the backends' fused `attention` kernels: no score matrix is kept besides the probabilities
 * P the backward needs (one [L, S] per batch item and head), and the softmax runs in the same pass as the
 * scores. `fusedAttention` is the op itself: its operands are views into its inputs (AttentionView), so
 * MultiheadAttention hands it the packed q|k|v projection as it is and gets the heads' outputs already merged.
 * `composedAttention` is the same computation from separate ops (matmul, softmax, matmul), for when the
 * probabilities must be an output of the graph (MultiheadAttention's needWeights) or a float mask requires grad.
 */
import { Tensor } from '../tensor.js';
import { empty, emptyUninitialized, uninitializedFloats } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import { exclusiveGrad } from '../autograd/exclusive-grad.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import type { AttentionParams, AttentionView } from '../backend/backend.js';
import { formatShape, sameShape, sizeOf } from '../shape.js';
import { checkTensor } from './util.js';
import { matmul } from './matmul.js';
import { transpose } from './transpose.js';
import { softmax } from './softmax.js';
import { add } from './add.js';
import { mul } from './mul.js';
import { dropout, dropoutKeep } from '../nn/functional/dropout.js';
import { boolean, checkOptionsObject, checkedByOwner, inRange } from '../optim/options.js';
import { additiveMask, causalMask, combineMasks, type AttentionMask, type CombinedMask } from './attention-mask.js';

/** An operand of fusedAttention: which of its inputs holds it, and where. */
export interface AttentionOperand {
  input: number;
  view: AttentionView;
}

export interface FusedAttentionCall {
  /** The tensors the operands live in (each gets one gradient, covering its operands' views). */
  inputs: Tensor[];
  q: AttentionOperand;
  k: AttentionOperand;
  v: AttentionOperand;
  batch: number;
  heads: number;
  targetLength: number;
  sourceLength: number;
  headDim: number;
  valueDim: number;
  scale: number;
  causal: boolean;
  mask: CombinedMask | null;
  /** Dropout on the probabilities (0: none). */
  dropoutP: number;
  outShape: number[];
  /** Where the output [batch, heads, L, valueDim] blocks go in an array of outShape. */
  outView: AttentionView;
}

/** The view [batch, heads, rows, cols] of a contiguous array of that shape. */
export function contiguousView(heads: number, rows: number, cols: number): AttentionView {
  return { offset: 0, batchStride: heads * rows * cols, headStride: rows * cols, rowStride: cols };
}

/** Elements of input `input` that the operands' views hold (the views are disjoint, so their sum is what they cover). */
function covered(call: FusedAttentionCall, input: number): number {
  const { batch, heads, targetLength: L, sourceLength: S, headDim: E, valueDim: Ev } = call;
  let n = 0;
  if (call.q.input === input) n += L * E;
  if (call.k.input === input) n += S * E;
  if (call.v.input === input) n += S * Ev;
  return n * batch * heads;
}

/** The attention op: one graph node `scaledDotProductAttention` over the fused kernels. */
export function fusedAttention(call: FusedAttentionCall): Tensor {
  const be = backend();
  const { inputs, batch, heads, targetLength: L, sourceLength: S, mask } = call;
  const params: AttentionParams = {
    batch, heads, targetLength: L, sourceLength: S, headDim: call.headDim, valueDim: call.valueDim,
    scale: call.scale, causal: call.causal, dropoutP: call.dropoutP, q: call.q.view, k: call.k.view, v: call.v.view, out: call.outView,
  };
  const [q, k, v] = [call.q, call.k, call.v].map((o) => inputs[o.input].data);
  const items = batch * heads * L * S;
  const keep = call.dropoutP > 0 ? dropoutKeep(items, call.dropoutP) : null;
  // the kernel writes only the output's view: a view that does not cover the output leaves zeros elsewhere
  const out = batch * heads * L * call.valueDim === sizeOf(call.outShape) ? emptyUninitialized(call.outShape) : empty(call.outShape);
  const probs = uninitializedFloats(items);
  be.attention(q, k, v, params, mask?.data ?? null, mask?.index ?? null, keep, out.data, probs);

  return record('scaledDotProductAttention', out, inputs, (g) => {
    const grads = inputs.map((t, i) => {
      if (!t.requiresGrad) return null;
      return covered(call, i) === t.size ? emptyUninitialized(t.shape.slice()) : empty(t.shape.slice());
    });
    const slot = (o: AttentionOperand) => grads[o.input]?.data ?? null;
    be.attentionBackward(q, k, v, params, probs, keep, out.data, g.data, slot(call.q), slot(call.k), slot(call.v));
    return grads.map((t) => exclusiveGrad(t));
  }, { heads, scale: call.scale, causal: call.causal, dropoutP: call.dropoutP });
}

/**
 * The same attention from separate ops on contiguous q [..., L, E], k [..., S, E], v [..., S, Ev]:
 * `weights` (the probabilities, after dropout) is part of the graph, and so is every mask part.
 */
export function composedAttention(
  q: Tensor, k: Tensor, v: Tensor, maskParts: Tensor[], causal: boolean, scale: number, dropoutP: number,
): { out: Tensor; weights: Tensor } {
  let scores = mul(matmul(q, transpose(k, -2, -1)), scale);
  for (const part of maskParts) scores = add(scores, part);
  if (causal) {
    const c = causalMask(q.shape[q.ndim - 2], k.shape[k.ndim - 2]);
    scores = add(scores, new Tensor(c.values, c.shape));
  }
  let weights = softmax(scores, -1);
  if (dropoutP > 0) weights = dropout(weights, dropoutP, true);
  return { out: matmul(weights, v), weights };
}

export interface ScaledDotProductAttentionOptions {
  /**
   * Broadcasts to [..., L, S]: a Tensor is added to the scores (−Infinity blocks); nested arrays of
   * booleans say which positions take part (true) — SDPA's convention, the opposite of MultiheadAttention's.
   */
  attnMask?: AttentionMask | null;
  /** Dropout on the attention probabilities (applied whenever > 0, as torch's function does). */
  dropoutP?: number;
  /** Row i attends to columns j ≤ i (can't be combined with attnMask). */
  isCausal?: boolean;
  /** The factor of q·kᵀ; default 1/√E. */
  scale?: number | null;
}

const OP = 'scaledDotProductAttention';

/**
 * softmax(query·keyᵀ·scale + mask)·value for query [..., L, E], key [..., S, E], value [..., S, Ev] with the
 * same batch dimensions → [..., L, Ev] (torch.nn.functional.scaled_dot_product_attention, torch 2.x semantics).
 */
export function scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, options: ScaledDotProductAttentionOptions = {}): Tensor {
  checkTensor(OP, query, 'query');
  checkTensor(OP, key, 'key');
  checkTensor(OP, value, 'value');
  checkOptionsObject(OP, options, {
    attnMask: checkedByOwner, dropoutP: inRange(0, 1), isCausal: boolean,
    scale: (owner, option, v) => { if (v !== null) inRange(-Infinity, Infinity)(owner, option, v); },
  });
  const { attnMask = null, dropoutP = 0, isCausal = false } = options;
  for (const [name, t] of [['query', query], ['key', key], ['value', value]] as const) {
    if (t.ndim < 2) throw new Error(`${OP}: ${name} must have at least 2 dimensions [..., length, features], got shape ${formatShape(t.shape)}`);
  }
  const batchShape = query.shape.slice(0, -2);
  if (!sameShape(key.shape.slice(0, -2), batchShape) || !sameShape(value.shape.slice(0, -2), batchShape)) {
    throw new Error(`${OP}: query ${formatShape(query.shape)}, key ${formatShape(key.shape)} and value ${formatShape(value.shape)} must have the same batch dimensions (all but the last two)`);
  }
  const [L, E] = query.shape.slice(-2);
  const [S, Ek] = key.shape.slice(-2);
  const [Sv, Ev] = value.shape.slice(-2);
  if (Ek !== E) throw new Error(`${OP}: key's last dimension ${Ek} must equal query's ${E} (shapes ${formatShape(query.shape)} and ${formatShape(key.shape)})`);
  if (Sv !== S) throw new Error(`${OP}: value's length ${Sv} must equal key's ${S} (shapes ${formatShape(key.shape)} and ${formatShape(value.shape)})`);
  if (isCausal && attnMask !== null) throw new Error(`${OP}: attnMask can't be given with isCausal: true (the causal mask is the attention mask)`);
  const scale = options.scale ?? 1 / Math.sqrt(E);
  const mask = attnMask === null ? null : additiveMask(OP, 'attnMask', attnMask, 'attend');

  if (mask?.tensor?.requiresGrad && isGradEnabled()) {
    return composedAttention(query, key, value, [mask.tensor], false, scale, dropoutP).out;
  }
  const batch = sizeOf(batchShape);
  return fusedAttention({
    inputs: [query, key, value],
    q: { input: 0, view: contiguousView(1, L, E) },
    k: { input: 1, view: contiguousView(1, S, E) },
    v: { input: 2, view: contiguousView(1, S, Ev) },
    batch, heads: 1, targetLength: L, sourceLength: S, headDim: E, valueDim: Ev, scale, causal: isCausal,
    mask: mask === null ? null : combineMasks(OP, [{ name: 'attnMask', mask }], batchShape, L, S),
    dropoutP,
    outShape: [...batchShape, L, Ev],
    outView: contiguousView(1, L, Ev),
  });
}
