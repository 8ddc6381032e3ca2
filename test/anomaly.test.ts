/**
 * Anomaly detection: the first NaN/Infinity of a forward or backward pass throws, naming the op,
 * its input shapes and the line that called it; fit() stops on it keeping the last good checkpoint;
 * `nabla train` says so in one line.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AnomalyError, customOp, data, detectAnomaly, isAnomalyEnabled, manualSeed, nn, noGrad, optim, tensor, withAnomalyDetection,
  type Tensor,
} from '../src/index.js';
import { fit } from '../src/train/fit.js';
import { buildMlp } from '../src/train/models.js';
import { TensorDataset } from '../src/data/dataset.js';
import { ModelCheckpoint } from '../src/train/callbacks/model-checkpoint.js';
import { loadCheckpoint } from '../src/train/checkpoint.js';
import type { Callback, Scheduler } from '../src/train/callbacks/callback.js';

/** "file:line" of the caller of here() — the test line an op was called on. */
function here(): string {
  const frame = new Error().stack!.split('\n')[2];
  return /([^\s(]+anomaly\.test\.ts:\d+):\d+/.exec(frame)![1];
}

function anomalyOf(fn: () => unknown): AnomalyError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AnomalyError) return err;
    throw err;
  }
  throw new Error('expected an AnomalyError');
}

afterEach(() => detectAnomaly(false));

describe('detectAnomaly: forward', () => {
  it('is off by default: NaN flows through', () => {
    expect(isAnomalyEnabled()).toBe(false);
    expect(Number.isNaN(tensor([-1]).log().item())).toBe(true);
  });

  it('names the op, the input shapes, the first bad element and the calling line', () => {
    const x = tensor([[1, 2, 3], [4, -5, 6]]);
    let line = '';
    const err = anomalyOf(() => withAnomalyDetection(() => {
      line = here(); return x.log();
    }));
    expect(err.message).toMatch(/^anomaly: op 'log' produced NaN in the forward pass \(output \[2,3\] element 4; input of shape \[2,3\], all finite\); called from /);
    expect(err.message).toContain(line);
    expect(err).toMatchObject({ op: 'log', phase: 'forward', inputShapes: [[2, 3]] });
    expect(err.callSite).toContain(line);
  });

  it('catches Infinity from a binary op with broadcasting, and overflow of exp', () => {
    detectAnomaly(true);
    const a = tensor([[1, 0], [2, 3]]);
    const b = tensor([0, 1]);
    expect(() => a.div(b)).toThrow(/^anomaly: op 'div' produced (Infinity|NaN) in the forward pass \(output \[2,2\] element 0; inputs of shape \[2,2\], \[2\], all finite\)/);
    expect(() => tensor([1, 100]).exp()).toThrow(/^anomaly: op 'exp' produced Infinity .*element 1/);
    expect(() => tensor([-1e30, 1e30]).mul(1e30)).toThrow(/^anomaly: op 'mul' produced -Infinity .*element 0/);
  });

  it('reports a non-finite input as received, not produced', () => {
    detectAnomaly(true);
    const w = tensor([1, Infinity, 3]);
    const err = anomalyOf(() => w.mul(tensor([[1], [2]])));
    expect(err.message).toMatch(/^anomaly: op 'mul' received Infinity in input 0 \(element 1; inputs of shape \[3\], \[2,1\]\): it was not produced by an op under anomaly detection/);
  });

  it('checks ops under noGrad and the fused layers (linear, softmax)', () => {
    detectAnomaly(true);
    const layer = new nn.Linear(2, 2);
    noGrad(() => layer.weight.data.fill(1e30));
    expect(() => noGrad(() => layer.forward(tensor([[1e10, 1e10]])))).toThrow(/^anomaly: op 'linear' produced Infinity/);
    expect(tensor([[1000, 0]]).softmax(-1).toArray()).toEqual([[1, 0]]);
  });

  it('costs nothing after it is turned off, and withAnomalyDetection restores the setting when fn throws', () => {
    expect(() => withAnomalyDetection(() => tensor([-1]).sqrt())).toThrow(AnomalyError);
    expect(isAnomalyEnabled()).toBe(false);
    const x = tensor([2], { requiresGrad: true });
    expect(x.mul(3).node?.callSite).toBeUndefined();
    expect(withAnomalyDetection(() => x.mul(3)).node?.callSite).toBeInstanceOf(Error);
    expect(() => detectAnomaly('yes' as never)).toThrow('detectAnomaly: on must be a boolean, got yes');
  });
});

