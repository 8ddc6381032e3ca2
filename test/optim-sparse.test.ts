/**
 * Sparse gradients (Embedding/EmbeddingBag with sparse: true) and the optimizers that update only
 * the touched rows: the SparseGrad against the dense gradient, accumulation, zeroGrad, clipping;
 * FTRL and Adagrad bit for bit against their dense runs; SGD; SparseAdam against PyTorch's; the
 * refusals; and a step's cost not growing with the table. On the js and the native backend.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { getBackend, manualSeed, nn, optim, setBackend, SparseGrad, Tensor, tensor } from '../src/index.js';
import { AnomalyGuard } from '../src/train/anomaly-guard.js';
import { GradientFlow } from '../src/train/callbacks/gradient-flow.js';
import type { Optimizer } from '../src/optim/optimizer.js';

const initialBackend = getBackend();
afterAll(() => setBackend(initialBackend as 'js' | 'native'));

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** Batches of bags over 40 rows: repeated rows within and across steps, and rows only one step touches. */
const STEPS: { ids: number[]; offsets: number[]; target: number[] }[] = [
  { ids: [3, 7, 3, 11, 3, 39], offsets: [0, 3, 3], target: [1, 0, 1] },
  { ids: [20, 21, 22, 7], offsets: [0, 1, 2], target: [0, 1, 1] },
  { ids: [3, 3, 3, 0, 39, 12], offsets: [0, 2, 5], target: [1, 1, 0] },
  { ids: [30, 31], offsets: [0, 1], target: [0, 1] },
  { ids: [7, 11, 20, 3, 3], offsets: [0, 4], target: [1, 0] },
];

function model(sparse: boolean, mode: 'sum' | 'mean', zero: boolean, seed = 11): nn.EmbeddingBag {
  manualSeed(seed);
  const bag = new nn.EmbeddingBag(40, 2, { mode, sparse, paddingIdx: 39 });
  if (zero) bag.weight.data.fill(0);
  return bag;
}

/** A logistic-regression-like loss on the bag's two outputs; returns the final weights. */
function train(bag: nn.EmbeddingBag, make: (p: Tensor[]) => Optimizer<never, never>, repeats = 2): Optimizer<never, never> {
  const opt = make([bag.weight]);
  for (let r = 0; r < repeats; r++) {
    for (const s of STEPS) {
      opt.zeroGrad();
      const out = bag.forward(tensor(s.ids), s.offsets);
      nn.functional.crossEntropy(out, s.target).backward();
      if (bag.sparse) expect(bag.weight.grad).toBeInstanceOf(SparseGrad);
      opt.step();
    }
  }
  return opt;
}

