/**
 * What the recurrent layer ops (lstm-layer.ts, gru-layer.ts, rnn-layer.ts) share: their argument
 * checks, where each time step's hidden state lives, the input projection of all steps at once,
 * and the gradients that are big products over all steps.
 *
 * Layout. One layer in one direction runs over x [T, B, I] (time first). Its hidden states
 * h_0 (the initial one) … h_T live in T + 1 consecutive rows of [B, H] of the op's output array:
 * forward, h_0 is row 0 and step t writes row t + 1; reverse (steps T − 1 down to 0), h_0 is
 * row T and step t writes row t. Either way the outputs of steps 0 … T − 1 are T consecutive rows
 * (the layer's output sequence, in time order), the state step t reads is row t + `prev`, and the
 * states read by all steps are also T consecutive rows: W_hh's gradient is one product over them.
 */
import { Tensor } from '../tensor.js';
import { emptyUninitialized, empty, uninitializedFloats } from '../creation.js';
import { backend } from '../backend/registry.js';
import { exclusiveGrad } from '../autograd/exclusive-grad.js';
import { formatShape } from '../shape.js';
import { checkTensor } from './util.js';
import { rowRange } from './row-range.js';

export interface RecurrentWeights {
  /** [gates·H, I] */
  wIh: Tensor;
  /** [gates·H, H] */
  wHh: Tensor;
  /** [gates·H] or null */
  bIh: Tensor | null;
  bHh: Tensor | null;
}

export interface RecurrentSizes {
  steps: number;
  batch: number;
  input: number;
  hidden: number;
}

function expectShape(op: string, name: string, t: Tensor, shape: number[]): void {
  checkTensor(op, t, name);
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new Error(`${op}: ${name} must have shape ${formatShape(shape)}, got ${formatShape(t.shape)}`);
  }
}

/** Checks x [T, B, I], the states [B, H] and the weights of a cell with `gates` gates; returns T, B, I, H. */
export function checkRecurrentArgs(op: string, x: Tensor, states: [string, Tensor][], w: RecurrentWeights, gates: number): RecurrentSizes {
  checkTensor(op, x);
  checkTensor(op, w.wHh, 'wHh');
  if (x.ndim !== 3) throw new Error(`${op}: input must be 3-D [steps, batch, features], got shape ${formatShape(x.shape)}`);
  if (w.wHh.ndim !== 2 || w.wHh.shape[0] !== gates * w.wHh.shape[1]) {
    throw new Error(`${op}: wHh must have shape [${gates}·hidden, hidden], got ${formatShape(w.wHh.shape)}`);
  }
  const [steps, batch, input] = x.shape;
  const hidden = w.wHh.shape[1];
  if (steps === 0) throw new Error(`${op}: the input has no time steps (shape ${formatShape(x.shape)})`);
  expectShape(op, 'wIh', w.wIh, [gates * hidden, input]);
  if (w.bIh !== null) expectShape(op, 'bIh', w.bIh, [gates * hidden]);
  if (w.bHh !== null) expectShape(op, 'bHh', w.bHh, [gates * hidden]);
  for (const [name, t] of states) expectShape(op, name, t, [batch, hidden]);
  return { steps, batch, input, hidden };
}

/** Row offsets of the state a step reads (t + prev) and writes (t + out); see the layout above. */
export function stateRows(reverse: boolean): { prev: number; out: number } {
  return reverse ? { prev: 1, out: 0 } : { prev: 0, out: 1 };
}

/** The time step processed k-th (k = 0 first). */
export function stepAt(k: number, steps: number, reverse: boolean): number {
  return reverse ? steps - 1 - k : k;
}

/** x·W_ihᵀ plus the biases given, for all T·B rows at once: [T·B, width]. */
export function projectInput(x: Tensor, wIh: Tensor, biases: (Tensor | null)[], rows: number, width: number): Float32Array {
  const be = backend();
  const out = uninitializedFloats(rows * width);
  const present = biases.filter((b): b is Tensor => b !== null);
  if (present.length > 0) {
    const bias = present.length === 1 ? present[0].data : Float32Array.from(present[0].data, (v, j) => v + present[1].data[j]);
    be.copyStrided(bias, 0, [0, 1], out, 0, [width, 1], [rows, width], false);
  }
  be.gemm(false, true, rows, width, x.shape[2], 1, x.data, wIh.data, present.length > 0 ? 1 : 0, out);
  return out;
}

/** The same bias in each of `rows` rows of out [rows, width]. */
export function broadcastRows(bias: Tensor, out: Float32Array, rows: number, width: number): void {
  backend().copyStrided(bias.data, 0, [0, 1], out, 0, [width, 1], [rows, width], false);
}

/** dL/dx = dG·W_ih [T·B, I] from the gate gradients of all steps dG [T·B, width] (null when x needs none). */
export function inputGrad(x: Tensor, dG: Float32Array, wIh: Tensor, width: number): Tensor | null {
  if (!x.requiresGrad) return null;
  const [steps, batch, input] = x.shape;
  const dx = emptyUninitialized(x.shape.slice());
  backend().gemm(false, false, steps * batch, input, width, 1, dG, wIh.data, 0, dx.data);
  return exclusiveGrad(dx);
}

/** dL/dW = dGᵀ·A [width, cols] over all `rows` rows: W_ih's with A = x, W_hh's with A = the states read. */
export function weightGrad(w: Tensor, dG: Float32Array, a: Float32Array, rows: number): Tensor | null {
  if (!w.requiresGrad) return null;
  const [width, cols] = w.shape;
  const dw = emptyUninitialized([width, cols]);
  backend().gemm(true, false, width, cols, rows, 1, dG, a, 0, dw.data);
  return exclusiveGrad(dw);
}

/** A bias's gradient: dG [rows, width] summed over its rows. */
export function biasGrad(b: Tensor | null, dG: Float32Array, rows: number, width: number): Tensor | null {
  if (b === null || !b.requiresGrad) return null;
  const db = empty([width]);
  backend().reduce('sum', dG, [rows, width], [0], db.data);
  return exclusiveGrad(db);
}

/** A state's gradient [B, H] from the array that holds it (copied: the array is the op's scratch). */
export function stateGrad(state: Tensor, values: Float32Array): Tensor | null {
  return state.requiresGrad ? exclusiveGrad(new Tensor(values.slice(), state.shape.slice())) : null;
}

/** What a recurrent layer op returns: views into its one output array (see rowRange). */
export interface RecurrentResult {
  /** [T, B, H], the hidden state after each step, in time order. */
  output: Tensor;
  /** [B, H], the state after the last step processed (t = T − 1 forward, t = 0 reverse). */
  hN: Tensor;
}

/** The output sequence and final state of an op's output array [T + 1 (+ more), B, H]. */
export function recurrentResult(packed: Tensor, sizes: RecurrentSizes, reverse: boolean): RecurrentResult {
  const { steps, batch, hidden } = sizes;
  const { out } = stateRows(reverse);
  return {
    output: rowRange(packed, out, steps),
    hN: rowRange(packed, reverse ? 0 : steps, 1, [batch, hidden]),
  };
}
