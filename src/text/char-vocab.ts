/**
 * The character vocabulary of a language model: id 0 is '' (the unknown character: anything the training
 * text did not contain), then the training text's distinct characters (Unicode code points) in code-point
 * order. It is saved as the model file's `classes` (a character model's output classes are the characters),
 * so generate and evaluate read it from the model alone.
 */

/** classes[0]: stands for every character outside the vocabulary; never a training target, never sampled. */
export const UNKNOWN_CHAR = '';
export const UNKNOWN_ID = 0;

const byCodePoint = (a: string, b: string) => a.codePointAt(0)! - b.codePointAt(0)!;

/** Characters as the user reads them in a message: JSON-quoted ("\n", " ", "é"). */
export const quoteChars = (chars: string[]) => chars.map((c) => JSON.stringify(c)).join(', ');

export class CharVocabulary {
  /** chars[id]; chars[0] = '' (unknown). */
  readonly chars: readonly string[];
  private readonly ids = new Map<string, number>();

  private constructor(chars: string[]) {
    this.chars = chars;
    chars.forEach((c, i) => this.ids.set(c, i));
  }

  /** The distinct characters of `text`, after the unknown character. */
  static fromText(text: string): CharVocabulary {
    return new CharVocabulary([UNKNOWN_CHAR, ...[...new Set(text)].sort(byCodePoint)]);
  }

  /** The vocabulary a model file's classes hold; `owner` names the file in errors. */
  static fromClasses(owner: string, classes: readonly string[] | null): CharVocabulary {
    const fail = (why: string): never => {
      throw new Error(`${owner}: not a character model's vocabulary: ${why}`);
    };
    if (!classes || classes.length < 2) return fail(`expected the unknown character '' and at least one character as its classes, got ${JSON.stringify(classes)}`);
    if (classes[0] !== UNKNOWN_CHAR) fail(`classes[0] must be '' (the unknown character), got ${JSON.stringify(classes[0])}`);
    for (let i = 1; i < classes.length; i++) {
      if ([...classes[i]].length !== 1) fail(`classes[${i}] must be one character, got ${JSON.stringify(classes[i])}`);
      if (i > 1 && byCodePoint(classes[i - 1], classes[i]) >= 0) fail(`classes must be distinct characters in code-point order (classes[${i}] = ${JSON.stringify(classes[i])})`);
    }
    return new CharVocabulary(classes.slice());
  }

  /** Ids including the unknown one. */
  get size(): number {
    return this.chars.length;
  }

  has(char: string): boolean {
    return this.ids.has(char) && char !== UNKNOWN_CHAR;
  }

  /** Each character's id; characters outside the vocabulary get UNKNOWN_ID. */
  encode(text: string): Int32Array {
    const out = new Int32Array(text.length); // ≥ the code-point count
    let n = 0;
    for (const c of text) out[n++] = this.ids.get(c) ?? UNKNOWN_ID;
    return n === out.length ? out : out.slice(0, n);
  }

  /** The distinct characters of `text` outside the vocabulary, in order of appearance. */
  unknownIn(text: string): string[] {
    const seen = new Set<string>();
    for (const c of text) if (!this.ids.has(c)) seen.add(c);
    return [...seen];
  }

  decode(ids: ArrayLike<number>): string {
    let out = '';
    for (let i = 0; i < ids.length; i++) out += this.chars[ids[i]] ?? UNKNOWN_CHAR;
    return out;
  }
}
