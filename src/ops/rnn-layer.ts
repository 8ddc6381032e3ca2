import { Tensor } from '../tensor.js';
import { uninitializedFloats } from '../creation.js';
import { backend } from '../backend/registry.js';
import { record } from '../autograd/node.js';
import {
  biasGrad, checkRecurrentArgs, inputGrad, projectInput, recurrentResult, stateGrad, stateRows, stepAt, weightGrad,
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
  const pre = projectInput(x, w.wIh, [w.bIh, w.bHh], rows, hidden);
  const packed = uninitializedFloats((steps + 1) * bh);
  packed.set(h0.data, (reverse ? steps : 0) * bh);
  for (let k = 0; k < steps; k++) {
    const t = stepAt(k, steps, reverse);
    const p = states(t, pre);
    be.gemm(false, true, batch, hidden, hidden, 1, states(t + prev, packed), w.wHh.data, 1, p);
    be.unary(nonlinearity, p, states(t + out, packed));
  }
  const result = new Tensor(packed, [steps + 1, batch, hidden]);

  const inputs = [x, h0, w.wIh, w.wHh, ...(w.bIh ? [w.bIh] : []), ...(w.bHh ? [w.bHh] : [])];
  record('rnnLayer', result, inputs, (grad) => {
    const dPacked = grad.data;
    const dPre = uninitializedFloats(rows * hidden);
    const dh = new Float32Array(bh);
    const shape = [bh];
    for (let k = steps - 1; k >= 0; k--) {
      const t = stepAt(k, steps, reverse);
      const dp = states(t, dPre);
      be.binary('add', dh, shape, states(t + out, dPacked), shape, dh, shape);
      be.unaryBackward(nonlinearity, states(t, pre), states(t + out, packed), dh, dp);
      if (k > 0 || h0.requiresGrad) be.gemm(false, false, batch, hidden, hidden, 1, dp, w.wHh.data, 0, dh);
    }
    const statesRead = packed.subarray(prev * bh, (prev + steps) * bh);
    const grads = [
      inputGrad(x, dPre, w.wIh, hidden), stateGrad(h0, dh),
      weightGrad(w.wIh, dPre, x.data, rows), weightGrad(w.wHh, dPre, statesRead, rows),
    ];
    if (w.bIh) grads.push(biasGrad(w.bIh, dPre, rows, hidden));
    if (w.bHh) grads.push(biasGrad(w.bHh, dPre, rows, hidden));
    return grads;
  }, { reverse, nonlinearity });

  return recurrentResult(result, sizes, reverse);
}
