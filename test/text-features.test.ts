import { describe, expect, it } from 'vitest';
import { murmur3, murmur3String } from '../src/text/murmur3.js';
import { tokenize, decodeText } from '../src/text/tokenize.js';
import { TextFeaturizer, hashToken, checkHashBits } from '../src/text/hashing.js';
import { SparseDataset } from '../src/text/sparse-dataset.js';
import { checkPreprocess } from '../src/serialize/preprocess.js';

describe('MurmurHash3_x86_32', () => {
  it("matches the reference implementation's values", () => {
    // Published test vectors of MurmurHash3_x86_32 (SMHasher's reference), key bytes and seed → hash.
    expect(murmur3String('', 0)).toBe(0);
    expect(murmur3String('', 1)).toBe(0x514e28b7);
    expect(murmur3String('', 0xffffffff)).toBe(0x81f16f39);
    expect(murmur3(new Uint8Array(4), 0)).toBe(0x2362f9de);
    expect(murmur3String('aaaa', 0x9747b28c)).toBe(0x5a97808a);
    expect(murmur3String('abc', 0)).toBe(0xb3dd93fa);
    expect(murmur3String('Hello, world!', 0x9747b28c)).toBe(0x24884cba);
    expect(murmur3String('The quick brown fox jumps over the lazy dog', 0x9747b28c)).toBe(0x2fa826cd);
    expect(murmur3String('The quick brown fox jumps over the lazy dog', 0)).toBe(0x2e4ff723);
  });

  it('hashes strings as UTF-8 bytes', () => {
    expect(murmur3String('é')).toBe(murmur3(Uint8Array.from([0xc3, 0xa9])));
  });
});

describe('tokenize', () => {
  it('lowercases word tokens and keeps addresses, numbers and prices whole', () => {
    expect(tokenize('Subject: FREE Money!!! Only $50, from Bob@Example.COM (x-mailer 3.5). Don\'t wait.')).toEqual(
      ['subject', 'free', 'money', 'only', '$50', 'from', 'bob@example.com', 'x-mailer', '3.5', "don't", 'wait'],
    );
    expect(tokenize('Ünïcode ÉTÉ 東京')).toEqual(['ünïcode', 'été', '東京']);
    expect(tokenize('  ,;: ')).toEqual([]);
  });

  it('decodes UTF-8, else windows-1252', () => {
    expect(decodeText(Uint8Array.from([0x63, 0x61, 0x66, 0xc3, 0xa9]))).toBe('café');
    expect(decodeText(Uint8Array.from([0x63, 0x61, 0x66, 0xe9]))).toBe('café');
  });
});

describe('hashing features', () => {
  it('gives stable ids: the same on every run and platform (fixed values)', () => {
    const f = new TextFeaturizer({ hashBits: 20 });
    expect(hashToken('free', 20)).toBe(murmur3String('free') & 0xfffff);
    // Pinned: changing the tokenizer or the hash changes these, and every saved text model with them.
    expect(Array.from(f.features('Free money free'))).toEqual([...new Set([hashToken('free', 20), hashToken('money', 20)])].sort((a, b) => a - b));
    expect(hashToken('free', 20)).toBe(0xe646e);
    expect(hashToken('money', 20)).toBe(0xe2946);
    expect(hashToken('free money', 20)).toBe(0xa1f48);
  });

  it('adds bigrams as "a b" when asked, each distinct id once, ascending', () => {
    const uni = new TextFeaturizer({ hashBits: 20 });
    const bi = new TextFeaturizer({ hashBits: 20, bigrams: true });
    const u = Array.from(uni.features('free money free money'));
    const b = Array.from(bi.features('free money free money'));
    expect(u).toHaveLength(2);
    expect(b).toEqual([...new Set([...u, hashToken('free money', 20), hashToken('money free', 20)])].sort((x, y) => x - y));
    for (let i = 1; i < b.length; i++) expect(b[i]).toBeGreaterThan(b[i - 1]);
  });

  it('keeps ids below 2^hashBits and refuses bits outside 1..24', () => {
    const f = new TextFeaturizer({ hashBits: 3 });
    for (const id of f.features('the quick brown fox jumps over the lazy dog')) expect(id).toBeLessThan(8);
    expect(() => checkHashBits('x', 25)).toThrow(/hashBits must be an integer from 1 to 24/);
    expect(() => new TextFeaturizer({ hashBits: 0 })).toThrow(/from 1 to 24/);
  });

  it('stores documents as CSR batches, as EmbeddingBag takes them', () => {
    const ds = new SparseDataset([Int32Array.from([1, 4]), Int32Array.from([]), Int32Array.from([2])], Int32Array.from([0, 1, 0]), 8);
    const b = ds.batch(Int32Array.from([2, 0, 1]));
    expect(Array.from(b.ids)).toEqual([2, 1, 4]);
    expect(Array.from(b.offsets)).toEqual([0, 1, 3]);
    expect(Array.from(b.y)).toEqual([0, 0, 1]);
    expect(ds.distinctFeatures()).toBe(3);
    expect(Array.from(ds.subset(Int32Array.from([0, 2])).ids)).toEqual([1, 4, 2]);
  });

  it('Preprocess has a checked text variant', () => {
    const text = { tokenizer: 'words-v1', hash: 'murmur3_x86_32', seed: 0, hashBits: 4, bigrams: false };
    expect(checkPreprocess('t', { inputShape: [16], mean: [0], std: [1], text }).text).toEqual(text);
    expect(() => checkPreprocess('t', { inputShape: [8], mean: [0], std: [1], text })).toThrow(/inputShape must be \[16\]/);
    expect(() => checkPreprocess('t', { inputShape: [16], mean: [0], std: [1], text: { ...text, tokenizer: 'bpe' } })).toThrow(/preprocess.text must be/);
  });
});
