/** nn.LSTM: PyTorch's long short-term memory layers (gates i, f, g, o; no projections). */
import type { Tensor } from '../tensor.js';
import type { Check } from '../optim/options.js';
import { lstmLayer } from '../ops/lstm-layer.js';
import { RECURRENT_CHECKS, RecurrentBase, type RecurrentOptions } from './recurrent.js';

/** PyTorch's proj_size (LSTM with projections) is not implemented: any value but 0 is refused. */
const noProjections: Check = (owner, _option, value) => {
  if (value !== 0) throw new Error(`${owner}: projSize (PyTorch's proj_size, LSTM with projections) is not supported, got ${String(value)}`);
};

export interface LstmOptions extends RecurrentOptions {
  /** Only 0 (no projections), PyTorch's default. */
  projSize?: 0;
}

/**
 * c' = f·c + i·g, h' = o·tanh(c') with [i, f, g, o] = σ, σ, tanh, σ of x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh;
 * weights [4·hiddenSize, in] in that gate order, all initialized U(−1/√hiddenSize, 1/√hiddenSize).
 * `forward(x, [h0, c0]?)` → `[output, [hN, cN]]`: output [T, B, directions·hiddenSize] (batchFirst:
 * [B, T, …]; unbatched [T, I] gives [T, …]), hN and cN [layers·directions, B, hiddenSize].
 */
export class LSTM extends RecurrentBase {
  constructor(inputSize: number, hiddenSize: number, options: LstmOptions = {}) {
    super('LSTM', 4, inputSize, hiddenSize, options, { ...RECURRENT_CHECKS, projSize: noProjections });
  }

  forward(x: Tensor, hx?: [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]] {
    if (hx !== undefined && hx !== null && (!Array.isArray(hx) || hx.length !== 2)) {
      throw new Error(`${this.label()}: the initial state must be [h0, c0] (two tensors), got ${Array.isArray(hx) ? `${hx.length} items` : typeof hx}`);
    }
    const given = hx ? [{ name: 'h0', state: hx[0] }, { name: 'c0', state: hx[1] }] : [];
    const { output, states } = this.runLayers(x, given, 2, (input, [h0, c0], w, reverse) => lstmLayer(input, h0, c0, w, reverse));
    return [output, [states[0], states[1]]];
  }
}