for (const name of ['js', 'native'] as const) {
  describe(`sparse gradients (${name} backend)`, () => {
    it('hold the touched rows (unique, ascending, padding left out) with the dense gradient\'s bits', () => {
      setBackend(name);
      for (const mode of ['sum', 'mean'] as const) {
        const dense = model(false, mode, false);
        const sparse = model(true, mode, false);
        const ids = tensor([5, 3, 39, 5, 17, 3, 3]);
        const psw = mode === 'sum' ? tensor([0.5, -1, 2, 3, 0.25, 1, -2]) : null;
        for (const m of [dense, sparse]) m.forward(ids, [0, 2, 2, 6], psw).mul(tensor([[1, -2], [3, 4], [0.5, 7], [-1, 2]])).sum().backward();
        const g = sparse.weight.grad as SparseGrad;
        expect(g).toBeInstanceOf(SparseGrad);
        expect(Array.from(g.indices)).toEqual([3, 5, 17]);
        expect(g.shape).toEqual([3, 2]);
        expect(g.denseShape).toEqual([40, 2]);
        expect(g.origin).toBe(`EmbeddingBag(40, 2, mode: '${mode}', paddingIdx: 39, sparse: true)`);
        expect(bits(g.toDense().data)).toEqual(bits(dense.weight.grad!.data));
      }
      const emb = new nn.Embedding(10, 3, { sparse: true, paddingIdx: 0 });
      const ref = new nn.Embedding(10, 3, { paddingIdx: 0 });
      ref.weight.data.set(emb.weight.data);
      for (const m of [emb, ref]) m.forward(tensor([[9, 0, 9], [2, 9, 0]])).square().sum().backward();
      expect(Array.from((emb.weight.grad as SparseGrad).indices)).toEqual([2, 9]);
      expect(bits((emb.weight.grad as SparseGrad).toDense().data)).toEqual(bits(ref.weight.grad!.data));
    });

    it('accumulate across backward passes and uses by merging rows; zeroGrad, clipGradNorm and clipGradValue work on the values', () => {
      setBackend(name);
      const dense = model(false, 'sum', false);
      const sparse = model(true, 'sum', false);
      for (const m of [dense, sparse]) {
        m.forward(tensor([1, 4, 4]), [0, 1]).sum().backward();
        m.forward(tensor([4, 9]), [0]).mul(2).add(m.forward(tensor([[0, 1]]))).sum().backward();
      }
      const g = sparse.weight.grad as SparseGrad;
      expect(Array.from(g.indices)).toEqual([0, 1, 4, 9]);
      expect(bits(g.toDense().data)).toEqual(bits(dense.weight.grad!.data));
      const n1 = optim.clipGradNorm([dense.weight], 1);
      const n2 = optim.clipGradNorm([sparse.weight], 1);
      expect(n2).toBe(n1);
      expect(Array.from(g.toDense().data)).toEqual(Array.from(dense.weight.grad!.data));
      optim.clipGradValue([sparse.weight], 0.1);
      expect(Math.max(...Array.from(g.values).map(Math.abs))).toBeCloseTo(0.1, 6);
      const opt = new optim.SGD([sparse.weight], { lr: 0.1 });
      opt.zeroGrad(false);
      expect(Array.from(g.values)).toEqual(new Array(8).fill(0));
      opt.zeroGrad();
      expect(sparse.weight.grad).toBeNull();
    });

    it('FTRL from zero weights: sparse bit for bit the dense run, weights and state, every row, several option sets', () => {
      setBackend(name);
      const optionSets = [{ lr: 0.5 }, { lr: 0.2, l1: 0.05, l2: 0.01, beta: 0.5 }, { lr: 0.3, l1: 0.01, lrPower: -0.5, initialAccumulatorValue: 0.5 }];
      for (const mode of ['sum', 'mean'] as const) {
        for (const o of optionSets) {
          const dense = model(false, mode, true);
          const sparse = model(true, mode, true);
          const od = train(dense, (p) => new optim.FTRL(p, o) as never);
          const os = train(sparse, (p) => new optim.FTRL(p, o) as never);
          expect(bits(sparse.weight.data), JSON.stringify(o)).toEqual(bits(dense.weight.data));
          const sd = od.stateDict().state[0] as Record<string, Float32Array>;
          const ss = os.stateDict().state[0] as Record<string, Float32Array>;
          expect(bits(ss.accumulator)).toEqual(bits(sd.accumulator));
          expect(Array.from(ss.linear)).toEqual(Array.from(sd.linear));
          // Rows never touched are exactly 0; touched ones moved.
          expect(Array.from(sparse.weight.data.subarray(50, 56))).toEqual([0, 0, 0, 0, 0, 0]);
          expect(sparse.weight.data[6]).not.toBe(0);
        }
      }
    });

    it('FTRL with lrPower ≠ −0.5 and Adagrad from random weights: sparse bit for bit the dense run', () => {
      setBackend(name);
      for (const mode of ['sum', 'mean'] as const) {
        for (const o of [{ lr: 0.5 }, { lr: 0.1, lrDecay: 0.1, initialAccumulatorValue: 0.1, eps: 1e-6 }]) {
          const dense = model(false, mode, false);
          const sparse = model(true, mode, false);
          const od = train(dense, (p) => new optim.Adagrad(p, o) as never);
          const os = train(sparse, (p) => new optim.Adagrad(p, o) as never);
          expect(bits(sparse.weight.data)).toEqual(bits(dense.weight.data));
          expect(bits((os.stateDict().state[0] as { sum: Float32Array }).sum)).toEqual(bits((od.stateDict().state[0] as { sum: Float32Array }).sum));
        }
        const o = { lr: 0.2, lrPower: -0.7, l1: 0.01 };
        const dense = model(false, mode, true);
        const sparse = model(true, mode, true);
        train(dense, (p) => new optim.FTRL(p, o) as never);
        train(sparse, (p) => new optim.FTRL(p, o) as never);
        expect(bits(sparse.weight.data)).toEqual(bits(dense.weight.data));
      }
    });

    it('SGD without momentum: sparse equals dense (to float32 rounding of the step on native)', () => {
      setBackend(name);
      const dense = model(false, 'sum', false);
      const sparse = model(true, 'sum', false);
      train(dense, (p) => new optim.SGD(p, { lr: 0.3 }) as never);
      train(sparse, (p) => new optim.SGD(p, { lr: 0.3 }) as never);
      const d = dense.weight.data;
      sparse.weight.data.forEach((v, i) => expect(Math.abs(v - d[i])).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(d[i]))));
      if (name === 'js') expect(bits(sparse.weight.data)).toEqual(bits(d));
    });

    it('refuse a sparse gradient with a clear error in the other optimizers and options', () => {
      setBackend(name);
      const origin = "EmbeddingBag(40, 2, mode: 'sum', paddingIdx: 39, sparse: true)";
      const cases: [(p: Tensor[]) => Optimizer<never, never>, string][] = [
        [(p) => new optim.Adam(p) as never, `Adam: parameter 0 has a sparse gradient (from ${origin}); use SparseAdam, Adagrad, FTRL or SGD without momentum`],
        [(p) => new optim.AdamW(p) as never, 'AdamW: parameter 0 has a sparse gradient'],
        [(p) => new optim.RMSprop(p) as never, 'RMSprop: parameter 0 has a sparse gradient'],
        [(p) => new optim.Adadelta(p) as never, 'Adadelta: parameter 0 has a sparse gradient'],
        [(p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9 }) as never, `SGD: parameter 0 has a sparse gradient (from ${origin}); SGD takes sparse gradients only with momentum 0 and weightDecay 0 (got momentum 0.9, weightDecay 0); use SparseAdam`],
        [(p) => new optim.SGD(p, { lr: 0.1, weightDecay: 0.01 }) as never, 'SGD takes sparse gradients only with momentum 0 and weightDecay 0 (got momentum 0, weightDecay 0.01)'],
        [(p) => new optim.Adagrad(p, { weightDecay: 0.1 }) as never, 'Adagrad takes sparse gradients only with weightDecay 0 (got 0.1)'],
        [(p) => new optim.FTRL(p, { l2Shrinkage: 0.1 }) as never, 'FTRL takes sparse gradients only with l2Shrinkage 0'],
      ];
      for (const [make, message] of cases) {
        const bag = model(true, 'sum', false);
        const lin = new nn.Linear(2, 2);
        const opt = make([...lin.parameters(), bag.weight]);
        lin.forward(bag.forward(tensor([1, 2]), [0])).sum().backward();
        const before = bag.weight.data.slice();
        expect(() => opt.step()).toThrow(message.replace('parameter 0', 'parameter 2'));
        expect(Array.from(bag.weight.data)).toEqual(Array.from(before));
      }
    });

    it('the anomaly guard and GradientFlow read only the touched rows', () => {
      setBackend(name);
      const bag = model(true, 'sum', false);
      const guard = new AnomalyGuard(bag);
      guard.mark();
      bag.forward(tensor([1, 2]), [0]).sum().backward();
      expect(guard.brokenGradient()).toBeNull();
      bag.weight.data[2 * 2 + 1] = NaN;
      expect(guard.brokenParameter()).toBe("'weight' [40,2]");
      bag.weight.data[2 * 2 + 1] = 0;
      bag.weight.data[30] = NaN; // an untouched row: not this step's doing, not scanned
      expect(guard.brokenParameter()).toBeNull();
      bag.weight.data[30] = 0;
      (bag.weight.grad as SparseGrad).values[0] = Infinity;
      expect(guard.brokenGradient()).toBe("'weight' [40,2]");
      (bag.weight.grad as SparseGrad).values[0] = 1;
      const flow = new GradientFlow({ every: 1 });
      const ctx = { step: 1, epoch: 0, model: bag, batch: null } as never;
      flow.onAfterBackward(ctx);
      const w = bag.weight.data;
      const rows = [w[2], w[3], w[4], w[5]];
      new optim.SGD([bag.weight], { lr: 0.5 }).step();
      flow.onBatchEnd(ctx);
      const rec = flow.records[0].params[0];
      expect(rec.gradNorm).toBeCloseTo(2, 6);
      expect(rec.updateRatio).toBeCloseTo(1 / Math.hypot(...rows), 5);
    });
  });
}

