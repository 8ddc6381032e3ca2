/**
 * Text from a character language model, one character at a time: the model reads the last `context`
 * characters (the window length it trained on; the GPT can read no more) — a recurrent model with
 * `forwardWithState` (CharRNN) instead reads the prompt once and then each new character, carrying its
 * state over the whole text as char-rnn does — its logits for the next
 * character are divided by the temperature, all but the top k are dropped (k = 0 keeps all), and the
 * character is drawn from the softmax of the rest with a generator seeded by `seed` (its own stream:
 * the same seed gives the same text, and the global generator is untouched). The unknown character
 * (id 0) is never drawn. Eval mode, no gradients.
 */
import { Tensor } from '../tensor.js';
import type { Module } from '../nn/module.js';
import { noGrad } from '../autograd/grad-mode.js';
import { RngStream } from '../data/rng-stream.js';
import { uniform } from '../random.js';
import { quoteChars, UNKNOWN_ID, type CharVocabulary } from './char-vocab.js';

/** A model that can continue from the state its previous call ended in (CharRNN). */
interface RecurrentCharModel {
  forwardWithState(ids: Tensor, state: unknown): [Tensor, unknown];
}

export interface SampleOptions {
  /** Characters to generate. */
  length: number;
  /** > 0; below 1 sharpens the distribution, above 1 flattens it (default 1). */
  temperature?: number;
  /** Draw only among the k likeliest characters; 0 (default) = all. */
  topK?: number;
  seed: number;
  /** The longest window the model reads. */
  context: number;
}

/** Where samples start when no prompt is given: a new line ('\n': a document's or a word's start), else the vocabulary's first character. */
export function defaultPrompt(vocab: CharVocabulary): string {
  return vocab.has('\n') ? '\n' : vocab.chars[1];
}

/** Checks the sampling options; the messages name the option. */
export function checkSampleOptions(o: SampleOptions): void {
  const { length, temperature = 1, topK = 0, context } = o;
  if (!Number.isInteger(length) || length < 0) throw new Error(`length must be a non-negative integer, got ${length}`);
  if (!(typeof temperature === 'number' && temperature > 0 && Number.isFinite(temperature))) throw new Error(`temperature must be a number > 0, got ${temperature}`);
  if (!Number.isInteger(topK) || topK < 0) throw new Error(`top-k must be an integer ≥ 1, or 0 for all characters, got ${topK}`);
  if (!Number.isInteger(context) || context < 1) throw new Error(`context must be a positive integer, got ${context}`);
}

/** The index drawn from logits (one row) at this temperature among the top k, never UNKNOWN_ID. */
export function drawCharacter(logits: ArrayLike<number>, temperature: number, topK: number): number {
  const v = logits.length;
  const scaled = new Float64Array(v);
  for (let i = 0; i < v; i++) scaled[i] = i === UNKNOWN_ID ? -Infinity : logits[i] / temperature;
  if (topK > 0 && topK < v - 1) {
    const kth = Float64Array.from(scaled).sort()[v - topK];
    for (let i = 0; i < v; i++) if (scaled[i] < kth) scaled[i] = -Infinity;
  }
  let max = -Infinity;
  for (let i = 0; i < v; i++) max = Math.max(max, scaled[i]);
  let total = 0;
  for (let i = 0; i < v; i++) total += scaled[i] = Math.exp(scaled[i] - max);
  let r = uniform() * total;
  let last = -1;
  for (let i = 0; i < v; i++) {
    if (scaled[i] === 0) continue;
    last = i;
    r -= scaled[i];
    if (r < 0) return i;
  }
  return last; // rounding left r ≥ 0 after the last term
}

/** The `length` characters that follow `prompt` (which must be in the vocabulary and not empty). */
export function sampleText(model: Module, vocab: CharVocabulary, prompt: string, o: SampleOptions): string {
  checkSampleOptions(o);
  const unknown = vocab.unknownIn(prompt);
  if (unknown.length > 0) throw new Error(`the prompt has characters outside the model's vocabulary: ${quoteChars(unknown)}`);
  if (prompt === '') throw new Error('the prompt must have at least one character');
  const ids = Array.from(vocab.encode(prompt));
  const start = ids.length;
  const stream = new RngStream(o.seed, 'sampleText');
  const draw = (out: Tensor) => {
    const v = out.shape[out.shape.length - 1];
    const last = out.data.subarray(out.data.length - v);
    ids.push(stream.run(() => drawCharacter(last, o.temperature ?? 1, o.topK ?? 0)));
  };
  const row = (values: number[]) => new Tensor(Float32Array.from(values), [1, values.length]);
  const recurrent = model as Partial<RecurrentCharModel>;
  const wasTraining = model.training;
  model.eval();
  try {
    noGrad(() => {
      if (typeof recurrent.forwardWithState === 'function') {
        let state: unknown = null;
        for (let n = 0; n < o.length; n++) {
          const [out, next] = recurrent.forwardWithState(row(n === 0 ? ids : ids.slice(-1)), state);
          state = next;
          draw(out);
        }
        return;
      }
      for (let n = 0; n < o.length; n++) draw(model.forward(row(ids.slice(-o.context))));
    });
  } finally {
    model.train(wasTraining);
  }
  return vocab.decode(ids.slice(start));
}
