/**
 * Bad input to the data readers and loaders: options checked (unknown names refused), malformed
 * IDX files refused with the byte offset, malformed CSV with the line, checkpoints with the file.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { data, zeros } from '../src/index.js';
import { parseCsv } from '../src/data/csv.js';
import { loadCheckpoint, saveCheckpoint } from '../src/train/checkpoint.js';
import { encodeSafetensors } from '../src/train/safetensors.js';

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect((err as Error).constructor).toBe(Error);
    return (err as Error).message;
  }
  throw new Error('expected an Error');
}

const set = () => new data.TensorDataset(zeros([4, 2]), Int32Array.from([0, 1, 0, 1]));

describe('loaders and data sets refuse bad options', () => {
  it.each([
    ['DataLoader typo', () => new data.DataLoader(set(), { batchsize: 2 } as never),
      "DataLoader: unknown option 'batchsize' (did you mean 'batchSize'? known options: batchSize, shuffle, dropLast, seed)"],
    ['DataLoader shuffle a string', () => new data.DataLoader(set(), { shuffle: 'yes' } as never), 'DataLoader: shuffle must be true or false, got "yes"'],
    ['DataLoader dropLast a number', () => new data.DataLoader(set(), { dropLast: 1 } as never), 'DataLoader: dropLast must be true or false, got 1'],
    ['DataLoader options null', () => new data.DataLoader(set(), null as never), 'DataLoader: options must be an object, got null'],
    ['DataLoader batchSize 0', () => new data.DataLoader(set(), { batchSize: 0 }), 'DataLoader: batchSize must be a positive integer, got 0'],
    ['DataLoader not a dataset', () => new data.DataLoader([1, 2] as never), 'DataLoader: dataset must have an integer length and a get(index) method'],
    ['TensorDataset labels short', () => new data.TensorDataset(zeros([4, 2]), Int32Array.from([0, 1, 0])), 'TensorDataset: y has 3 labels but x has 4 samples (x shape [4,2])'],
    ['TensorDataset fractional label', () => new data.TensorDataset(zeros([2, 2]), [0.5, 1]), 'TensorDataset: labels must be non-negative integers (class indices), got 0.5 at 0'],
    ['spiral typo', () => data.spiral(10, { sed: 1 } as never), "spiral: unknown option 'sed' (did you mean 'seed'? known options: noise, seed, classes)"],
    ['moons classes (it has two)', () => data.moons(10, { classes: 3 } as never), "moons: unknown option 'classes' (known options: noise, seed)"],
    ['circles noise negative', () => data.circles(10, { noise: -1 }), 'circles: noise must be a finite number ≥ 0, got -1'],
    ['xor options a string', () => data.xor(10, 'noisy' as never), 'xor: options must be an object, got string'],
    ['loadMnist typo', () => data.loadMnist({ splt: 'test' } as never), "loadMnist: unknown option 'splt' (did you mean 'split'? known options: split, limit, normalize, flatten)"],
    ['loadMnist normalize a string', () => data.loadMnist({ normalize: 'yes' } as never), 'loadMnist: normalize must be true or false, got "yes"'],
    ['loadFashionMnist limit 0', () => data.loadFashionMnist({ limit: 0 }), "loadFashionMnist: limit must be an integer from 1 to 60000 (the train split's size), got 0"],
    ['randomSplit fractions', () => data.randomSplit(set(), [0.5, 0.7]),
      "randomSplit: lengths must be sample counts summing to the dataset's length 4 or fractions summing to 1, got [0.5,0.7] (sum 1.2)"],
  ])('%s', (_what, fn, expected) => {
    expect(message(fn)).toBe(expected);
  });
});

describe('parseCsv refuses bad options and malformed rows with the line', () => {
  it.each([
    ['typo', () => parseCsv('a,b\n1,2\n', { labelColum: 'b' } as never),
      "loadCsv: unknown option 'labelColum' (did you mean 'labelColumn'? known options: labelColumn, header, delimiter)"],
    ['header a string', () => parseCsv('a,b\n1,2\n', { header: 'yes' } as never), 'loadCsv: header must be true or false, got "yes"'],
    ['a row with a missing field', () => parseCsv('a,b,y\n1,2,0\n3,1\n', {}, 'f.csv'), 'loadCsv: f.csv line 3: Invalid Record Length: expect 3, got 2'],
    ['a word where a number goes', () => parseCsv('a,y\n1,0\nfive,1\n', {}, 'g.csv'), 'loadCsv: g.csv line 3: column "a": "five" is not a number'],
    ['an empty feature', () => parseCsv('a,b,y\n1,,0\n', {}, 'h.csv'), 'loadCsv: h.csv line 2: column "b": "" is not a number'],
    ['an unclosed quote', () => parseCsv('a,y\n"1,0\n', {}, 'q.csv'), 'loadCsv: q.csv line 2: Quote Not Closed: the parsing is finished with an opening quote'],
    ['Infinity is refused', () => parseCsv('a,y\nInfinity,0\n', {}, 'i.csv'), 'loadCsv: i.csv line 2: column "a": "Infinity" is not a number'],
  ])('%s', (_what, fn, expected) => {
    expect(message(fn)).toBe(expected);
  });
});

describe('readIdx refuses malformed files with the byte offset', () => {
  const header = (type: number, dims: number[]) => {
    const b = new Uint8Array(4 + 4 * dims.length);
    b[2] = type;
    b[3] = dims.length;
    dims.forEach((d, i) => new DataView(b.buffer).setUint32(4 + 4 * i, d, false));
    return b;
  };
  const withData = (h: Uint8Array, n: number) => {
    const b = new Uint8Array(h.length + n);
    b.set(h);
    return b;
  };
  it.each([
    ['empty', new Uint8Array(0), 'readIdx: e.idx: file too short for the 4-byte magic number (0 bytes) at byte 0'],
    ['a gzip file', Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0]), 'readIdx: e.idx: bad magic number 0x1f 0x8b 0x08 0x00 (an IDX file starts with 0x00 0x00) at byte 0'],
    ['255 dimensions declared, 2 bytes follow', Uint8Array.from([0, 0, 8, 255, 0, 1]), 'readIdx: e.idx: file too short for 255 dimension sizes (header needs 1024 bytes, file has 6) at byte 6'],
    ['huge dimensions', withData(header(8, [65536, 65536, 65536]), 3), 'readIdx: e.idx: size mismatch: shape [65536,65536,65536] of uint8 needs 281474976710656 data bytes, found 3 at byte 16'],
    ['one float missing', withData(header(0x0d, [2, 2]), 12), 'readIdx: e.idx: size mismatch: shape [2,2] of float32 needs 16 data bytes, found 12 at byte 12'],
    ['trailing bytes', withData(header(8, [3]), 4), 'readIdx: e.idx: size mismatch: shape [3] of uint8 needs 3 data bytes, found 4 at byte 8'],
    ['type 0x0f', withData(header(0x0f, [1]), 1), 'readIdx: e.idx: unknown data type 0x0f (expected 0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e) at byte 2'],
  ])('%s', (_what, bytes, expected) => {
    expect(message(() => data.readIdx(bytes, 'e.idx'))).toBe(expected);
  });
});

describe('loadCheckpoint refuses a malformed header with one line naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-validation-'));
  const write = (name: string, header: unknown, payload = new Uint8Array(0)) => {
    const json = new TextEncoder().encode(JSON.stringify(header));
    const prefix = Buffer.alloc(8);
    prefix.writeBigUInt64LE(BigInt(json.length));
    const path = join(dir, name);
    writeFileSync(path, Buffer.concat([prefix, json, payload]));
    return path;
  };
  it.each([
    ['an entry that is not an object', { __metadata__: {}, w: 5 }, 'corrupted header (entry \'w\' is not an object)'],
    ['a shape that is not an array', { w: { dtype: 'F32', shape: 'big', data_offsets: [0, 4] } }, 'tensor \'w\' has an invalid shape "big"'],
    ['a negative dimension', { w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, "tensor 'w' has an invalid shape [-1]"],
    ['fractional offsets', { w: { dtype: 'F32', shape: [1], data_offsets: [0.5, 4] } }, "tensor 'w' has invalid data_offsets"],
    ['an unknown dtype', { w: { dtype: 'U8', shape: [4], data_offsets: [0, 4] } }, "tensor 'w' has dtype U8, which nabla does not read (it reads F32, F64, I32, I64, F16, BF16)"],
    ['the header is an array', [1, 2], 'corrupted header (not an object)'],
  ])('%s', (what, header, expected) => {
    const path = write(`${what.replace(/\W+/g, '-')}.safetensors`, header, new Uint8Array(4));
    const msg = message(() => loadCheckpoint(path));
    expect(msg).toBe(`checkpoint ${path}: ${expected}`);
    expect(msg).not.toContain('\n');
  });

  it('a header edited to another shape or dtype of the same size is refused by the checksum', () => {
    const path = join(dir, 'edited.safetensors');
    saveCheckpoint(path, { w: zeros([2, 2]) });
    const original = readFileSync(path);
    for (const [from, to] of [['"shape":[2,2]', '"shape":[4,1]'], ['"dtype":"F32"', '"dtype":"I32"']]) {
      const text = original.toString('latin1');
      expect(text).toContain(from);
      writeFileSync(path, Buffer.from(text.replace(from, to), 'latin1'));
      expect(message(() => loadCheckpoint(path))).toBe(`checkpoint ${path}: corrupted (checksum mismatch)`);
    }
  });

  it('a format-1 checkpoint (checksum over names and bytes only) still loads', () => {
    const w = Float32Array.from([1, 2, 3, 4]);
    const state = JSON.stringify({ w: { $tensor: 'w' }, epoch: 3 });
    const sha256 = createHash('sha256').update(state).update('w').update(new Uint8Array(w.buffer)).digest('hex');
    const path = join(dir, 'v1.safetensors');
    writeFileSync(path, Buffer.concat(encodeSafetensors({ w: { data: w, shape: [2, 2] } }, { format: 'nabla-checkpoint/1', state, sha256 })));
    const back = loadCheckpoint(path) as { w: { shape: number[]; data: Float32Array }; epoch: number };
    expect(back.epoch).toBe(3);
    expect(back.w.shape).toEqual([2, 2]);
    expect(Array.from(back.w.data)).toEqual([1, 2, 3, 4]);
  });

  it('a file whose header length exceeds the file, and a safetensors file that is not a checkpoint', () => {
    const good = join(dir, 'good.safetensors');
    saveCheckpoint(good, { w: zeros([2, 2]) });
    const bytes = Buffer.from(readFileSync(good));
    const huge = Buffer.from(bytes);
    huge.writeBigUInt64LE(2n ** 62n);
    const hugePath = join(dir, 'huge.safetensors');
    writeFileSync(hugePath, huge);
    expect(message(() => loadCheckpoint(hugePath))).toMatch(new RegExp(`^checkpoint ${hugePath}: truncated \\(header of \\d+ bytes, file of ${bytes.length}\\)$`));
    // Not a nabla checkpoint at all: a valid safetensors file without our metadata.
    const foreign = join(dir, 'foreign.safetensors');
    writeFileSync(foreign, Buffer.concat(encodeSafetensors({ w: { data: new Float32Array(4), shape: [4] } }, {})));
    expect(message(() => loadCheckpoint(foreign))).toBe(`checkpoint ${foreign}: not a nabla checkpoint (format null, expected nabla-checkpoint/2)`);
  });
});