describe('SparseAdam', () => {
  it('matches torch.optim.SparseAdam on a sparse embedding (lazy moments: a row skipped for a step keeps its moments)', () => {
    const steps = [[1, 4, 4], [2], [4, 7, 1], [7, 7], [1]];
    const script = `
import json, sys, torch
torch.manual_seed(0)
w = torch.tensor(json.loads(sys.argv[1]), dtype=torch.float32).reshape(8, 3)
emb = torch.nn.Embedding(8, 3, sparse=True)
with torch.no_grad(): emb.weight.copy_(w)
opt = torch.optim.SparseAdam(emb.parameters(), lr=0.05, betas=(0.8, 0.9), eps=1e-6)
for ids in json.loads(sys.argv[2]):
    opt.zero_grad()
    out = emb(torch.tensor(ids))
    (out * out * torch.arange(1, 4)).sum().backward()
    opt.step()
print(json.dumps(emb.weight.detach().flatten().tolist()))`;
    manualSeed(3);
    const start = new nn.Embedding(8, 3).weight.data;
    const r = spawnSync('/usr/bin/python3', ['-c', script, JSON.stringify(Array.from(start)), JSON.stringify(steps)], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const expected: number[] = JSON.parse(r.stdout);
    for (const name of ['js', 'native'] as const) {
      setBackend(name);
      const emb = new nn.Embedding(8, 3, { sparse: true });
      emb.weight.data.set(start);
      const opt = new optim.SparseAdam([emb.weight], { lr: 0.05, betas: [0.8, 0.9], eps: 1e-6 });
      for (const ids of steps) {
        opt.zeroGrad();
        const out = emb.forward(tensor(ids));
        out.mul(out).mul(tensor([1, 2, 3])).sum().backward();
        opt.step();
      }
      emb.weight.data.forEach((v, i) => expect(Math.abs(v - expected[i]), `${name} [${i}]`).toBeLessThanOrEqual(2e-6));
      // Rows 0, 3, 5, 6 were never touched.
      for (const row of [0, 3, 5, 6]) expect(Array.from(emb.weight.data.subarray(row * 3, row * 3 + 3))).toEqual(Array.from(start.subarray(row * 3, row * 3 + 3)));
    }
  });

  it('takes dense gradients as every row touched, and round-trips its state dict', () => {
    setBackend('js');
    manualSeed(8);
    const a = new nn.Embedding(5, 2, { sparse: true });
    const b = new nn.Embedding(5, 2);
    b.weight.data.set(a.weight.data);
    const oa = new optim.SparseAdam([a.weight], { lr: 0.1 });
    const ob = new optim.SparseAdam([b.weight], { lr: 0.1 });
    for (const m of [a, b]) m.forward(tensor([0, 1, 2, 3, 4])).sum().backward();
    oa.step();
    ob.step();
    expect(bits(a.weight.data)).toEqual(bits(b.weight.data));
    const oc = new optim.SparseAdam([b.weight], { lr: 0.1 });
    oc.loadStateDict(JSON.parse(JSON.stringify(ob.stateDict(), (_k, v) => (v instanceof Float32Array ? Array.from(v) : v))));
    expect(oc.state.get(b.weight)!.step).toBe(1);
  });
});

describe('a sparse step costs O(touched rows), not O(rows)', () => {
  it('2^22 rows train as fast as 2^10 on the same ids (forward, backward, clip, FTRL step, guard)', () => {
    setBackend('native');
    const time = (rows: number) => {
      manualSeed(1);
      const bag = new nn.EmbeddingBag(rows, 1, { mode: 'sum', sparse: true });
      bag.weight.data.fill(0);
      const opt = new optim.FTRL([bag.weight], { lr: 0.1 });
      const guard = new AnomalyGuard(bag);
      const ids = new Int32Array(32 * 100);
      for (let k = 0; k < ids.length; k++) ids[k] = (k * 2654435761) % 1024;
      const offsets = Int32Array.from({ length: 32 }, (_, b) => b * 100);
      const target = Array.from({ length: 32 }, (_, b) => b % 2);
      const times: number[] = [];
      for (let s = 0; s < 60; s++) {
        const t0 = performance.now();
        guard.mark();
        opt.zeroGrad();
        const logit = bag.forward(ids, offsets).reshape([32]);
        nn.functional.binaryCrossEntropyWithLogits(logit, tensor(target)).backward();
        optim.clipGradNorm([bag.weight], 10);
        opt.step();
        guard.brokenParameter();
        times.push(performance.now() - t0);
      }
      return times.slice(20).sort((x, y) => x - y)[20];
    };
    const small = time(2 ** 10);
    const large = time(2 ** 22);
    // One O(rows) pass over 2^22 floats (16 MB) costs milliseconds; the step is a fraction of one.
    expect(large).toBeLessThan(Math.max(3 * small, small + 0.5));
  });
});
