/**
 * The fused attention kernels of the js backend (the reference the native ones are tested against):
 * per (batch item, head), scores q·kᵀ·scale + mask, the row softmax in the same loop, then (P ∘ dropout)·v;
 * the backward from the kept probabilities. Sums and products in double, stored as float32. The argument
 * checks (and their messages) are the native kernels'.
 */
import type { AttentionParams, AttentionView } from '../backend.js';
import { dropoutScale } from './dropout.js';

function fail(kernel: string, message: string): never {
  throw new Error(`${kernel}: ${message}`);
}

function isSize(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 2 ** 31 - 1;
}

/** Elements a view spans for `rows` × `cols` blocks of every (batch item, head): its last index + 1 (0 when empty). */
function viewSpan(kernel: string, name: string, view: AttentionView, p: AttentionParams, rows: number, cols: number): number {
  for (const field of ['offset', 'batchStride', 'headStride', 'rowStride'] as const) {
    if (!isSize(view?.[field])) fail(kernel, `params.${name}.${field} must be an integer in [0, 2147483647], got ${String(view?.[field])}`);
  }
  if (view.rowStride < cols) fail(kernel, `params.${name}.rowStride ${view.rowStride} is less than its rows' length ${cols}`);
  if (p.batch === 0 || p.heads === 0 || rows === 0 || cols === 0) return 0;
  return view.offset + (p.batch - 1) * view.batchStride + (p.heads - 1) * view.headStride + (rows - 1) * view.rowStride + cols;
}

function checkLength(kernel: string, name: string, a: Float32Array | Int32Array | Uint8Array | null, needed: number): void {
  if (a === null) return;
  if (!ArrayBuffer.isView(a)) fail(kernel, `${name} must be a typed array`);
  if (a.length < needed) fail(kernel, `${name} has ${a.length} elements, needs at least ${needed}`);
}

/** Checks params and every array's length (as the native kernels do). */
function checkAttention(
  kernel: string, p: AttentionParams, q: Float32Array, k: Float32Array, v: Float32Array, out: Float32Array,
  probs: Float32Array, dropout: Uint8Array | null,
): void {
  for (const field of ['batch', 'heads', 'targetLength', 'sourceLength', 'headDim', 'valueDim'] as const) {
    if (!isSize(p[field])) fail(kernel, `params.${field} must be an integer in [0, 2147483647], got ${String(p[field])}`);
  }
  if (typeof p.scale !== 'number') fail(kernel, `params.scale must be a number, got ${typeof p.scale}`);
  if (typeof p.causal !== 'boolean') fail(kernel, `params.causal must be a boolean, got ${String(p.causal)}`);
  if (typeof p.dropoutP !== 'number' || !(p.dropoutP >= 0 && p.dropoutP <= 1)) fail(kernel, `params.dropoutP must be a probability in [0, 1], got ${String(p.dropoutP)}`);
  const { targetLength: L, sourceLength: S, headDim: E, valueDim: Ev } = p;
  checkLength(kernel, 'q', q, viewSpan(kernel, 'q', p.q, p, L, E));
  checkLength(kernel, 'k', k, viewSpan(kernel, 'k', p.k, p, S, E));
  checkLength(kernel, 'v', v, viewSpan(kernel, 'v', p.v, p, S, Ev));
  checkLength(kernel, 'out', out, viewSpan(kernel, 'out', p.out, p, L, Ev));
  const items = p.batch * p.heads * L * S;
  checkLength(kernel, 'probs', probs, items);
  checkLength(kernel, 'dropout', dropout, items);
}

function checkMask(kernel: string, p: AttentionParams, mask: Float32Array | null, maskIndex: Int32Array | null): void {
  if (mask === null) return;
  if (maskIndex === null) fail(kernel, 'a mask needs its maskIndex');
  const items = p.batch * p.heads;
  checkLength(kernel, 'maskIndex', maskIndex, items);
  // The mask holds matrices [L, S] up to the largest one an item reads.
  let largest = -1;
  for (let i = 0; i < items; i++) {
    if (maskIndex[i] < 0) fail(kernel, `maskIndex[${i}] is ${maskIndex[i]}, must be ≥ 0`);
    largest = Math.max(largest, maskIndex[i]);
  }
  checkLength(kernel, 'mask', mask, (largest + 1) * p.targetLength * p.sourceLength);
}

const at = (view: AttentionView, b: number, h: number) => view.offset + b * view.batchStride + h * view.headStride;

