/**
 * nn.Embedding and nn.EmbeddingBag: shapes, values and gradients against PyTorch (run here on the
 * same numbers: test/fixtures/embedding_torch.py), gradcheck, padding, empty bags, per-sample
 * weights, refused inputs, saveModel/loadModel, on the js and the native backend.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { uniqueRows } from '../src/ops/embedding-ids.js';
import { gradcheck, loadModel, manualSeed, nn, randn, saveModel, setBackend, getBackend, Tensor, tensor } from '../src/index.js';

const initialBackend = getBackend();
afterAll(() => setBackend(initialBackend as 'js' | 'native'));

interface Case {
  kind: 'embedding' | 'bag';
  num: number;
  dim: number;
  weight: number[];
  ids: number[];
  idsShape: number[];
  offsets?: number[] | null;
  mode?: 'sum' | 'mean';
  paddingIdx?: number;
  psw?: number[] | null;
  upstream: number[];
}

function seq(n: number, seed: number): number[] {
  // Small exact-ish floats, deterministic.
  return Array.from({ length: n }, (_, i) => Math.round(Math.sin(seed * 13.7 + i * 1.9) * 64) / 32);
}

const cases: Case[] = [
  { kind: 'embedding', num: 6, dim: 3, weight: seq(18, 1), ids: [1, 4, 1, 0, 5, 1], idsShape: [2, 3], upstream: seq(18, 2) },
  { kind: 'embedding', num: 6, dim: 2, weight: seq(12, 3), ids: [2, 0, 2, 5], idsShape: [4], paddingIdx: 2, upstream: seq(8, 4) },
  { kind: 'bag', num: 7, dim: 3, weight: seq(21, 5), ids: [1, 2, 4, 5, 4, 3, 2, 6], idsShape: [8], offsets: [0, 2, 2, 5], mode: 'mean', upstream: seq(12, 6) },
  { kind: 'bag', num: 7, dim: 3, weight: seq(21, 7), ids: [1, 2, 4, 5, 4, 3, 2, 6], idsShape: [8], offsets: [0, 3, 3, 8], mode: 'sum', upstream: seq(12, 8) },
  { kind: 'bag', num: 7, dim: 2, weight: seq(14, 9), ids: [1, 2, 4, 1, 0, 1], idsShape: [2, 3], mode: 'sum', psw: seq(6, 10), upstream: seq(4, 11) },
  { kind: 'bag', num: 7, dim: 2, weight: seq(14, 12), ids: [1, 2, 4, 1, 0, 1, 1, 1, 3], idsShape: [3, 3], mode: 'mean', paddingIdx: 1, upstream: seq(6, 13) },
  { kind: 'bag', num: 5, dim: 2, weight: seq(10, 14), ids: [3, 3, 0, 4], idsShape: [4], offsets: [0, 1, 4, 4], mode: 'sum', paddingIdx: 3, psw: seq(4, 15), upstream: seq(8, 16) },
];

function torchReference(): { out: number[]; shape: number[]; gradWeight: number[]; gradPsw: number[] | null }[] {
  const r = spawnSync('/usr/bin/python3', [join(__dirname, 'fixtures/embedding_torch.py')], { input: JSON.stringify(cases), encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`embedding_torch.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function build(c: Case): { module: nn.Embedding | nn.EmbeddingBag; run: () => Tensor; psw: Tensor | null } {
  const module = c.kind === 'embedding'
    ? new nn.Embedding(c.num, c.dim, { paddingIdx: c.paddingIdx })
    : new nn.EmbeddingBag(c.num, c.dim, { mode: c.mode, paddingIdx: c.paddingIdx });
  module.weight.data.set(c.weight);
  const ids = tensor(Float32Array.from(c.ids), { shape: c.idsShape });
  const psw = c.psw ? tensor(Float32Array.from(c.psw), { shape: c.idsShape, requiresGrad: true }) : null;
  const run = () => (module instanceof nn.EmbeddingBag ? module.forward(ids, c.offsets ?? undefined, psw) : module.forward(ids));
  return { module, run, psw };
}

const reference = torchReference();

for (const name of ['js', 'native'] as const) {
  describe(`Embedding and EmbeddingBag (${name} backend)`, () => {
    it('match PyTorch: outputs, weight gradients and per-sample-weight gradients', () => {
      setBackend(name);
      cases.forEach((c, i) => {
        const { module, run, psw } = build(c);
        const out = run();
        expect(out.shape, `case ${i}`).toEqual(reference[i].shape);
        const upstream = tensor(Float32Array.from(c.upstream), { shape: out.shape });
        out.mul(upstream).sum().backward();
        const close = (a: ArrayLike<number>, b: number[], what: string) => {
          expect(a.length, `${what} of case ${i}`).toBe(b.length);
          for (let k = 0; k < b.length; k++) expect(Math.abs(a[k] - b[k]), `${what}[${k}] of case ${i}: ${a[k]} vs ${b[k]}`).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(b[k])));
        };
        close(out.data, reference[i].out, 'output');
        close(module.weight.grad!.data, reference[i].gradWeight, 'weight gradient');
        if (psw) close(psw.grad!.data, reference[i].gradPsw!, 'perSampleWeights gradient');
      });
    });

    it('pass gradcheck for the weight and the per-sample weights', () => {
      setBackend(name);
      manualSeed(4);
      const bag = new nn.EmbeddingBag(6, 3, { mode: 'sum', paddingIdx: 2 });
      const ids = tensor([1, 2, 4, 1, 5, 0, 2]);
      const offsets = [0, 3, 3, 5];
      const psw = randn([7]).requiresGrad_(true);
      expect(gradcheck((w, p) => {
        bag.weight = w;
        return bag.forward(ids, offsets, p);
      }, [bag.weight, psw])).toBe(true);
      const mean = new nn.EmbeddingBag(6, 2, { mode: 'mean' });
      expect(gradcheck((w) => {
        mean.weight = w;
        return mean.forward(tensor([[1, 1, 3], [0, 5, 1]]));
      }, [mean.weight])).toBe(true);
      // No paddingIdx: its row is returned by the forward but gets no gradient, on purpose (as PyTorch).
      const emb = new nn.Embedding(5, 4);
      expect(gradcheck((w) => {
        emb.weight = w;
        return emb.forward(tensor([[4, 0], [3, 3]])).tanh();
      }, [emb.weight])).toBe(true);
    });

    it('Embedding: N(0, 1) weights, the padding row zero and without gradient, any ids shape, Int32Array ids', () => {
      setBackend(name);
      manualSeed(5);
      const emb = new nn.Embedding(2000, 8, { paddingIdx: 3 });
      const w = emb.weight.data;
      let mean = 0;
      let sq = 0;
      for (const v of w) { mean += v / w.length; sq += (v * v) / w.length; }
      expect(Math.abs(mean)).toBeLessThan(0.02);
      expect(Math.abs(sq - 1)).toBeLessThan(0.05);
      expect(Array.from(w.subarray(24, 32))).toEqual(new Array(8).fill(0));
      const out = emb.forward(tensor([[[3, 7]], [[7, 1999]]]));
      expect(out.shape).toEqual([2, 1, 2, 8]);
      expect(Array.from(out.data.subarray(8, 16))).toEqual(Array.from(w.subarray(56, 64)));
      out.sum().backward();
      const g = emb.weight.grad!.data;
      expect(Array.from(g.subarray(24, 32))).toEqual(new Array(8).fill(0));
      expect(Array.from(g.subarray(56, 64))).toEqual(new Array(8).fill(2));
      expect(Array.from(emb.forward(Int32Array.of(7, 3)).data.subarray(0, 8))).toEqual(Array.from(w.subarray(56, 64)));
      expect(emb.forward(Int32Array.of(7, 3)).shape).toEqual([2, 8]);
    });

    it('EmbeddingBag: empty bags are zeros, a bag of only padding is zeros in mean mode, default mode is mean', () => {
      setBackend(name);
      const bag = new nn.EmbeddingBag(4, 2, { paddingIdx: 0 });
      expect(bag.mode).toBe('mean');
      bag.weight.data.set([0, 0, 1, 2, 3, 4, 5, 6]);
      const out = bag.forward(Int32Array.of(0, 0, 1, 3, 0), Int32Array.of(0, 0, 2, 5));
      expect(Array.from(out.data)).toEqual([0, 0, 0, 0, 3, 4, 0, 0]);
    });
  });
}

describe('Embedding and EmbeddingBag: refused inputs name the layer and the bad value', () => {
  const emb = new nn.Embedding(10, 3);
  const bag = new nn.EmbeddingBag(10, 3, { mode: 'sum', sparse: true });
  it('ids out of range, not integers, past 2^24 in a float tensor, of the wrong type', () => {
    expect(() => emb.forward(tensor([1, 10]))).toThrow('Embedding(10, 3): id 10 at position 1 is out of range [0, 10)');
    expect(() => emb.forward(Int32Array.of(-1))).toThrow('Embedding(10, 3): id -1 at position 0 is out of range [0, 10)');
    expect(() => emb.forward(tensor([0.5]))).toThrow('Embedding(10, 3): ids must be integers, got 0.5 at position 0 of shape [1]');
    expect(() => new nn.Embedding(2 ** 25, 1).forward(tensor([2 ** 24 + 2]))).toThrow(/id 16777218 at position 0 is past 2\^24 = 16777216.*Int32Array/);
    expect(() => emb.forward([1, 2] as never)).toThrow('Embedding(10, 3): ids must be a Tensor of integers or an Int32Array, got an array');
    expect(() => bag.forward(tensor([1, 11]), [0])).toThrow("EmbeddingBag(10, 3, mode: 'sum', sparse: true): id 11 at position 1 is out of range [0, 10)");
  });
  it('bad offsets and shapes', () => {
    const ids = tensor([1, 2, 3]);
    expect(() => bag.forward(ids, [1, 2])).toThrow("EmbeddingBag(10, 3, mode: 'sum', sparse: true): offsets[0] must be 0 (the first bag starts at the first id), got 1");
    expect(() => bag.forward(ids, [0, 2, 1])).toThrow('offsets must be nondecreasing, got offsets[2] = 1 after 2');
    expect(() => bag.forward(ids, [0, 4])).toThrow('offsets[1] = 4 is past the end of the 3 ids');
    expect(() => bag.forward(ids, [0, 1.5])).toThrow('offsets must be integers, got 1.5 at position 1');
    expect(() => bag.forward(ids)).toThrow('1-D ids need offsets');
    expect(() => bag.forward(tensor([[1, 2]]), [0])).toThrow('offsets must be left out for 2-D ids [1,2]');
    expect(() => bag.forward(tensor([[[1]]]))).toThrow('ids must be 1-D (with offsets) or 2-D [bags, ids per bag], got shape [1,1,1]');
    expect(() => new nn.EmbeddingBag(10, 3).forward(ids, [0], tensor([1, 1, 1]))).toThrow("perSampleWeights are only supported with mode 'sum' (as PyTorch), got mode 'mean'");
    expect(() => bag.forward(ids, [0], tensor([1, 1]))).toThrow("perSampleWeights must be a Tensor of the ids' shape [3], got shape [2]");
  });
  it('bad constructor arguments', () => {
    expect(() => new nn.Embedding(0, 3)).toThrow('Embedding: numEmbeddings must be a positive integer, got 0');
    expect(() => new nn.Embedding(3, 2.5)).toThrow('Embedding: embeddingDim must be a positive integer, got 2.5');
    expect(() => new nn.Embedding(3, 2, { paddingIdx: 3 })).toThrow('Embedding: paddingIdx must be an integer in [-3, 3)');
    expect(() => new nn.EmbeddingBag(3, 2, { mode: 'max' as never })).toThrow(/EmbeddingBag.*mode/);
    expect(() => new nn.Embedding(3, 2, { sparse: 1 as never })).toThrow(/Embedding.*sparse/);
  });
});

describe('saveModel / loadModel rebuild Embedding and EmbeddingBag', () => {
  it('with their options and weights', () => {
    manualSeed(6);
    const dir = mkdtempSync(join(tmpdir(), 'nabla-embedding-'));
    const model = new nn.Sequential(new nn.EmbeddingBag(50, 4, { mode: 'sum', paddingIdx: 7, sparse: true }), new nn.Linear(4, 2));
    const path = join(dir, 'bag.safetensors');
    saveModel(model, path);
    const loaded = loadModel(path);
    expect(loaded.spec.children![0]).toEqual({ type: 'EmbeddingBag', config: { numEmbeddings: 50, embeddingDim: 4, mode: 'sum', paddingIdx: 7, sparse: true } });
    const x = tensor([[1, 7, 49], [3, 3, 0]]);
    expect(Array.from(loaded.model.forward(x).data)).toEqual(Array.from(model.forward(x).data));
    const emb = new nn.Embedding(9, 2, { paddingIdx: -2 });
    saveModel(emb, join(dir, 'emb.safetensors'));
    const back = loadModel(join(dir, 'emb.safetensors'));
    expect(back.spec.config).toEqual({ numEmbeddings: 9, embeddingDim: 2, paddingIdx: 7, sparse: false });
    expect(Array.from(back.model.stateDict().weight.data)).toEqual(Array.from(emb.weight.data));
  });
});

describe('uniqueRows (the sparse gradient\'s rows)', () => {
  it('finds the unique ids ascending, without padding, and each id\'s slot, for ids of any size', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { maxLength: 300 }),
      fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 300 }),
      fc.integer({ min: -1, max: 40 }),
      (large, small, paddingIdx) => {
        const ids = Int32Array.from([...small, ...large, ...small]);
        const { indices, slots } = uniqueRows(ids, ids.length, paddingIdx);
        const expected = [...new Set(Array.from(ids).filter((r) => r !== paddingIdx))].sort((a, b) => a - b);
        expect(Array.from(indices)).toEqual(expected);
        ids.forEach((r, k) => expect(r === paddingIdx ? slots[k] === -1 : indices[slots[k]] === r).toBe(true));
      },
    ));
  });
});
