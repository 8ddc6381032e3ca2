/**
 * CharRNN: the recurrent character model of `nabla train --model lstm | gru | rnn` on text data.
 * Embedding(vocabSize, width) → LSTM/GRU/RNN(width, width, { numLayers: layers, batchFirst: true,
 * dropout }) → Linear(width, vocabSize): ids [B, T] in, next-character logits [B, T, vocabSize] out.
 * `dropout` is the recurrent layer's (between its layers, in training). It builds its children from
 * its constructor arguments, so a model file records only those (module-spec.ts registers it as a
 * composite type); state-dict names `embedding.weight`, `rnn.weightIhL0` …, `fc.weight`, `fc.bias`.
 */
import { Module } from '../nn/module.js';
import { Embedding } from '../nn/embedding.js';
import { Linear } from '../nn/linear.js';
import { LSTM } from '../nn/lstm.js';
import { GRU } from '../nn/gru.js';
import { RNN } from '../nn/rnn.js';
import { checkLayerInput } from '../nn/checks.js';
import { checkOptionsObject, inRange, integerAtLeast, oneOf } from '../optim/options.js';
import type { Tensor } from '../tensor.js';

export type CharRnnCell = 'lstm' | 'gru' | 'rnn';

export interface CharRnnOptions {
  cell: CharRnnCell;
  /** The embedding's and every recurrent layer's width. */
  width: number;
  /** Stacked recurrent layers. */
  layers: number;
  /** Dropout between the recurrent layers, in training (default 0). */
  dropout?: number;
}

/** The recurrent state carried from one call to the next: hN for GRU/RNN, [hN, cN] for LSTM ([layers, B, width] each). */
export type CharRnnState = Tensor | [Tensor, Tensor];

export class CharRNN extends Module {
  readonly vocabSize: number;
  readonly cell: CharRnnCell;
  readonly width: number;
  readonly layers: number;
  readonly dropout: number;
  embedding: Embedding;
  rnn: LSTM | GRU | RNN;
  fc: Linear;

  constructor(vocabSize: number, options: CharRnnOptions) {
    super();
    checkOptionsObject('CharRNN', options, { cell: oneOf('lstm', 'gru', 'rnn'), width: integerAtLeast(1), layers: integerAtLeast(1), dropout: inRange(0, 1) });
    if (!Number.isInteger(vocabSize) || vocabSize < 1) throw new Error(`CharRNN: vocabSize must be a positive integer, got ${String(vocabSize)}`);
    for (const name of ['cell', 'width', 'layers'] as const) {
      if (options[name] === undefined) throw new Error(`CharRNN: ${name} is required, got undefined`);
    }
    const { cell, width, layers, dropout = 0 } = options;
    this.vocabSize = vocabSize;
    this.cell = cell;
    this.width = width;
    this.layers = layers;
    this.dropout = dropout;
    this.embedding = this.registerModule('embedding', new Embedding(vocabSize, width));
    const Cell = { lstm: LSTM, gru: GRU, rnn: RNN }[cell];
    this.rnn = this.registerModule('rnn', new Cell(width, width, { numLayers: layers, batchFirst: true, dropout }));
    this.fc = this.registerModule('fc', new Linear(width, vocabSize));
  }

  /** ids [B, T] (integer ids stored as floats) → logits [B, T, vocabSize]; each sequence starts from a zero state. */
  forward(ids: Tensor): Tensor {
    return this.forwardWithState(ids)[0];
  }

  /**
   * As forward, from a given state (the one a previous call returned; none: zeros) and also returning
   * the state after the last step: generation feeds one character at a time this way.
   */
  forwardWithState(ids: Tensor, state?: CharRnnState | null): [Tensor, CharRnnState] {
    checkLayerInput(`CharRNN(${this.vocabSize}, ${this.cell}, width ${this.width})`, ids, 'ids of shape [batch, steps]', (t) => t.ndim === 2);
    const x = this.embedding.forward(ids);
    if (this.rnn instanceof LSTM) {
      const [out, next] = this.rnn.forward(x, state as [Tensor, Tensor] | null | undefined);
      return [this.fc.forward(out), next];
    }
    const [out, next] = this.rnn.forward(x, state as Tensor | null | undefined);
    return [this.fc.forward(out), next];
  }

  override extraRepr(): string {
    return `vocabSize=${this.vocabSize}, cell='${this.cell}', width=${this.width}, layers=${this.layers}${this.dropout ? `, dropout=${this.dropout}` : ''}`;
  }
}
