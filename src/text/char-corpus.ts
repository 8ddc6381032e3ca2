/**
 * The text data sets of the character language models (`nabla train --dataset brown | words | text:PATH`),
 * each as a training text and a held-out test text:
 * - brown: the Brown corpus's 500 documents (brown.ts), each followed by '\n'; every tenth document
 *   (the 10th, 20th, … in the package's order, so every genre) held out.
 * - words: the English word list, each word followed by '\n'; every tenth word held out; each split's
 *   words in a fixed shuffled order (seed 0), so a window never holds the alphabetical neighbours that
 *   would give the next word away.
 * - text:PATH: a UTF-8 file as it is; its last tenth (in characters) held out.
 * The splits do not depend on the run's seed. Node only.
 */
import { nodeFs } from '../node-builtins.js';
import { randomPermutation, withSeed } from '../data/rng-stream.js';
import { loadBrown } from './brown.js';
import { loadEnglishWords } from './english-words.js';

export const CHAR_DATASETS = ['brown', 'words', 'text:PATH'] as const;

export function isCharDataset(name: string): boolean {
  return name === 'brown' || name === 'words' || (name.startsWith('text:') && name.length > 5);
}

export interface CharCorpus {
  dataset: string;
  train: string;
  test: string;
  /** What the texts are made of, for the printout: '450 / 50 documents', '247,444 / 27,493 words', or null (a file). */
  units: string | null;
}

/** Every tenth item (index 9, 19, …) is held out. */
const heldOut = (i: number) => i % 10 === 9;

function shuffled<T>(items: T[]): T[] {
  const order = withSeed('words split', 0, () => randomPermutation(items.length));
  return Array.from(order, (i) => items[i]);
}

const count = (n: number) => n.toLocaleString('en-US');

/** The characters a text:PATH file needs for a training window of context + 1 characters and a held-out tenth of at least 2. */
export function minimumTextLength(context: number): number {
  let n = 11;
  while (n - Math.ceil(n / 10) < context + 1) n++;
  return n;
}

export function loadTextFile(path: string, context: number): CharCorpus {
  const dataset = `text:${path}`;
  let bytes: Uint8Array;
  try {
    bytes = nodeFs('loadTextFile').readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`${dataset}: cannot be read (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a file' : code ?? (err as Error).message})`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${dataset} is not UTF-8 text (a character model reads UTF-8; convert the file, e.g. iconv -t UTF-8)`);
  }
  const chars = Array.from(text);
  const needed = minimumTextLength(context);
  if (chars.length < needed) {
    throw new Error(`${dataset} has ${count(chars.length)} character${chars.length === 1 ? '' : 's'}; a character model needs at least ${count(needed)} (a training window of context + 1 = ${count(context + 1)} characters and a held-out tenth)`);
  }
  const split = chars.length - Math.ceil(chars.length / 10);
  return { dataset, train: chars.slice(0, split).join(''), test: chars.slice(split).join(''), units: null };
}

/** `context` is the window length (text:PATH must hold one training window of context + 1 characters). */
export function loadCharCorpus(dataset: string, context: number): CharCorpus {
  if (dataset === 'brown') {
    const docs = loadBrown();
    const train = docs.filter((_, i) => !heldOut(i));
    const test = docs.filter((_, i) => heldOut(i));
    const join = (d: typeof docs) => d.map((x) => `${x.text}\n`).join('');
    return { dataset, train: join(train), test: join(test), units: `${train.length} / ${test.length} documents` };
  }
  if (dataset === 'words') {
    const words = loadEnglishWords();
    const train = shuffled(words.filter((_, i) => !heldOut(i)));
    const test = shuffled(words.filter((_, i) => heldOut(i)));
    const join = (w: string[]) => w.map((x) => `${x}\n`).join('');
    return { dataset, train: join(train), test: join(test), units: `${count(train.length)} / ${count(test.length)} words` };
  }
  if (dataset.startsWith('text:') && dataset.length > 5) return loadTextFile(dataset.slice(5), context);
  throw new Error(`dataset '${dataset}' is not a text data set for a character model (${CHAR_DATASETS.join(', ')})`);
}
