/** The #/ftrl page's build step (lab/build/spam-corpus.ts): a stable hash and tokenizer, a balanced held-out split. */
import { describe, expect, it } from 'vitest';
import { BUCKETS, PER_CLASS, TEST_FRACTION, bucketOf, buildSpamCorpus, fnv1a, tokenize } from '../lab/build/spam-corpus.js';

describe('lab spam corpus', () => {
  it('hashes with 32-bit FNV-1a (the published test vectors)', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
    expect(bucketOf('foobar')).toBe(0xbf9cf968 % BUCKETS);
  });

  it('tokenizes into lowercased words of 2–20 characters, headers like the rest', () => {
    expect(tokenize("Subject: FREE $$$ Money!! Don't wait, x 'quoted' 12345")).toEqual(['subject', 'free', '$$$', 'money', "don't", 'wait', 'quoted', '12345']);
    expect(tokenize('a'.repeat(21))).toEqual([]);
  });

  it('builds a balanced subset with sorted, distinct bucket indices and a token per used bucket', () => {
    const c = buildSpamCorpus();
    const n = 2 * PER_CLASS;
    expect(c.labels).toHaveLength(n);
    expect(c.trainSize).toBe(n - 2 * Math.round(PER_CLASS * TEST_FRACTION));
    const test = c.labels.slice(c.trainSize);
    expect(test.filter((l) => l === 1)).toHaveLength(test.length / 2);
    const idx = new Uint16Array(new Uint8Array(Buffer.from(c.indices, 'base64')).buffer);
    expect(idx.length).toBe(c.offsets[n]);
    for (let m = 0; m < n; m++) {
      expect(c.offsets[m + 1]).toBeGreaterThan(c.offsets[m]);
      for (let k = c.offsets[m] + 1; k < c.offsets[m + 1]; k++) expect(idx[k]).toBeGreaterThan(idx[k - 1]);
    }
    for (const b of idx) expect(bucketOf(c.tokens[b])).toBe(b);
    expect(Object.keys(c.source).sort()).toEqual(['easy-ham-1', 'easy-ham-2', 'hard-ham-1', 'spam-1', 'spam-2']);
  });
});
