/** nn.GRU: PyTorch's gated recurrent unit layers (gates r, z, n). */
import type { Tensor } from '../tensor.js';
import { gruLayer } from '../ops/gru-layer.js';
import { RECURRENT_CHECKS, RecurrentBase, type RecurrentOptions } from './recurrent.js';

/**
 * r = σ(W_ir·x + b_ir + W_hr·h + b_hr), z = σ(W_iz·x + b_iz + W_hz·h + b_hz),
 * n = tanh(W_in·x + b_in + r·(W_hn·h + b_hn)), h' = (1 − z)·n + z·h; weights [3·hiddenSize, in] in
 * that gate order, all initialized U(−1/√hiddenSize, 1/√hiddenSize). `forward(x, h0?)` →
 * `[output, hN]`, shaped as LSTM's.
 */
export class GRU extends RecurrentBase {
  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions = {}) {
    super('GRU', 3, inputSize, hiddenSize, options, RECURRENT_CHECKS);
  }

  forward(x: Tensor, h0?: Tensor | null): [Tensor, Tensor] {
    const given = h0 === undefined || h0 === null ? [] : [{ name: 'h0', state: h0 }];
    const { output, states } = this.runLayers(x, given, 1, (input, [h], w, reverse) => gruLayer(input, h, w, reverse));
    return [output, states[0]];
  }
}