describe('detectAnomaly: backward', () => {
  it("blames the op whose backward made the NaN/Infinity, with the line of the op's forward call", () => {
    detectAnomaly(true);
    const x = tensor([0, 4], { requiresGrad: true });
    const line = here(); const y = x.sqrt();
    const loss = y.sum();
    const err = anomalyOf(() => loss.backward());
    expect(err.message).toMatch(/^anomaly: the backward of op 'sqrt' produced Infinity in the gradient of input 0 \(element 0; input of shape \[2\]; upstream gradient finite\); op called from /);
    expect(err.message).toContain(line);
    expect(err.phase).toBe('backward');
    expect(x.grad).toBeNull();
  });

  it('says when the graph was recorded without detection (no call site)', () => {
    const x = tensor([0, 1], { requiresGrad: true });
    const loss = x.sqrt().sum();
    expect(() => withAnomalyDetection(() => loss.backward())).toThrow(/op called from \(unknown: the op was recorded while anomaly detection was off\)$/);
  });

  it('reports a non-finite upstream gradient (the one given to backward) as received', () => {
    detectAnomaly(true);
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2);
    expect(() => y.backward(tensor([1, NaN]))).toThrow(/^anomaly: op 'mul' received NaN in its upstream gradient in the backward pass \(output \[2\] element 1; inputs of shape \[2\], \[\]\)/);
  });

  it('blames a custom op for NaN made inside its backward by other ops (they are not reported as forward ops)', () => {
    detectAnomaly(true);
    const halve = customOp({
      name: 'halveBadly',
      forward: (_ctx, x: Tensor) => x.mul(0.5),
      backward: (_ctx, g: Tensor) => g.mul(0).div(0),
    });
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const loss = halve(x).sum();
    expect(() => loss.backward()).toThrow(/^anomaly: the backward of op 'halveBadly' produced NaN in the gradient of input 0/);
  });

  it('lets finite passes through untouched (same gradients as without detection)', () => {
    const run = () => {
      manualSeed(3);
      const model = new nn.Sequential(new nn.Linear(4, 8), new nn.Tanh(), new nn.Linear(8, 3));
      const x = tensor([[1, 2, 3, 4], [-1, 0, 1, 2]]);
      nn.functional.crossEntropy(model.forward(x), [0, 2]).backward();
      return model.parameters().map((p) => Array.from(p.grad!.data));
    };
    expect(withAnomalyDetection(run)).toEqual(run());
  });
});

function spiralSet(n: number): TensorDataset {
  const s = data.spiral(n, { seed: 1 });
  return new TensorDataset(s.x, s.y);
}

/** A "scheduler" that sets a learning rate that diverges after the first epoch. */
function explodeAfterFirstEpoch(opt: { paramGroups: { lr: number }[] }, lr: number): Scheduler {
  return { step: () => { opt.paramGroups[0].lr = lr; }, stateDict: () => ({}), loadStateDict: () => {} };
}

