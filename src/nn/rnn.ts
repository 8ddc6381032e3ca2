/** nn.RNN: PyTorch's Elman recurrent layers, h' = tanh or relu of x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh. */
import type { Tensor } from '../tensor.js';
import { oneOf } from '../optim/options.js';
import { rnnLayer, type RnnNonlinearity } from '../ops/rnn-layer.js';
import { RECURRENT_CHECKS, RecurrentBase, type RecurrentOptions } from './recurrent.js';

export interface RnnOptions extends RecurrentOptions {
  /** 'tanh' (default) or 'relu'. */
  nonlinearity?: RnnNonlinearity;
}

/**
 * Weights [hiddenSize, in], initialized U(−1/√hiddenSize, 1/√hiddenSize). `forward(x, h0?)` →
 * `[output, hN]`, shaped as LSTM's.
 */
export class RNN extends RecurrentBase {
  readonly nonlinearity: RnnNonlinearity;

  constructor(inputSize: number, hiddenSize: number, options: RnnOptions = {}) {
    super('RNN', 1, inputSize, hiddenSize, options, { ...RECURRENT_CHECKS, nonlinearity: oneOf('tanh', 'relu') });
    this.nonlinearity = options.nonlinearity ?? 'tanh';
  }

  forward(x: Tensor, h0?: Tensor | null): [Tensor, Tensor] {
    const given = h0 === undefined || h0 === null ? [] : [{ name: 'h0', state: h0 }];
    const { output, states } = this.runLayers(x, given, 1, (input, [h], w, reverse) => rnnLayer(input, h, w, this.nonlinearity, reverse));
    return [output, states[0]];
  }

  protected override extraOptions(sep: string): string[] {
    return this.nonlinearity === 'tanh' ? [] : [`nonlinearity${sep}'${this.nonlinearity}'`];
  }
}
