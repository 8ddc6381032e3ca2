/** Learning-rate schedulers: each lr sequence against PyTorch's documented closed form, plus ReduceLROnPlateau's rules and state round trips. */
import { describe, expect, it } from 'vitest';
import { optim, tensor } from '../src/index.js';
import { expectClose } from './helpers.js';

const { lrScheduler } = optim;

/** An SGD optimizer with two groups (base lrs 0.1 and 0.02). */
function twoGroups(): optim.SGD {
  return new optim.SGD([
    { params: [tensor([1], { requiresGrad: true })] },
    { params: [tensor([1], { requiresGrad: true })], lr: 0.02 },
  ], { lr: 0.1 });
}
const BASE = [0.1, 0.02];

/** getLastLr() right after construction (epoch 0) and after each of `epochs` steps. */
function lrSequence(scheduler: { step(): void; getLastLr(): number[] }, epochs: number): number[][] {
  const seq = [scheduler.getLastLr()];
  for (let e = 1; e <= epochs; e++) {
    scheduler.step();
    seq.push(scheduler.getLastLr());
  }
  return seq;
}

function expectSequence(actual: number[][], closedForm: (base: number, epoch: number) => number): void {
  actual.forEach((lrs, epoch) => {
    try {
      expectClose(lrs, BASE.map((b) => closedForm(b, epoch)), 1e-12, 1e-9);
    } catch (e) {
      throw new Error(`epoch ${epoch}: ${(e as Error).message}`);
    }
  });
}

describe('lr schedulers follow their closed forms', () => {
  it('StepLR: baseLr·gamma^⌊epoch/stepSize⌋', () => {
    const opt = twoGroups();
    expectSequence(lrSequence(new lrScheduler.StepLR(opt, { stepSize: 3, gamma: 0.5 }), 10), (b, e) => b * 0.5 ** Math.floor(e / 3));
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.1 * 0.125, 0.02 * 0.125]);
  });

  it('MultiStepLR: baseLr·gamma^(number of milestones ≤ epoch), a repeated milestone counting twice', () => {
    const milestones = [2, 5, 5, 8];
    const s = new lrScheduler.MultiStepLR(twoGroups(), { milestones, gamma: 0.1 });
    expectSequence(lrSequence(s, 10), (b, e) => b * 0.1 ** milestones.filter((m) => m <= e).length);
  });

  it('ExponentialLR: baseLr·gamma^epoch', () => {
    expectSequence(lrSequence(new lrScheduler.ExponentialLR(twoGroups(), { gamma: 0.9 }), 20), (b, e) => b * 0.9 ** e);
  });

  it('CosineAnnealingLR: etaMin + (baseLr − etaMin)·(1 + cos(π·epoch/tMax))/2, past tMax too', () => {
    const etaMin = 0.001;
    const s = new lrScheduler.CosineAnnealingLR(twoGroups(), { tMax: 7, etaMin });
    const seq = lrSequence(s, 25);
    expectSequence(seq, (b, e) => etaMin + ((b - etaMin) * (1 + Math.cos((Math.PI * e) / 7))) / 2);
    expect(seq[7][0]).toBeCloseTo(etaMin, 12);
    expect(seq[14][0]).toBeCloseTo(0.1, 12);
  });

  it('LinearLR: baseLr·(start + (end − start)·min(epoch, totalIters)/totalIters)', () => {
    const s = new lrScheduler.LinearLR(twoGroups(), { startFactor: 0.25, endFactor: 0.9, totalIters: 4 });
    expectSequence(lrSequence(s, 8), (b, e) => b * (0.25 + (0.9 - 0.25) * (Math.min(e, 4) / 4)));
  });

  it('LinearLR defaults: a warm-up from baseLr/3 to baseLr over 5 epochs', () => {
    expectSequence(lrSequence(new lrScheduler.LinearLR(twoGroups()), 7), (b, e) => b * (1 / 3 + (2 / 3) * (Math.min(e, 5) / 5)));
  });

  it('the optimizer steps with the scheduled lr', () => {
    const p = tensor([0], { requiresGrad: true });
    const opt = new optim.SGD([p], { lr: 1 });
    const s = new lrScheduler.StepLR(opt, { stepSize: 1, gamma: 0.5 });
    const values: number[] = [];
    for (let e = 0; e < 4; e++) {
      p.grad = tensor([-1]);
      opt.step();
      s.step();
      values.push(p.data[0]);
    }
    expect(values).toEqual([1, 1.5, 1.75, 1.875]);
  });

  it('is chainable like PyTorch: a step scales the current lr, including one set by hand', () => {
    const opt = twoGroups();
    const s = new lrScheduler.ExponentialLR(opt, { gamma: 0.5 });
    s.step();
    opt.paramGroups[0].lr = 1;
    s.step();
    expect(s.getLastLr()).toEqual([0.5, 0.02 * 0.25]);
  });

  it('stateDict / loadStateDict resume the schedule', () => {
    const make = () => {
      const opt = twoGroups();
      return { opt, s: new lrScheduler.CosineAnnealingLR(opt, { tMax: 10, etaMin: 0.005 }) };
    };
    const a = make();
    for (let e = 0; e < 4; e++) a.s.step();
    const saved = { opt: a.opt.stateDict(), s: a.s.stateDict() };
    const b = make();
    b.opt.loadStateDict(saved.opt);
    b.s.loadStateDict(saved.s);
    expect(b.s.lastEpoch).toBe(4);
    expect(lrSequence(b.s, 6)).toEqual(lrSequence(a.s, 6));
    expect(() => b.s.loadStateDict({ ...saved.s, baseLrs: [0.1] })).toThrow(
      'CosineAnnealingLR.loadStateDict: expected { lastEpoch, baseLrs, lastLr, options } with one lr per parameter group (2)',
    );
  });
});