describe('fit({ detectAnomaly: true })', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-anomaly-'));

  for (const [what, lr, reason] of [
    ['a forward op overflows', 1e30, /: anomaly: op '\w+' (produced|received) -?Infinity/],
    ['the optimizer step overflows a parameter', 1e39, /: anomaly: the optimizer step made parameter '\d\.(weight|bias)' \[[\d,]+\] non-finite/],
  ] as const) {
    it(`stops when ${what}, with the step and the last finite loss, keeping the last good checkpoint`, () => {
      manualSeed(2);
      const model = buildMlp({ inputs: 2, hidden: [16], classes: 3, activation: 'relu', batchNorm: false });
      const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
      const path = join(dir, `${lr}.safetensors`);
      let goodWeights: number[] = [];
      const keep: Callback = { onEpochEnd: (ctx) => { goodWeights = Array.from(ctx.model.parameters()[0].data); } };
      const h = fit(model, opt, spiralSet(90), {
        epochs: 5, batchSize: 30, shuffle: false, detectAnomaly: true,
        scheduler: explodeAfterFirstEpoch(opt, lr), callbacks: [keep, new ModelCheckpoint({ path })],
      });
      expect(h.diverged).toBe(true);
      expect(h.epochs).toHaveLength(1);
      expect(h.stopReason).toMatch(/^diverged at step \d+ \(epoch 2, batch \d+\): anomaly: /);
      expect(h.stopReason).toMatch(reason);
      expect(h.stopReason).toMatch(/; last finite loss \d+\.\d+(e-?\d+)?$/);
      expect(h.stopReason).not.toContain('\n');
      const saved = loadCheckpoint(path);
      expect(saved.epoch).toBe(1);
      const w = (saved.model as Record<string, Tensor>)['0.weight'].data;
      expect(Array.from(w)).toEqual(goodWeights);
      expect(w.every(Number.isFinite)).toBe(true);
      expect(isAnomalyEnabled()).toBe(false);
    });
  }

  it('names the parameter an update overflowed, whether the optimizer checked its pass (Adam) or the guard scanned it (RMSprop)', () => {
    for (const make of [(ps: Tensor[]) => new optim.Adam(ps, { lr: 0.01 }), (ps: Tensor[]) => new optim.RMSprop(ps, { lr: 0.01 })]) {
      manualSeed(2);
      const model = buildMlp({ inputs: 2, hidden: [16], classes: 3, activation: 'relu', batchNorm: false });
      const opt = make(model.parameters());
      const h = fit(model, opt, spiralSet(90), { epochs: 5, batchSize: 30, shuffle: false, detectAnomaly: true, scheduler: explodeAfterFirstEpoch(opt, 1e39) });
      expect(h.stopReason, opt.rule.name).toMatch(/^diverged at step 4 \(epoch 2, batch 1\): anomaly: the optimizer step made parameter '0\.weight' \[16,2\] non-finite; last finite loss/);
    }
  });

  it('takes the optimizer\'s word for a parameter it checked: it does not scan that one again', () => {
    manualSeed(2);
    const model = buildMlp({ inputs: 2, hidden: [16], classes: 3, activation: 'relu', batchNorm: false });
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    const last = model.parameters()[3];
    // Every value stays finite, but the optimizer says the last parameter's pass found otherwise.
    const vouching = Object.assign(opt, { checkedFinite: (p: Tensor) => p !== last });
    const h = fit(model, vouching, spiralSet(90), { epochs: 1, batchSize: 30, shuffle: false, detectAnomaly: true });
    expect(h.stopReason).toMatch(/^diverged at step 1 \(epoch 1, batch 1\): anomaly: the optimizer step made parameter '2\.bias' \[3\] non-finite/);
  });

  it('without it, the same run only stops on a non-finite loss (a later step)', () => {
    manualSeed(2);
    const model = buildMlp({ inputs: 2, hidden: [16], classes: 3, activation: 'relu', batchNorm: false });
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    const h = fit(model, opt, spiralSet(90), { epochs: 5, batchSize: 30, shuffle: false, scheduler: explodeAfterFirstEpoch(opt, 1e39) });
    expect(h.diverged).toBe(true);
    expect(h.stopReason).toMatch(/^diverged at step \d+ \(epoch 2, batch \d+\): loss is NaN; last finite loss/);
  });

  /** A module that passes x through, except on the forward (or backward) of call `at`, where it makes one NaN. */
  class PoisonAt extends nn.Module {
    calls = 0;
    constructor(readonly at: number, readonly where: 'forward' | 'backward') {
      super();
    }
    forward(x: Tensor): Tensor {
      const call = ++this.calls;
      const poison = (t: Tensor) => {
        const out = t.detach();
        out.data = t.data.slice();
        out.data[3] = NaN;
        return out;
      };
      const op = customOp({
        name: 'poison',
        forward: (_ctx, t) => (this.where === 'forward' && call >= this.at ? poison(t) : t.mul(1)),
        backward: (_ctx, g) => (this.where === 'backward' && call >= this.at ? poison(g) : g),
      });
      return op(x);
    }
  }

  for (const where of ['forward', 'backward'] as const) {
    it(`names the op of a NaN injected mid-training in the ${where} pass, with the step, and leaves the model as the step found it`, () => {
      manualSeed(4);
      const poison = new PoisonAt(7, where);
      const model = new nn.Sequential(new nn.Linear(2, 8), new nn.BatchNorm1d(8), poison, new nn.Dropout(0.2), new nn.ReLU(), new nn.Linear(8, 3));
      const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
      let before: { buffers: number[][]; params: number[][] } | null = null;
      const snapshot = () => ({ buffers: model.buffers().map((b) => Array.from(b.data)), params: model.parameters().map((p) => Array.from(p.data)) });
      const watch: Callback = { onBatchEnd: () => { before = snapshot(); } };
      const h = fit(model, opt, spiralSet(90), { epochs: 5, batchSize: 30, shuffle: false, detectAnomaly: true, callbacks: [watch] });
      expect(h.diverged).toBe(true);
      expect(h.steps).toBe(6);
      expect(h.stopReason).toMatch(where === 'forward'
        ? /^diverged at step 7 \(epoch 3, batch 1\): anomaly: op 'poison' produced NaN in the forward pass \(output \[30,8\] element 3; input of shape \[30,8\], all finite\); called from .*anomaly\.test\.ts:\d+/
        : /^diverged at step 7 \(epoch 3, batch 1\): anomaly: the backward of op 'poison' produced NaN in the gradient of input 0 \(element 3; input of shape \[30,8\]; upstream gradient finite\); op called from .*anomaly\.test\.ts:\d+/);
      expect(h.stopReason).toMatch(/; last finite loss \d/);
      // The replay rewound BatchNorm's running statistics, and no update happened: the model is as step 7 found it.
      expect(snapshot()).toEqual(before);
      expect(isAnomalyEnabled()).toBe(false);
    });
  }

  it('rewinds a buffer a module replaces with a new tensor, and ignores stale gradients of frozen parameters', () => {
    /** An exponential average kept as a buffer that forward replaces (not updated in place), NaN from call 5 on. */
    class Ema extends nn.Module {
      ema: Tensor;
      calls = 0;
      constructor() {
        super();
        this.ema = this.registerBuffer('ema', tensor([0]));
      }
      forward(x: Tensor): Tensor {
        this.calls++;
        this.ema = tensor([this.ema.item() * 0.5 + 1]);
        return this.calls >= 5 ? x.mul(NaN) : x.mul(1);
      }
    }
    manualSeed(4);
    const frozen = new nn.Linear(2, 2);
    frozen.weight.requiresGrad_(false);
    frozen.weight.grad = tensor([[NaN, 0], [0, 0]]); // left over from an earlier run: not this step's
    const ema = new Ema();
    const model = new nn.Sequential(frozen, ema, new nn.Linear(2, 3));
    const opt = new optim.SGD(model.parameters().filter((p) => p.requiresGrad), { lr: 0.1 });
    let before = NaN;
    const h = fit(model, opt, spiralSet(60), {
      epochs: 5, batchSize: 30, shuffle: false, detectAnomaly: true, callbacks: [{ onBatchEnd: () => { before = ema.ema.item(); } }],
    });
    expect(h.stopReason).toMatch(/^diverged at step 5 \(epoch 3, batch 1\): anomaly: op 'mul' received NaN in input 1 /);
    expect(ema.ema.item()).toBe(before);
  });

  it('reports a broken gradient without blaming an op when the replay runs clean', () => {
    manualSeed(4);
    const model = new nn.Linear(2, 3);
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    const h = fit(model, opt, spiralSet(60), {
      epochs: 2, batchSize: 30, shuffle: false, detectAnomaly: true,
      // A loss whose gradient is NaN only on its first call (the replay's is finite).
      loss: (() => {
        let calls = 0;
        const nanOnce = customOp({ name: 'nanOnce', forward: (_c, t) => t.mul(1), backward: (_c, g) => (++calls === 3 ? g.mul(NaN) : g) });
        return (logits: Tensor, y: Int32Array) => nn.functional.crossEntropy(nanOnce(logits), y);
      })(),
    });
    expect(h.diverged).toBe(true);
    expect(h.stopReason).toMatch(/^diverged at step 3 \(epoch 2, batch 1\): anomaly: the gradient of parameter 'weight' \[3,2\] is non-finite \(a replay under op-level detection found no op that made it\); last finite loss \d/);
  });

  it('refuses a non-boolean detectAnomaly and unknown options', () => {
    const model = new nn.Linear(2, 3);
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    expect(() => fit(model, opt, spiralSet(30), { epochs: 1, detectAnomaly: 1 as never })).toThrow('fit: detectAnomaly must be true or false, got 1');
    expect(() => fit(model, opt, spiralSet(30), { epochs: 1, detectAnomoly: true } as never)).toThrow(/^fit: unknown option 'detectAnomoly' \(did you mean 'detectAnomaly'\?/);
  });
});

