import { describe, expect, it } from 'vitest';
import { data, manualSeed, rand, tensor, Tensor } from '../src/index.js';
import type { Dataset, Sample } from '../src/data/index.js';

const { DataLoader, TensorDataset, Subset, randomSplit, trainValidationSplit } = data;

/** n samples of shape [2, 3] whose values encode their index: sample i is filled with i + k/10. */
function indexed(n: number) {
  const x = new Float32Array(n * 6);
  for (let i = 0; i < n; i++) for (let k = 0; k < 6; k++) x[i * 6 + k] = i + k / 10;
  const y = Int32Array.from({ length: n }, (_, i) => i % 4);
  return new TensorDataset(new Tensor(x, [n, 2, 3]), y);
}

function epochIndices(loader: InstanceType<typeof DataLoader>): number[] {
  const seen: number[] = [];
  for (const batch of loader) seen.push(...batch.indices);
  return seen;
}

describe('TensorDataset', () => {
  it('serves rows and labels, from Int32Array, number[] or tensor labels', () => {
    const ds = indexed(5);
    expect(ds.length).toBe(5);
    const s = ds.get(3);
    expect(s.x.shape).toEqual([2, 3]);
    expect(Array.from(s.x.data)).toEqual([3, 3.1, 3.2, 3.3, 3.4, 3.5].map(Math.fround));
    expect(s.y).toBe(3);
    s.x.data[0] = 99; // a copy, not a view
    expect(ds.x.data[18]).toBe(3);
    expect(Array.from(new TensorDataset(tensor([[1], [2]]), [1, 0]).y)).toEqual([1, 0]);
    expect(Array.from(new TensorDataset(tensor([[1], [2]]), tensor([2, 1])).y)).toEqual([2, 1]);
  });

  it('refuses mismatched or non-integer labels and out-of-range indices', () => {
    expect(() => new TensorDataset(tensor([[1], [2], [3]]), [0, 1])).toThrow('TensorDataset: y has 2 labels but x has 3 samples (x shape [3,1])');
    expect(() => new TensorDataset(tensor([[1], [2]]), [0, 1.5])).toThrow('TensorDataset: labels must be non-negative integers (class indices), got 1.5 at 1');
    expect(() => new TensorDataset(tensor([[1], [2]]), tensor([[0, 1]]))).toThrow('TensorDataset: labels must be a 1-D tensor, got shape [1,2]');
    expect(() => indexed(3).get(3)).toThrow('TensorDataset.get: index 3 is out of range for 3 samples');
  });
});