describe('ReduceLROnPlateau', () => {
  const single = (lr = 1) => new optim.SGD([tensor([1], { requiresGrad: true })], { lr });
  const feed = (s: optim.lrScheduler.ReduceLROnPlateau, metrics: number[]) => metrics.map((m) => {
    s.step(m);
    return s.getLastLr()[0];
  });

  it('reduces the lr by factor once the metric has not improved for more than patience steps', () => {
    const s = new lrScheduler.ReduceLROnPlateau(single(), { patience: 2, factor: 0.5 });
    // best 1, 0.9, then three steps without improvement: the third exceeds patience 2.
    expect(feed(s, [1, 0.9, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95])).toEqual([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.25]);
    expect(s.best).toBe(0.9);
  });

  it('an improvement resets the count', () => {
    const s = new lrScheduler.ReduceLROnPlateau(single(), { patience: 1, factor: 0.5 });
    expect(feed(s, [5, 6, 4, 6, 3, 6, 6])).toEqual([1, 1, 1, 1, 1, 1, 0.5]);
  });

  it('threshold: relative needs best·(1 − threshold), absolute best − threshold', () => {
    const rel = new lrScheduler.ReduceLROnPlateau(single(), { patience: 0, threshold: 0.1 });
    expect(feed(rel, [1, 0.95, 0.85])).toEqual([1, 0.1, 0.1]); // 0.95 > 0.9: bad; 0.85 < 0.9: better
    const abs = new lrScheduler.ReduceLROnPlateau(single(), { patience: 0, threshold: 0.1, thresholdMode: 'abs' });
    expect(feed(abs, [10, 9.95, 9.85])).toEqual([1, 0.1, 0.1]);
    expect(abs.best).toBe(9.85);
  });

  it("mode 'max' for a metric that should rise", () => {
    const s = new lrScheduler.ReduceLROnPlateau(single(), { mode: 'max', patience: 1, factor: 0.1 });
    expect(feed(s, [0.5, 0.6, 0.6, 0.59, 0.7])).toEqual([1, 1, 1, 0.1, 0.1]);
    expect(s.best).toBe(0.7);
  });

  it('cooldown: bad steps are not counted for cooldown steps after a reduction', () => {
    const s = new lrScheduler.ReduceLROnPlateau(single(), { patience: 0, cooldown: 2, factor: 0.5 });
    expect(feed(s, [1, 2, 2, 2, 2, 2])).toEqual([1, 0.5, 0.5, 0.5, 0.25, 0.25]);
  });

  it('never goes below minLr (per group), and skips reductions smaller than eps', () => {
    const opt = twoGroups();
    const s = new lrScheduler.ReduceLROnPlateau(opt, { patience: 0, factor: 0.1, minLr: [0.005, 0] });
    for (const m of [1, 1, 1, 1]) s.step(m);
    expect(s.getLastLr()[0]).toBe(0.005);
    expect(s.getLastLr()[1]).toBeCloseTo(0.02 * 1e-3, 15);
    const tiny = new lrScheduler.ReduceLROnPlateau(single(1e-9), { patience: 0, factor: 0.5 });
    feed(tiny, [1, 1]);
    expect(tiny.getLastLr()).toEqual([1e-9]);
  });

  it('accepts a one-element tensor as the metric', () => {
    const s = new lrScheduler.ReduceLROnPlateau(single(), { patience: 0 });
    s.step(tensor([2]));
    expect(s.best).toBe(2);
  });

  it('stateDict / loadStateDict resume the counters', () => {
    const a = new lrScheduler.ReduceLROnPlateau(single(), { patience: 2, cooldown: 1, factor: 0.5 });
    feed(a, [3, 2, 2.5]);
    const saved = a.stateDict();
    const b = new lrScheduler.ReduceLROnPlateau(single(), {});
    b.loadStateDict(saved);
    expect(b.options.patience).toBe(2);
    const rest = [2.5, 2.5, 2.5, 2.5, 1];
    expect(feed(b, rest)).toEqual(feed(a, rest));
    expect(b.stateDict()).toEqual(a.stateDict());
  });
});