export function attention(
  q: Float32Array, k: Float32Array, v: Float32Array, p: AttentionParams,
  mask: Float32Array | null, maskIndex: Int32Array | null, dropout: Uint8Array | null,
  out: Float32Array, probs: Float32Array,
): void {
  checkAttention('attention', p, q, k, v, out, probs, dropout);
  checkMask('attention', p, mask, maskIndex);
  const { heads, targetLength: L, sourceLength: S, headDim: E, valueDim: Ev, scale, causal } = p;
  if (p.batch * heads === 0 || L === 0) return;
  const keepScale = dropoutScale(p.dropoutP);
  const scores = new Float64Array(S);
  const acc = new Float64Array(Ev);
  for (let b = 0; b < p.batch; b++) {
    for (let h = 0; h < heads; h++) {
      const item = b * heads + h;
      const q0 = at(p.q, b, h);
      const k0 = at(p.k, b, h);
      const v0 = at(p.v, b, h);
      const o0 = at(p.out, b, h);
      const p0 = item * L * S;
      const m0 = mask === null ? -1 : maskIndex![item] * L * S;
      for (let i = 0; i < L; i++) {
        const qi = q0 + i * p.q.rowStride;
        const cols = causal ? Math.min(i + 1, S) : S;
        let max = -Infinity;
        for (let j = 0; j < cols; j++) {
          const kj = k0 + j * p.k.rowStride;
          let s = 0;
          for (let c = 0; c < E; c++) s += q[qi + c] * k[kj + c];
          s = s * scale + (m0 < 0 ? 0 : mask![m0 + i * S + j]);
          scores[j] = s;
          if (s > max) max = s; // NaN is skipped, as in softmax
        }
        let sum = 0;
        for (let j = 0; j < cols; j++) sum += Math.exp(scores[j] - max);
        const row = p0 + i * S;
        for (let j = 0; j < cols; j++) probs[row + j] = Math.exp(scores[j] - max) / sum;
        probs.fill(0, row + cols, row + S);
        acc.fill(0);
        for (let j = 0; j < cols; j++) {
          const w = dropout === null ? probs[row + j] : Math.fround(probs[row + j] * (dropout[row + j] ? keepScale : 0));
          const vj = v0 + j * p.v.rowStride;
          for (let c = 0; c < Ev; c++) acc[c] += w * v[vj + c];
        }
        const oi = o0 + i * p.out.rowStride;
        for (let c = 0; c < Ev; c++) out[oi + c] = acc[c];
      }
    }
  }
}

export function attentionBackward(
  q: Float32Array, k: Float32Array, v: Float32Array, p: AttentionParams,
  probs: Float32Array, dropout: Uint8Array | null, out: Float32Array, dOut: Float32Array,
  dq: Float32Array | null, dk: Float32Array | null, dv: Float32Array | null,
): void {
  const kernel = 'attentionBackward';
  checkAttention(kernel, p, q, k, v, out, probs, dropout);
  const { heads, targetLength: L, sourceLength: S, headDim: E, valueDim: Ev, scale } = p;
  checkLength(kernel, 'dOut', dOut, viewSpan(kernel, 'out', p.out, p, L, Ev));
  checkLength(kernel, 'dq', dq, viewSpan(kernel, 'q', p.q, p, L, E));
  checkLength(kernel, 'dk', dk, viewSpan(kernel, 'k', p.k, p, S, E));
  checkLength(kernel, 'dv', dv, viewSpan(kernel, 'v', p.v, p, S, Ev));
  if (p.batch * heads === 0) return;
  const keepScale = dropoutScale(p.dropoutP);
  const dS = new Float64Array(L * S);
  const accQ = new Float64Array(dq === null ? 0 : E);
  const accK = new Float64Array(dk === null ? 0 : S * E);
  const accV = new Float64Array(dv === null ? 0 : S * Ev);
  for (let b = 0; b < p.batch; b++) {
    for (let h = 0; h < heads; h++) {
      const p0 = (b * heads + h) * L * S;
      const q0 = at(p.q, b, h);
      const k0 = at(p.k, b, h);
      const v0 = at(p.v, b, h);
      const o0 = at(p.out, b, h);
      accV.fill(0);
      for (let i = 0; i < L; i++) {
        const oi = o0 + i * p.out.rowStride;
        let rowDot = 0; // Σ_c dO·O = Σ_j dP_ij·P_ij
        for (let c = 0; c < Ev; c++) rowDot += dOut[oi + c] * out[oi + c];
        const row = p0 + i * S;
        // past the causal diagonal P = 0, so dS = 0 and nothing reaches v, k or q from there
        const cols = p.causal ? Math.min(i + 1, S) : S;
        dS.fill(0, i * S + cols, (i + 1) * S);
        for (let j = 0; j < cols; j++) {
          const keep = dropout === null ? 1 : dropout[row + j] ? keepScale : 0;
          const vj = v0 + j * p.v.rowStride;
          let dP = 0;
          for (let c = 0; c < Ev; c++) dP += dOut[oi + c] * v[vj + c];
          const P = probs[row + j];
          dS[i * S + j] = P * (dP * keep - rowDot);
          const w = Math.fround(P * keep);
          if (dv !== null) for (let c = 0; c < Ev; c++) accV[j * Ev + c] += w * dOut[oi + c];
        }
      }
      if (dv !== null) {
        for (let j = 0; j < S; j++) {
          const vj = v0 + j * p.v.rowStride;
          for (let c = 0; c < Ev; c++) dv[vj + c] = accV[j * Ev + c];
        }
      }
      if (dq !== null) {
        for (let i = 0; i < L; i++) {
          accQ.fill(0);
          const cols = p.causal ? Math.min(i + 1, S) : S;
          for (let j = 0; j < cols; j++) {
            const g = dS[i * S + j];
            const kj = k0 + j * p.k.rowStride;
            for (let c = 0; c < E; c++) accQ[c] += g * k[kj + c];
          }
          const qi = q0 + i * p.q.rowStride;
          for (let c = 0; c < E; c++) dq[qi + c] = accQ[c] * scale;
        }
      }
      if (dk !== null) {
        accK.fill(0);
        for (let i = 0; i < L; i++) {
          const qi = q0 + i * p.q.rowStride;
          const cols = p.causal ? Math.min(i + 1, S) : S;
          for (let j = 0; j < cols; j++) {
            const g = dS[i * S + j];
            for (let c = 0; c < E; c++) accK[j * E + c] += g * q[qi + c];
          }
        }
        for (let j = 0; j < S; j++) {
          const kj = k0 + j * p.k.rowStride;
          for (let c = 0; c < E; c++) dk[kj + c] = accK[j * E + c] * scale;
        }
      }
    }
  }
}
