import { Tensor } from '../tensor.js';
import { uninitializedFloats } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import {
  biasGrad, checkRecurrentArgs, inputGrad, projectInput, recurrentResult, stateGrad, stateRows, stepAt, weightGradsByChunks,
  type RecurrentResult, type RecurrentWeights,
} from './recurrent-layer.js';
import { rowRange } from './row-range.js';

export interface LstmLayerResult extends RecurrentResult {
  /** [B, H], the cell state after the last step processed. */
  cN: Tensor;
}

/**
 * One LSTM layer in one direction over x [T, B, I] from the states h0, c0 [B, H], as one op
 * (PyTorch's gates i, f, g, o: c' = f·c + i·g, h' = o·tanh(c')). Forward: x·W_ihᵀ + b_ih + b_hh for
 * all steps in one product, then per step one product h·W_hhᵀ into that step's gates and the
 * backend's `lstmCell`. Backward: the steps in reverse with `lstmCellBackward` and one product
 * dGates·W_hh per step for the previous state's gradient; the weights', biases' and x's gradients are
 * products over all steps at the end. The output array holds the states h_0 … h_T and c_N (see
 * recurrent-layer.ts); `output`, `hN` and `cN` are views of it.
 */
export function lstmLayer(x: Tensor, h0: Tensor, c0: Tensor, w: RecurrentWeights, reverse = false): LstmLayerResult {
  const sizes = checkRecurrentArgs('lstmLayer', x, [['h0', h0], ['c0', c0]], w, 4);
  const { steps, batch, hidden } = sizes;
  const be = backend();
  const bh = batch * hidden;
  const width = 4 * hidden;
  const stepSize = batch * width;
  const { prev, out } = stateRows(reverse);
  const states = (row: number, data: Float32Array) => data.subarray(row * bh, (row + 1) * bh);
  const stepGates = (t: number, data: Float32Array) => data.subarray(t * stepSize, (t + 1) * stepSize);

  // Pre-activations, overwritten step by step with the activated gates (what the backward reads).
  const projection = projectInput(x, w.wIh, [w.bIh, w.bHh], sizes, width, reverse);
  const gates = projection.gates;
  const packed = uninitializedFloats((steps + 2) * bh);
  packed.set(h0.data, (reverse ? steps : 0) * bh);
  const cells = uninitializedFloats(steps * bh);
  try {
    for (let k = 0; k < steps; k++) {
      const t = stepAt(k, steps, reverse);
      projection.ready(t);
      const g = stepGates(t, gates);
      be.gemm(false, true, batch, width, hidden, 1, states(t + prev, packed), w.wHh.data, 1, g);
      const cPrev = k === 0 ? c0.data : states(reverse ? t + 1 : t - 1, cells);
      be.lstmCell(g, cPrev, batch, hidden, states(t, cells), states(t + out, packed));
    }
  } finally {
    projection.finish();
  }
  packed.set(states(reverse ? 0 : steps - 1, cells), (steps + 1) * bh);
  const result = new Tensor(packed, [steps + 2, batch, hidden]);

  const inputs = [x, h0, c0, w.wIh, w.wHh, ...(w.bIh ? [w.bIh] : []), ...(w.bHh ? [w.bHh] : [])];
  record('lstmLayer', result, inputs, (grad) => {
    const dPacked = grad.data;
    const rows = steps * batch;
    const dGates = uninitializedFloats(rows * width);
    const dh = new Float32Array(bh); // hN's own gradient is in its row of dPacked
    const dc = dPacked.slice((steps + 1) * bh, (steps + 2) * bh);
    const statesRead = packed.subarray(prev * bh, (prev + steps) * bh);
    const weights = weightGradsByChunks([{ w: w.wIh, dG: dGates, a: x.data }, { w: w.wHh, dG: dGates, a: statesRead }], sizes, reverse);
    // Backpropagation through time; the weight gradients' products follow it on the background thread,
    // and x's gradient (one product over all steps) and the biases' sums run here meanwhile.
    let early: (Tensor | null)[] = [];
    let weightGrads: (Tensor | null)[] = [];
    try {
      for (let k = steps - 1; k >= 0; k--) {
        const t = stepAt(k, steps, reverse);
        const cPrev = k === 0 ? c0.data : states(reverse ? t + 1 : t - 1, cells);
        const dg = stepGates(t, dGates);
        be.lstmCellBackward(stepGates(t, gates), cPrev, states(t, cells), states(t + out, dPacked), dh, dc, batch, hidden, dg);
        weights.stepDone(t);
        if (k > 0 || h0.requiresGrad) be.gemm(false, false, batch, hidden, width, 1, dg, w.wHh.data, 0, dh);
      }
      early = [inputGrad(x, dGates, w.wIh, width), stateGrad(h0, dh), stateGrad(c0, dc)];
      if (w.bIh) early.push(biasGrad(w.bIh, dGates, rows, width));
      if (w.bHh) early.push(biasGrad(w.bHh, dGates, rows, width));
    } finally {
      weightGrads = weights.finish();
    }
    // In the inputs' order: x, the states, the weights, the biases.
    return [...early.slice(0, 3), ...weightGrads, ...early.slice(3)];
  }, { reverse });

  return { ...recurrentResult(result, sizes, reverse), cN: rowRange(result, steps + 1, 1, [batch, hidden]) };
}
