/**
 * The `an-array-of-english-words` npm package (nothing downloaded): 274,937 lowercase English words
 * (a–z only), alphabetical. Node only.
 */
import { nodeModule } from '../node-builtins.js';

export const WORDS_PACKAGE = 'an-array-of-english-words';

let cached: string[] | null = null;

/** The package's words in its (alphabetical) order. */
export function loadEnglishWords(): string[] {
  if (cached) return cached;
  const require = nodeModule('loadEnglishWords').createRequire(import.meta.url);
  let words: unknown;
  try {
    words = require(WORDS_PACKAGE);
  } catch {
    throw new Error(`${WORDS_PACKAGE}: the npm package is not installed (npm install ${WORDS_PACKAGE})`);
  }
  if (!Array.isArray(words) || words.length === 0 || !words.every((w) => typeof w === 'string' && w !== '' && !w.includes('\n'))) {
    throw new Error(`loadEnglishWords: ${WORDS_PACKAGE} is not a list of words`);
  }
  cached = words as string[];
  return cached;
}
