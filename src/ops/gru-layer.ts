import { Tensor } from '../tensor.js';
import { uninitializedFloats } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import {
  biasGrad, checkRecurrentArgs, inputGrad, projectInput, recurrentResult, stateGrad, stateRows, stepAt, weightGradsByChunks,
  type RecurrentResult, type RecurrentWeights,
} from './recurrent-layer.js';

/**
 * One GRU layer in one direction over x [T, B, I] from h0 [B, H], as one op (PyTorch's gates r, z, n:
 * n = tanh(W_in·x + b_in + r·(W_hn·h + b_hn)), h' = (1 − z)·n + z·h). W_hn·h + b_hn is multiplied by
 * r, so the hidden side's products h·W_hhᵀ + b_hh are kept apart from x·W_ihᵀ + b_ih: the latter for
 * all steps in one product, the former one product per step; then the backend's `gruCell`. The
 * backward mirrors lstmLayer's, with two gate gradients per step (one per side; they differ in n).
 */
export function gruLayer(x: Tensor, h0: Tensor, w: RecurrentWeights, reverse = false): RecurrentResult {
  const sizes = checkRecurrentArgs('gruLayer', x, [['h0', h0]], w, 3);
  const { steps, batch, hidden } = sizes;
  const be = backend();
  const bh = batch * hidden;
  const width = 3 * hidden;
  const stepSize = batch * width;
  const rows = steps * batch;
  const { prev, out } = stateRows(reverse);
  const states = (row: number, data: Float32Array) => data.subarray(row * bh, (row + 1) * bh);
  const stepGates = (t: number, data: Float32Array) => data.subarray(t * stepSize, (t + 1) * stepSize);

  // x's side, overwritten with r, z, n; the hidden side is kept (its n part, W_hn·h + b_hn, for the backward).
  const projection = projectInput(x, w.wIh, [w.bIh], sizes, width, reverse);
  const gates = projection.gates;
  const hGates = uninitializedFloats(rows * width);
  const packed = uninitializedFloats((steps + 1) * bh);
  packed.set(h0.data, (reverse ? steps : 0) * bh);
  try {
    for (let k = 0; k < steps; k++) {
      const t = stepAt(k, steps, reverse);
      projection.ready(t);
      const hPrev = states(t + prev, packed);
      const hg = stepGates(t, hGates);
      be.gemm(false, true, batch, width, hidden, 1, hPrev, w.wHh.data, 0, hg, w.bHh?.data ?? null);
      be.gruCell(stepGates(t, gates), hg, hPrev, batch, hidden, states(t + out, packed));
    }
  } finally {
    projection.finish();
  }
  const result = new Tensor(packed, [steps + 1, batch, hidden]);

  const inputs = [x, h0, w.wIh, w.wHh, ...(w.bIh ? [w.bIh] : []), ...(w.bHh ? [w.bHh] : [])];
  record('gruLayer', result, inputs, (grad) => {
    const dPacked = grad.data;
    const dGates = uninitializedFloats(rows * width);
    const dhGates = uninitializedFloats(rows * width);
    const dh = new Float32Array(bh);
    const statesRead = packed.subarray(prev * bh, (prev + steps) * bh);
    const weights = weightGradsByChunks([{ w: w.wIh, dG: dGates, a: x.data }, { w: w.wHh, dG: dhGates, a: statesRead }], sizes, reverse);
    // Backpropagation through time; the weight gradients' products follow it on the background thread,
    // and x's gradient (one product over all steps) and the biases' sums run here meanwhile.
    let early: (Tensor | null)[] = [];
    let weightGrads: (Tensor | null)[] = [];
    try {
      for (let k = steps - 1; k >= 0; k--) {
        const t = stepAt(k, steps, reverse);
        const dhg = stepGates(t, dhGates);
        be.gruCellBackward(
          stepGates(t, gates), stepGates(t, hGates), states(t + prev, packed), states(t + out, dPacked), dh, batch, hidden,
          stepGates(t, dGates), dhg,
        );
        weights.stepDone(t);
        if (k > 0 || h0.requiresGrad) be.gemm(false, false, batch, hidden, width, 1, dhg, w.wHh.data, 1, dh);
      }
      early = [inputGrad(x, dGates, w.wIh, width), stateGrad(h0, dh)];
      if (w.bIh) early.push(biasGrad(w.bIh, dGates, rows, width));
      if (w.bHh) early.push(biasGrad(w.bHh, dhGates, rows, width));
    } finally {
      weightGrads = weights.finish();
    }
    // In the inputs' order: x, the state, the weights, the biases.
    return [...early.slice(0, 2), ...weightGrads, ...early.slice(2)];
  }, { reverse });

  return recurrentResult(result, sizes, reverse);
}