describe('nabla train on a diverging learning rate', () => {
  const root = new URL('..', import.meta.url).pathname;
  const tmp = mkdtempSync(join(tmpdir(), 'nabla-anomaly-cli-'));
  const nabla = (...args: string[]) => spawnSync(process.execPath, ['bin/nabla.js', 'train', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  const small = ['--dataset', 'spiral', '--samples', '120', '--hidden', '8', '--no-batch-norm', '--optimizer', 'sgd', '--batch-size', '40', '--quiet'];

  it('stops at the first non-finite value (anomaly detection is on by default) and says so in one line, exit code 1', () => {
    const out = join(tmp, 'run');
    const r = nabla(...small, '--lr', '1e38', '--epochs', '3', '--out', out);
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^nabla train: training diverged at step \d+ \(epoch 1, batch \d+\): anomaly: .*; last finite loss [\d.]+; no checkpoint was written \(no epoch finished\)$/);
    // The op and the layer that called it, in the sources (the command's bundle maps its frames back).
    expect(lines[0]).toMatch(/: anomaly: op 'linear' produced -?Infinity in the forward pass .*; called from Linear\.forward \(\S*src\/nn\/linear\.ts:\d+:\d+\);/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(out, 'checkpoint.safetensors'))).toBe(false);
  }, 60_000);

  it('--no-detect-anomaly stops only on the loss', () => {
    const r = nabla(...small, '--lr', '1e38', '--epochs', '3', '--out', join(tmp, 'plain'), '--no-detect-anomaly');
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^nabla train: training diverged at step \d+ \(epoch 1, batch \d+\): loss is (NaN|Infinity); last finite loss [\d.]+; no checkpoint was written \(no epoch finished\)$/);
  }, 60_000);
});
