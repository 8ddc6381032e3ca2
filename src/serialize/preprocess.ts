/**
 * What a model's user hands it, and how that becomes the model's input: the preprocessing a run
 * trained with, saved beside the weights so evaluate, predict and every export apply the same.
 *
 * Raw input is what a user has: pixels scaled to [0, 1] for images, the feature values for
 * tables and 2-D points. The model's input is (raw − mean) / std, with mean and std either one
 * value for every element or one per entry of the sample's first dimension (an image's channels,
 * a table's features).
 */

import { checkHashBits, type TextPreprocess } from '../text/hashing.js';
import { TOKENIZER } from '../text/tokenize.js';

export interface ImageInput {
  channels: number;
  height: number;
  width: number;
}

export interface Preprocess {
  /** One sample's shape as the model takes it: [784] (flattened image), [1, 28, 28], [2], [features]. */
  inputShape: number[];
  /** Length 1, or inputShape[0]. */
  mean: number[];
  /** Length 1, or inputShape[0]; every value > 0. */
  std: number[];
  /** Set when the raw input is an image (pixels in [0, 1]): the size it is resized to. */
  image?: ImageInput;
  /**
   * Set when the raw input is text (the text models): how it becomes sparse feature ids (tokenizer,
   * hash, hash bits, bigrams). inputShape is then [2^hashBits], the id space, with mean [0] and std [1].
   */
  text?: TextPreprocess;
  /**
   * Set when the raw input is text read character by character (the character language models): a
   * character's id is its index in the model's classes (the vocabulary, src/text/char-vocab.ts), and the
   * model reads windows of at most `context` characters (the length it trained on). inputShape is then
   * [context], mean [0] and std [1].
   */
  characters?: { context: number };
}

const isSize = (v: unknown) => Number.isInteger(v) && (v as number) > 0;

/** Throws an Error prefixed by `owner` when p is not a valid Preprocess; returns it otherwise. */
export function checkPreprocess(owner: string, p: unknown): Preprocess {
  const fail = (why: string): never => {
    throw new Error(`${owner}: preprocess${why.startsWith('.') ? '' : ' '}${why}`);
  };
  if (p === null || typeof p !== 'object') return fail(`must be an object { inputShape, mean, std }, got ${String(p)}`);
  const { inputShape, mean, std, image, text, characters } = p as Preprocess;
  if (!Array.isArray(inputShape) || inputShape.length === 0 || !inputShape.every(isSize)) {
    fail(`.inputShape must be a non-empty list of positive integers, got ${JSON.stringify(inputShape)}`);
  }
  const per = inputShape[0];
  for (const [name, values] of [['mean', mean], ['std', std]] as const) {
    if (!Array.isArray(values) || !(values.length === 1 || values.length === per) || !values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      fail(`.${name} must be 1 or ${per} finite numbers (one per entry of inputShape[0]), got ${JSON.stringify(values)}`);
    }
  }
  if (!std.every((s) => s > 0)) fail(`.std must be positive, got ${JSON.stringify(std)}`);
  if (image !== undefined) {
    if (image === null || typeof image !== 'object' || !isSize(image.channels) || !isSize(image.height) || !isSize(image.width)) {
      fail(`.image must be { channels, height, width } of positive integers, got ${JSON.stringify(image)}`);
    }
    const size = inputShape.reduce((a, b) => a * b, 1);
    if (image.channels * image.height * image.width !== size) {
      fail(`.image ${image.channels}×${image.height}×${image.width} does not fill inputShape ${JSON.stringify(inputShape)}`);
    }
  }
  if (text !== undefined) {
    if (text === null || typeof text !== 'object' || text.tokenizer !== TOKENIZER || text.hash !== 'murmur3_x86_32' || text.seed !== 0 || typeof text.bigrams !== 'boolean') {
      fail(`.text must be { tokenizer: '${TOKENIZER}', hash: 'murmur3_x86_32', seed: 0, hashBits, bigrams } (this version's text features), got ${JSON.stringify(text)}`);
    }
    try {
      checkHashBits('preprocess.text', text.hashBits);
    } catch (err) {
      fail(`.text: ${(err as Error).message}`);
    }
    if (inputShape.length !== 1 || inputShape[0] !== 2 ** text.hashBits) fail(`.text: inputShape must be [${2 ** text.hashBits}] (2^hashBits), got ${JSON.stringify(inputShape)}`);
    if (image !== undefined) fail('.text and .image exclude each other');
  }
  if (characters !== undefined) {
    if (characters === null || typeof characters !== 'object' || !isSize(characters.context)) fail(`.characters must be { context } with a positive integer context, got ${JSON.stringify(characters)}`);
    if (inputShape.length !== 1 || inputShape[0] !== characters.context) fail(`.characters: inputShape must be [${characters.context}] (the context), got ${JSON.stringify(inputShape)}`);
    if (image !== undefined || text !== undefined) fail('.characters excludes .image and .text');
  }
  return {
    inputShape: inputShape.slice(), mean: mean.slice(), std: std.slice(), ...(image ? { image: { ...image } } : {}), ...(text ? { text: { ...text } } : {}),
    ...(characters ? { characters: { context: characters.context } } : {}),
  };
}

/** The identity preprocessing for samples of this shape (mean 0, std 1). */
export function identityPreprocess(inputShape: number[]): Preprocess {
  return { inputShape: inputShape.slice(), mean: [0], std: [1] };
}

/**
 * Applies the preprocessing in place to `data`, a batch of raw samples laid out as
 * [N, ...inputShape]: x := (x − mean) / std, per entry of the first sample dimension.
 */
export function standardize(p: Preprocess, data: Float32Array): Float32Array {
  const sampleSize = p.inputShape.reduce((a, b) => a * b, 1);
  const groups = p.mean.length === 1 && p.std.length === 1 ? 1 : p.inputShape[0];
  const inner = sampleSize / groups;
  for (let i = 0; i < data.length; i++) {
    const g = groups === 1 ? 0 : Math.floor((i % sampleSize) / inner);
    const mean = p.mean[p.mean.length === 1 ? 0 : g];
    const std = p.std[p.std.length === 1 ? 0 : g];
    data[i] = (data[i] - mean) / std;
  }
  return data;
}
