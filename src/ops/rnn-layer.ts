import { Tensor } from '../tensor.js';
import { uninitializedFloats } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import {
  biasGrad, checkRecurrentArgs, inputGrad, projectInput, recurrentResult, stateGrad, stateRows, stepAt, weightGradsByChunks,
  type RecurrentResult, type RecurrentWeights,
} from './recurrent-layer.js';

export type RnnNonlinearity = 'tanh' | 'relu';

/**
 * One Elman RNN layer in one direction over x [T, B, I] from h0 [B, H], as one op:
 * h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh), act tanh or relu. The cell is one activation, so the
 * backend's unary kernels serve as its pointwise part (forward, and backward after adding the
 * output's gradient to the recurrent one); the products are organised as in lstmLayer.
 */
export function rnnLayer(x: Tensor, h0: Tensor, w: RecurrentWeights, nonlinearity: RnnNonlinearity = 'tanh', reverse = false): RecurrentResult {
  const sizes = checkRecurrentArgs('rnnLayer', x, [['h0', h0]], w, 1);
  if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') {
    throw new Error(`rnnLayer: nonlinearity must be 'tanh' or 'relu', got ${JSON.stringify(nonlinearity)}`);
  }
  const { steps, batch, hidden } = sizes;
  const be = backend();
  const bh = batch * hidden;
  const rows = steps * batch;
  const { prev, out } = stateRows(reverse);
  const states = (row: number, data: Float32Array) => data.subarray(row * bh, (row + 1) * bh);

  // Pre-activations (relu's backward reads them).
  const projection = projectInput(x, w.wIh, [w.bIh, w.bHh], sizes, hidden, reverse);
  const pre = projection.gates;
  const packed = uninitializedFloats((steps + 1) * bh);
  packed.set(h0.data, (reverse ? steps : 0) * bh);
  try {
    for (let k = 0; k < steps; k++) {
      const t = stepAt(k, steps, reverse);
      projection.ready(t);
      const p = states(t, pre);
      be.gemm(false, true, batch, hidden, hidden, 1, states(t + prev, packed), w.wHh.data, 1, p);
      be.unary(nonlinearity, p, states(t + out, packed));
    }
  } finally {
    projection.finish();
  }
  const result = new Tensor(packed, [steps + 1, batch, hidden]);

  const inputs = [x, h0, w.wIh, w.wHh, ...(w.bIh ? [w.bIh] : []), ...(w.bHh ? [w.bHh] : [])];
  record('rnnLayer', result, inputs, (grad) => {
    const dPacked = grad.data;
    const dPre = uninitializedFloats(rows * hidden);
    const dh = new Float32Array(bh);
    const shape = [bh];
    const statesRead = packed.subarray(prev * bh, (prev + steps) * bh);
    const weights = weightGradsByChunks([{ w: w.wIh, dG: dPre, a: x.data }, { w: w.wHh, dG: dPre, a: statesRead }], sizes, reverse);
    // Backpropagation through time; the weight gradients' products follow it on the background thread,
    // and x's gradient (one product over all steps) and the biases' sums run here meanwhile.
    let early: (Tensor | null)[] = [];
    let weightGrads: (Tensor | null)[] = [];
    try {
      for (let k = steps - 1; k >= 0; k--) {
        const t = stepAt(k, steps, reverse);
        const dp = states(t, dPre);
        be.binary('add', dh, shape, states(t + out, dPacked), shape, dh, shape);
        be.unaryBackward(nonlinearity, states(t, pre), states(t + out, packed), dh, dp);
        weights.stepDone(t);
        if (k > 0 || h0.requiresGrad) be.gemm(false, false, batch, hidden, hidden, 1, dp, w.wHh.data, 0, dh);
      }
      early = [inputGrad(x, dPre, w.wIh, hidden), stateGrad(h0, dh)];
      if (w.bIh) early.push(biasGrad(w.bIh, dPre, rows, hidden));
      if (w.bHh) early.push(biasGrad(w.bHh, dPre, rows, hidden));
    } finally {
      weightGrads = weights.finish();
    }
    // In the inputs' order: x, the state, the weights, the biases.
    return [...early.slice(0, 2), ...weightGrads, ...early.slice(2)];
  }, { reverse, nonlinearity });

  return recurrentResult(result, sizes, reverse);
}