describe('DataLoader', () => {
  it('yields batches x [B, ...] and labels in order, the last one short', () => {
    const loader = new DataLoader(indexed(10), { batchSize: 4 });
    expect(loader.length).toBe(3);
    const batches = [...loader];
    expect(batches.map((b) => b.x.shape)).toEqual([[4, 2, 3], [4, 2, 3], [2, 2, 3]]);
    expect(Array.from(batches[1].indices)).toEqual([4, 5, 6, 7]);
    expect(Array.from(batches[1].y)).toEqual([0, 1, 2, 3]);
    expect(batches[2].x.data[6]).toBe(9); // row 1 of the last batch is sample 9
    expect(Array.from(batches[2].x.data.subarray(0, 6))).toEqual([8, 8.1, 8.2, 8.3, 8.4, 8.5].map(Math.fround));
  });

  it('drops the short last batch with dropLast', () => {
    const loader = new DataLoader(indexed(10), { batchSize: 4, dropLast: true });
    expect(loader.length).toBe(2);
    expect([...loader].map((b) => b.x.shape[0])).toEqual([4, 4]);
    expect(new DataLoader(indexed(8), { batchSize: 4, dropLast: true }).length).toBe(2);
    expect(new DataLoader(indexed(3), { batchSize: 4, dropLast: true }).length).toBe(0);
  });

  it('shuffles: every sample exactly once per epoch, a new order each epoch, rows matching labels', () => {
    const ds = indexed(50);
    const loader = new DataLoader(ds, { batchSize: 7, shuffle: true, seed: 1 });
    const first = epochIndices(loader);
    const second = epochIndices(loader);
    expect([...first].sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
    expect([...second].sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
    expect(first).not.toEqual([...Array(50).keys()]);
    expect(second).not.toEqual(first);
    for (const { x, y, indices } of loader) {
      for (let k = 0; k < indices.length; k++) {
        expect(x.data[k * 6]).toBe(indices[k]);
        expect(y[k]).toBe(indices[k] % 4);
      }
    }
  });

  it('is reproducible: the same seed gives the same epochs, without touching the global generator', () => {
    manualSeed(5);
    const expectedGlobal = rand([3]).data;
    manualSeed(5);
    const a = new DataLoader(indexed(30), { batchSize: 8, shuffle: true, seed: 42 });
    const b = new DataLoader(indexed(30), { batchSize: 8, shuffle: true, seed: 42 });
    const c = new DataLoader(indexed(30), { batchSize: 8, shuffle: true, seed: 43 });
    const aEpochs = [epochIndices(a), epochIndices(a)];
    expect([epochIndices(b), epochIndices(b)]).toEqual(aEpochs);
    expect(epochIndices(c)).not.toEqual(aEpochs[0]);
    expect(rand([3]).data).toEqual(expectedGlobal);
  });

  it('without a seed, shuffles from the global generator (manualSeed makes it reproducible)', () => {
    const loader = new DataLoader(indexed(30), { batchSize: 8, shuffle: true });
    manualSeed(7);
    const first = epochIndices(loader);
    manualSeed(7);
    expect(epochIndices(loader)).toEqual(first);
    manualSeed(8);
    expect(epochIndices(loader)).not.toEqual(first);
  });

  it('batches a generic dataset through get(), and refuses samples of different shapes', () => {
    const squares: Dataset<Sample> = { length: 5, get: (i) => ({ x: tensor([i, i * i]), y: i % 2 }) };
    const batches = [...new DataLoader(squares, { batchSize: 2 })];
    expect(batches.length).toBe(3);
    expect(batches[1].x.shape).toEqual([2, 2]);
    expect(Array.from(batches[1].x.data)).toEqual([2, 4, 3, 9]);
    expect(Array.from(batches[1].y)).toEqual([0, 1]);
    const ragged: Dataset<Sample> = { length: 2, get: (i) => ({ x: tensor(i === 0 ? [1, 2] : [1, 2, 3]), y: 0 }) };
    expect(() => [...new DataLoader(ragged, { batchSize: 2 })]).toThrow('DataLoader: samples in a batch must have one shape: sample 1 has [3], sample 0 has [2]');
  });

  it('gathers 60,000 MNIST-sized rows per epoch with one copy per row', () => {
    const n = 60000;
    const x = new Float32Array(n * 784);
    for (let i = 0; i < n; i++) x[i * 784 + 783] = i;
    const loader = new DataLoader(new TensorDataset(new Tensor(x, [n, 784]), new Int32Array(n)), { batchSize: 128, shuffle: true, seed: 0 });
    expect(loader.length).toBe(469);
    let rows = 0;
    let checksum = 0;
    for (const batch of loader) {
      rows += batch.x.shape[0];
      for (let k = 0; k < batch.indices.length; k++) checksum += batch.x.data[k * 784 + 783] - batch.indices[k];
    }
    expect(rows).toBe(n);
    expect(checksum).toBe(0);
  });

  it('refuses bad options', () => {
    expect(() => new DataLoader(indexed(3), { batchSize: 0 })).toThrow('DataLoader: batchSize must be a positive integer, got 0');
    expect(() => new DataLoader(indexed(3), { seed: 1.5 })).toThrow('DataLoader: seed must be an integer, got 1.5');
    expect(() => new DataLoader({} as Dataset<Sample>)).toThrow('DataLoader: dataset must have an integer length and a get(index) method');
  });
});

describe('randomSplit and trainValidationSplit', () => {
  it('splits into disjoint subsets that cover the dataset, by counts or fractions', () => {
    const ds = indexed(11);
    const parts = randomSplit(ds, [0.5, 0.5], { seed: 3 });
    expect(parts.map((p) => p.length)).toEqual([6, 5]); // the remainder goes to the first split, as in PyTorch
    const all = [...parts[0].indices, ...parts[1].indices].sort((a, b) => a - b);
    expect(all).toEqual([...Array(11).keys()]);
    expect(randomSplit(ds, [0.5, 0.3, 0.2], { seed: 3 }).map((p) => p.length)).toEqual([6, 3, 2]);
    expect(randomSplit(ds, [2, 9], { seed: 3 }).map((p) => p.length)).toEqual([2, 9]);
    expect(randomSplit(ds, [0.5, 0.5], { seed: 3 }).map((p) => Array.from(p.indices))).toEqual(parts.map((p) => Array.from(p.indices)));
  });

  it('subsets serve their samples and batch through the parent dataset', () => {
    const ds = indexed(20);
    const { train, validation } = trainValidationSplit(ds, 0.25, { seed: 9 });
    expect([train.length, validation.length]).toEqual([15, 5]);
    expect(validation.get(2).x.data[0]).toBe(validation.indices[2]);
    const batches = [...new DataLoader(validation, { batchSize: 5 })];
    expect(Array.from(batches[0].indices)).toEqual([0, 1, 2, 3, 4]); // positions within the subset
    expect(Array.from(batches[0].x.data.filter((_, i) => i % 6 === 0))).toEqual(Array.from(validation.indices));
    const sub = new Subset(ds, [4, 2]);
    expect(sub.get(1).y).toBe(2);
    expect(() => new Subset(ds, [20])).toThrow('Subset: index 20 is out of range for 20 samples');
  });

  it('refuses bad sizes and fractions', () => {
    const ds = indexed(10);
    expect(() => randomSplit(ds, [3, 3])).toThrow("randomSplit: lengths must be sample counts summing to the dataset's length 10 or fractions summing to 1, got [3,3] (sum 6)");
    expect(() => randomSplit(ds, [])).toThrow('randomSplit: lengths must be a non-empty array of non-negative numbers, got []');
    expect(() => trainValidationSplit(ds, 1)).toThrow('trainValidationSplit: validationFraction must be a number strictly between 0 and 1, got 1');
  });
});
