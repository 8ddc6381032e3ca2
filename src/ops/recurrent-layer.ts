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

/**
 * Products over all steps are cut into chunks of about this many rows (steps × batch), so that they
 * run beside the recurrence (gemmAsync): the input projection ahead of it, the weight gradients
 * behind backpropagation through time. Big enough for OpenBLAS to run at full speed.
 */
const CHUNK_ROWS = 512;

/** Time steps per chunk. */
function chunkSteps(batch: number): number {
  return Math.max(1, Math.ceil(CHUNK_ROWS / Math.max(batch, 1)));
}

/**
 * x·W_ihᵀ plus the biases given, for all T·B rows: [T·B, width]. The chunk the recurrence needs first
 * is computed at once, the others are queued beside it in the order it needs them (gemmAsync);
 * `ready(t)` waits for step t's chunk, `finish()` for all of them (call it on every path out).
 */
export function projectInput(
  x: Tensor, wIh: Tensor, biases: (Tensor | null)[], sizes: RecurrentSizes, width: number, reverse: boolean,
): { gates: Float32Array; ready: (t: number) => void; finish: () => void } {
  const be = backend();
  const { steps, batch, input } = sizes;
  const rows = steps * batch;
  const gates = uninitializedFloats(rows * width);
  const present = biases.filter((b): b is Tensor => b !== null);
  if (present.length > 0) {
    const bias = present.length === 1 ? present[0].data : Float32Array.from(present[0].data, (v, j) => v + present[1].data[j]);
    be.copyStrided(bias, 0, [0, 1], gates, 0, [width, 1], [rows, width], false);
  }
  const beta = present.length > 0 ? 1 : 0;
  const per = chunkSteps(batch);
  const count = Math.ceil(steps / per);
  const tickets = new Array<number>(count).fill(0);
  for (let k = 0; k < count; k++) {
    const chunk = reverse ? count - 1 - k : k;
    const from = chunk * per * batch;
    const to = Math.min(steps, (chunk + 1) * per) * batch;
    const args = [false, true, to - from, width, input, 1, x.data.subarray(from * input, to * input), wIh.data, beta, gates.subarray(from * width, to * width)] as const;
    if (k === 0) be.gemm(...args);
    else tickets[chunk] = be.gemmAsync(...args);
  }
  let waited = 0;
  const wait = (ticket: number) => {
    if (ticket > waited) {
      be.gemmWait(ticket);
      waited = ticket;
    }
  };
  return { gates, ready: (t) => wait(tickets[Math.floor(t / per)]), finish: () => wait(Math.max(...tickets)) };
}

/**
 * Gradients dW = Σ dGᵀ·A over the rows of all steps, summed chunk by chunk as backpropagation through
 * time finishes each one (`stepDone`), the chunks' products queued beside it (gemmAsync) into one
 * array per weight; `finish()` waits for them and returns the gradients (null for a weight that needs
 * none). The chunks are summed in the order they finish, the same on every backend and thread count.
 */
export function weightGradsByChunks(
  products: { w: Tensor; dG: Float32Array; a: Float32Array }[], sizes: RecurrentSizes, reverse: boolean,
): { stepDone: (t: number) => void; finish: () => (Tensor | null)[] } {
  const be = backend();
  const { steps, batch } = sizes;
  const per = chunkSteps(batch);
  const grads = products.map(({ w }) => (w.requiresGrad ? emptyUninitialized(w.shape.slice()) : null));
  let started = false;
  let last = 0;
  return {
    stepDone: (t) => {
      const chunkStart = t - (t % per);
      const chunkEnd = Math.min(steps, chunkStart + per);
      if (t !== (reverse ? chunkEnd - 1 : chunkStart)) return;
      const from = chunkStart * batch;
      const to = chunkEnd * batch;
      products.forEach(({ w, dG, a }, i) => {
        const dw = grads[i];
        if (dw === null) return;
        const [width, cols] = w.shape;
        last = be.gemmAsync(true, false, width, cols, to - from, 1, dG.subarray(from * width, to * width), a.subarray(from * cols, to * cols), started ? 1 : 0, dw.data);
      });
      started = true;
    },
    finish: () => {
      be.gemmWait(last);
      return grads.map((g) => exclusiveGrad(g));
    },
  };
}

/** dL/dx = dG·W_ih [T·B, I] from the gate gradients of all steps dG [T·B, width] (null when x needs none). */
export function inputGrad(x: Tensor, dG: Float32Array, wIh: Tensor, width: number): Tensor | null {
  if (!x.requiresGrad) return null;
  const [steps, batch, input] = x.shape;
  const dx = emptyUninitialized(x.shape.slice());
  backend().gemm(false, false, steps * batch, input, width, 1, dG, wIh.data, 0, dx.data);
  return exclusiveGrad(dx);
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
