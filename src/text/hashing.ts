/**
 * The hashing trick: each token (and, with bigrams, each pair of neighbouring tokens, hashed as
 * "a b") becomes a bucket id, MurmurHash3_x86_32(UTF-8 bytes, seed 0) mod 2^hashBits, the low
 * hashBits bits. A document is the sorted set of its distinct ids (binary features: a word counts
 * once, as in McMahan et al.'s setting); collisions merge features, which a wide table makes rare.
 * Ids are non-negative int32 values below 2^hashBits, what EmbeddingBag(2^hashBits, …) takes.
 */
import { murmur3String } from './murmur3.js';
import { tokenize, TOKENIZER } from './tokenize.js';

/** The range of hashBits: 2 to 16,777,216 buckets (the weight table and an optimizer's state are allocated whole). */
export const HASH_BITS_MIN = 1;
export const HASH_BITS_MAX = 24;
export const HASH_BITS_DEFAULT = 20;

export interface TextFeatureOptions {
  /** Buckets = 2^hashBits (integer in [1, 24], default 20). */
  hashBits?: number;
  /** Also hash pairs of neighbouring tokens (default false). */
  bigrams?: boolean;
}

/** How a text becomes features: saved in a text model's file (Preprocess.text). */
export interface TextPreprocess {
  tokenizer: typeof TOKENIZER;
  hash: 'murmur3_x86_32';
  seed: 0;
  hashBits: number;
  bigrams: boolean;
}

export function checkHashBits(owner: string, hashBits: unknown): number {
  if (!Number.isInteger(hashBits) || (hashBits as number) < HASH_BITS_MIN || (hashBits as number) > HASH_BITS_MAX) {
    throw new Error(`${owner}: hashBits must be an integer from ${HASH_BITS_MIN} to ${HASH_BITS_MAX} (2 to 16,777,216 buckets), got ${String(hashBits)}`);
  }
  return hashBits as number;
}

export function textPreprocess(options: TextFeatureOptions = {}): TextPreprocess {
  const hashBits = checkHashBits('textFeatures', options.hashBits ?? HASH_BITS_DEFAULT);
  if (options.bigrams !== undefined && typeof options.bigrams !== 'boolean') throw new Error(`textFeatures: bigrams must be true or false, got ${String(options.bigrams)}`);
  return { tokenizer: TOKENIZER, hash: 'murmur3_x86_32', seed: 0, hashBits, bigrams: options.bigrams ?? false };
}

/** The bucket of one token (or "a b" bigram). */
export function hashToken(token: string, hashBits: number): number {
  return murmur3String(token) & ((1 << checkHashBits('hashToken', hashBits)) - 1);
}

/**
 * Turns texts into sorted sets of bucket ids. Keeps a token → hash cache (a corpus repeats its
 * words: the spam corpus hashes ~5× faster with it), so use one featurizer per corpus.
 */
export class TextFeaturizer {
  readonly options: TextPreprocess;
  private readonly mask: number;
  private readonly cache = new Map<string, number>();

  constructor(options: TextFeatureOptions | TextPreprocess = {}) {
    this.options = textPreprocess(options);
    this.mask = (1 << this.options.hashBits) - 1;
  }

  get buckets(): number {
    return 2 ** this.options.hashBits;
  }

  private hash(token: string): number {
    let h = this.cache.get(token);
    if (h === undefined) {
      h = murmur3String(token);
      if (this.cache.size < 4_000_000) this.cache.set(token, h);
    }
    return h & this.mask;
  }

  /** The text's distinct bucket ids, ascending. */
  features(text: string): Int32Array {
    const tokens = tokenize(text);
    const ids = new Set<number>();
    for (const t of tokens) ids.add(this.hash(t));
    if (this.options.bigrams) for (let i = 1; i < tokens.length; i++) ids.add(this.hash(`${tokens[i - 1]} ${tokens[i]}`));
    return Int32Array.from(ids).sort();
  }
}
