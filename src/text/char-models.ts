/**
 * The character language models `nabla train` builds by name. Each maps ids [B, T] (T ≤ context) to
 * next-character logits [B, T, V]:
 * - gpt: CharGPT (char-gpt.ts), a decoder-only Transformer;
 * - lstm, gru, rnn: CharRNN (char-rnn.ts) with that cell (rnn: Elman, tanh);
 * - bigram: an Embedding(V, V) whose row for a character is the logits of the next one (the counting
 *   baseline: it sees one character of context).
 */
import type { Module } from '../nn/module.js';
import { Embedding } from '../nn/embedding.js';
import { CharRNN } from './char-rnn.js';
import { CharGPT } from './char-gpt.js';

export const CHAR_MODELS = ['gpt', 'lstm', 'gru', 'rnn', 'bigram'] as const;
export type CharModelName = (typeof CHAR_MODELS)[number];

export interface CharModelOptions {
  context: number;
  width: number;
  layers: number;
  heads: number;
  dropout: number;
}

export function buildCharModel(name: CharModelName, vocabSize: number, o: CharModelOptions): Module {
  switch (name) {
    case 'bigram': return new Embedding(vocabSize, vocabSize);
    case 'gpt': return new CharGPT(vocabSize, { context: o.context, width: o.width, layers: o.layers, heads: o.heads, dropout: o.dropout });
    case 'lstm':
    case 'gru':
    case 'rnn': return new CharRNN(vocabSize, { cell: name, width: o.width, layers: o.layers, dropout: o.dropout });
  }
}

/** One line describing the model, for the printouts. */
export function describeCharModel(name: CharModelName, o: CharModelOptions): string {
  switch (name) {
    case 'gpt': return `gpt: ${o.layers} layer${o.layers === 1 ? '' : 's'}, width ${o.width}, ${o.heads} heads, context ${o.context}${o.dropout ? `, dropout ${o.dropout}` : ''}`;
    case 'lstm':
    case 'gru':
    case 'rnn': return `${name}: ${o.layers} layer${o.layers === 1 ? '' : 's'}, width ${o.width}${o.dropout ? `, dropout ${o.dropout}` : ''}`;
    case 'bigram': return 'bigram: Embedding(V, V), one character of context';
  }
}
