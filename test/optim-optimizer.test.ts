/** The optimizer contract: param groups, skipping null grads, zeroGrad, closures, stateDict round trips, bare rules. */
import { describe, expect, it } from 'vitest';
import { optim, tensor, type Tensor } from '../src/index.js';
import { expectClose } from './helpers.js';

type AnyOptimizer = optim.Optimizer<{ lr: number }, object>;
type OptimizerClass = new (params: optim.ParamsInput<{ lr: number }>, options: Record<string, unknown>) => AnyOptimizer;

describe('optimizer', () => {
  it('updates parameters in place from the gradient backward() computed', () => {
    const p = tensor([1, -2, 3], { requiresGrad: true });
    const storage = p.data;
    const opt = new optim.SGD([p], { lr: 0.1 });
    p.mul(p).sum().backward(); // dL/dp = 2p
    opt.step();
    expect(p.data).toBe(storage);
    expect(Array.from(p.data)).toEqual(Array.from(Float32Array.from([0.8, -1.6, 2.4])));
  });

  it('param groups take their own options and the constructor defaults for the rest', () => {
    const a = tensor([1, 1], { requiresGrad: true });
    const b = tensor([1, 1], { requiresGrad: true });
    const opt = new optim.SGD([{ params: a, lr: 0.1 }, { params: [b] }], { lr: 0.01, momentum: 0.9 });
    expect(opt.paramGroups.map((g) => [g.lr, g.momentum])).toEqual([[0.1, 0.9], [0.01, 0.9]]);
    for (let t = 0; t < 2; t++) {
      a.grad = tensor([1, 2]);
      b.grad = tensor([1, 2]);
      opt.step();
    }
    // Momentum buffer: g at step 1, then 0.9·g + g = 1.9·g; total step lr·2.9·g.
    expectClose(a.data, [1 - 0.1 * 2.9, 1 - 0.1 * 5.8], 1e-7, 1e-6);
    expectClose(b.data, [1 - 0.01 * 2.9, 1 - 0.01 * 5.8], 1e-7, 1e-6);
  });

  it('addParamGroup adds parameters with their own options', () => {
    const a = tensor([1], { requiresGrad: true });
    const b = tensor([1], { requiresGrad: true });
    const opt = new optim.Adam([a], { lr: 0.1 });
    opt.addParamGroup({ params: [b], betas: [0.5, 0.5] });
    expect(opt.paramGroups[1].lr).toBe(0.1);
    expect(opt.paramGroups[1].betas).toEqual([0.5, 0.5]);
  });

  it('skips parameters whose grad is null (no state, no change)', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4], { requiresGrad: true });
    const opt = new optim.Adam([a, b], { lr: 0.1 });
    a.grad = tensor([1, 1]);
    opt.step();
    expect(Array.from(b.data)).toEqual([3, 4]);
    expect(opt.state.has(b)).toBe(false);
    expect(opt.state.has(a)).toBe(true);
    // Adam's first step moves each coordinate by lr·sign(g) (up to eps).
    expect(a.data[0]).toBeCloseTo(0.9, 6);
  });

  it('zeroGrad sets grads to null, or to zeros with setToNone = false', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const opt = new optim.SGD([a], { lr: 0.1 });
    a.grad = tensor([5, 6]);
    opt.zeroGrad(false);
    expect(Array.from(a.grad!.data)).toEqual([0, 0]);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
  });

  it('step(closure) evaluates the closure first and returns its value', () => {
    const p = tensor([2], { requiresGrad: true });
    const opt = new optim.SGD([p], { lr: 0.25 });
    const loss = opt.step(() => {
      opt.zeroGrad();
      const l = p.mul(p).sum();
      l.backward();
      return l.item();
    });
    expect(loss).toBe(4);
    expect(p.data[0]).toBe(1); // 2 − 0.25·4
  });

  it('FTRL with l1 sets coordinates to exactly zero while |z| ≤ l1, without l1 it does not', () => {
    const run = (l1: number) => {
      const p = tensor([0.5, -0.5, 0.2, 0.1, -0.3], { requiresGrad: true });
      const opt = new optim.FTRL([p], { lr: 0.1, l1 });
      for (let t = 0; t < 5; t++) {
        p.grad = tensor([0.3, -0.02, 0.001, -0.5, 0.01]);
        opt.step();
      }
      return { w: Array.from(p.data), z: Array.from(opt.stateDict().state[0].linear as Float32Array) };
    };
    const { w, z } = run(0.2);
    w.forEach((wi, i) => expect(wi === 0).toBe(Math.abs(z[i]) <= 0.2));
    expect(w.filter((x) => x === 0).length).toBe(3);
    expect(run(0).w.filter((x) => x === 0)).toEqual([]);
  });

  it('checkedFinite: what the last step\'s update pass found (Adam, AdamW, SGD check; the others leave it undefined)', () => {
    const grads = { finite: [0.5, -1, 2], nan: [0.5, NaN, 2] };
    for (const [name, make] of [
      ['Adam', (ps: Tensor[]) => new optim.Adam(ps, { lr: 0.1 })],
      ['AdamW', (ps: Tensor[]) => new optim.AdamW(ps, { lr: 0.1 })],
      ['SGD', (ps: Tensor[]) => new optim.SGD(ps, { lr: 0.1 })],
      ['SGD momentum', (ps: Tensor[]) => new optim.SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true })],
    ] as const) {
      const p = tensor([1, 2, 3], { requiresGrad: true });
      const idle = tensor([1], { requiresGrad: true });
      const opt = make([p, idle]);
      expect(opt.checkedFinite(p), name).toBeUndefined();
      p.grad = tensor(grads.finite);
      opt.step();
      expect(opt.checkedFinite(p), name).toBe(true);
      expect(opt.checkedFinite(idle), `${name}: a parameter without a gradient`).toBeUndefined();
      p.grad = tensor(grads.nan);
      opt.step();
      expect(opt.checkedFinite(p), name).toBe(false);
      expect(Number.isNaN(p.data[1]), name).toBe(true);
    }
    // An overflow in float32 storage (finite in float64) counts as non-finite.
    const big = tensor([3e38], { requiresGrad: true });
    const sgd = new optim.SGD([big], { lr: 1 });
    big.grad = tensor([-3e38]);
    sgd.step();
    expect(big.data[0]).toBe(Infinity);
    expect(sgd.checkedFinite(big)).toBe(false);
    // A rule whose pass does not check: unknown, so fit's guard scans that parameter.
    const q = tensor([1, 2], { requiresGrad: true });
    const rms = new optim.RMSprop([q], { lr: 0.1 });
    q.grad = tensor([1, 1]);
    rms.step();
    expect(rms.checkedFinite(q)).toBeUndefined();
  });

  it('the exported rules run the same math on bare Float32Arrays', () => {
    const p = tensor([0.5, -1, 2], { requiresGrad: true });
    const opt = new optim.RMSprop([p], { lr: 0.01, centered: true, momentum: 0.5 });
    const bare = Float32Array.from([0.5, -1, 2]);
    const options = optim.resolveOptions(optim.rmspropRule, { lr: 0.01, centered: true, momentum: 0.5 });
    const state = optim.rmspropRule.init(bare.length, options);
    for (let t = 0; t < 4; t++) {
      const g = Float32Array.from([0.1 * t - 0.2, 0.3, -0.5 + t]);
      p.grad = tensor(g.slice());
      opt.step();
      optim.rmspropRule.update(bare, g, state, options);
    }
    expect(Array.from(bare)).toEqual(Array.from(p.data));
    expect(state.step).toBe(4);
  });
});

/** Every optimizer, with options that use all of its state buffers. */
const fullStateCases: Array<[string, Record<string, unknown>]> = [
  ['SGD', { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 }],
  ['Adagrad', { lr: 0.1, lrDecay: 0.01, initialAccumulatorValue: 0.1 }],
  ['RMSprop', { lr: 0.01, centered: true, momentum: 0.9 }],
  ['Adam', { lr: 0.05, amsgrad: true }],
  ['AdamW', { lr: 0.05, amsgrad: true }],
  ['Adadelta', { rho: 0.95 }],
  ['FTRL', { lr: 0.1, l1: 0.01, l2: 0.01 }],
];

function gradAt(t: number, i: number, shape: number[]): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tensor(Array.from({ length: size }, (_, k) => Math.sin(1.7 * t + 0.9 * k + 3.1 * i) * (t < 3 ? 2 : 0.3)), { shape });
}

function run(opt: AnyOptimizer, params: Tensor[], from: number, to: number): void {
  for (let t = from; t < to; t++) {
    params.forEach((p, i) => {
      p.grad = gradAt(t, i, p.shape);
    });
    opt.step();
  }
}

function toJSONable(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v) => (v instanceof Float32Array ? Array.from(v) : v)));
}

describe('stateDict / loadStateDict', () => {
  for (const [name, options] of fullStateCases) {
    it(`${name}: a restored optimizer continues bit-identically (also after a JSON round trip)`, () => {
      const Class = optim[name as keyof typeof optim] as unknown as OptimizerClass;
      const make = () => [tensor([0.5, -0.25, 1.5, 2], { requiresGrad: true }), tensor([[1, -1], [0.1, 0.2]], { requiresGrad: true })];
      const params = make();
      const opt = new Class([{ params: [params[0]] }, { params: [params[1]], lr: 0.02 }], options);
      run(opt, params, 0, 5);
      const saved = opt.stateDict();
      const savedParams = params.map((p) => p.data.slice());
      const json = toJSONable(saved) as optim.OptimizerStateDict;
      run(opt, params, 5, 10);

      for (const dict of [saved, json]) {
        const copy = make();
        copy.forEach((p, i) => p.data.set(savedParams[i]));
        const resumed = new Class([{ params: [copy[0]] }, { params: [copy[1]] }], options);
        resumed.loadStateDict(dict);
        expect(resumed.paramGroups[1].lr).toBe(0.02);
        run(resumed, copy, 5, 10);
        copy.forEach((p, i) => expect(Array.from(p.data)).toEqual(Array.from(params[i].data)));
      }
    });
  }

  it('initState makes every missing state as a first step would, without updating, and the run continues bit-identically', () => {
    for (const [name, options] of fullStateCases) {
      const Class = optim[name as keyof typeof optim] as unknown as OptimizerClass;
      const make = () => [tensor([0.5, -0.25, 1.5, 2], { requiresGrad: true }), tensor([[1, -1], [0.1, 0.2]], { requiresGrad: true })];
      const lazy = make();
      const eager = make();
      const a = new Class([{ params: lazy }], options);
      const b = new Class([{ params: eager }], options);
      b.initState();
      expect(Object.keys(b.stateDict().state), name).toEqual(['0', '1']);
      expect(Object.keys(a.stateDict().state), name).toEqual([]);
      eager.forEach((p, i) => expect(Array.from(p.data), name).toEqual(Array.from(lazy[i].data)));
      const saved = b.state.get(eager[0]);
      b.initState();
      expect(b.state.get(eager[0]), 'a second call keeps the state').toBe(saved);
      run(a, lazy, 0, 4);
      run(b, eager, 0, 4);
      eager.forEach((p, i) => expect(Array.from(p.data), name).toEqual(Array.from(lazy[i].data)));
    }
  });

  it('stateDict copies: later steps do not change a saved dict', () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const opt = new optim.Adam([p], { lr: 0.1 });
    p.grad = tensor([1, -1]);
    opt.step();
    const saved = opt.stateDict();
    const before = Array.from(saved.state[0].expAvg as Float32Array);
    opt.step();
    expect(Array.from(saved.state[0].expAvg as Float32Array)).toEqual(before);
    expect(saved.state[0].step).toBe(1);
    expect(saved.paramGroups).toEqual([{ lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, params: [0] }]);
  });

  it('FTRL keeps n and z interleaved but its dict shows Keras\'s accumulator and linear, each as long as the parameter', () => {
    const p = tensor([0.5, -0.5, 0.25], { requiresGrad: true });
    const opt = new optim.FTRL([p], { lr: 0.1, initialAccumulatorValue: 0.2 });
    p.grad = tensor([0.3, -2, 0]);
    opt.step();
    const { nz } = opt.state.get(p) as optim.FTRLState;
    expect(nz.length).toBe(6);
    const saved = opt.stateDict().state[0];
    expect(Object.keys(saved)).toEqual(['step', 'accumulator', 'linear']);
    // n' = n + g², z = g − (√n' − √n)/lr · θ₀, in double from the float32 values, stored as float32.
    const n0 = Math.fround(0.2);
    const g = [0.3, -2, 0].map(Math.fround);
    const n = g.map((gi) => Math.fround(n0 + gi * gi));
    expect(Array.from(saved.accumulator as Float32Array)).toEqual(n);
    const z = g.map((gi, i) => Math.fround(gi - ((Math.sqrt(n[i]) - Math.sqrt(n0)) / 0.1) * [0.5, -0.5, 0.25][i]));
    expect(Array.from(saved.linear as Float32Array)).toEqual(z);
    expect(Array.from(nz)).toEqual([0, 1, 2].flatMap((i) => [(saved.accumulator as Float32Array)[i], z[i]]));
    const bad = { ...opt.stateDict(), state: { 0: { ...saved, linear: [1, 2, 3, 4, 5, 6] } } };
    expect(() => opt.loadStateDict(bad)).toThrow('FTRL.loadStateDict: state[0].linear must be 3 values, got 6 values');
    expect(opt.state.get(p)!).toEqual({ step: 1, nz });
  });

  it('rejects a dict that does not fit, before changing anything', () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const opt = new optim.Adam([p], { lr: 0.1 });
    p.grad = tensor([1, -1]);
    opt.step();
    const good = opt.stateDict();
    const stateBefore = opt.state.get(p);
    const bad = (patch: (d: optim.OptimizerStateDict) => void) => {
      const d = toJSONable(good) as optim.OptimizerStateDict;
      patch(d);
      return () => opt.loadStateDict(d);
    };
    expect(bad((d) => d.paramGroups.push({ params: [] }))).toThrow('Adam.loadStateDict: the state dict has 2 parameter groups, this optimizer has 1');
    expect(bad((d) => d.paramGroups[0].params.push(1))).toThrow('Adam.loadStateDict: parameter group 0 has 2 parameters in the state dict, 1 here');
    expect(bad((d) => { d.state[0].expAvg = [1, 2, 3]; })).toThrow('Adam.loadStateDict: state[0].expAvg must be 2 values, got 3 values');
    expect(bad((d) => { d.state[0].expAvgSq = null; })).toThrow('Adam.loadStateDict: state[0].expAvgSq must be 2 values, got null');
    expect(bad((d) => { d.state[0].exp_avg = [1, 2]; })).toThrow("Adam.loadStateDict: state[0]: unknown field 'exp_avg' (fields: step, expAvg, expAvgSq, maxExpAvgSq)");
    expect(bad((d) => { delete (d.state[0] as Record<string, unknown>).step; })).toThrow('Adam.loadStateDict: state[0].step must be a number, got undefined');
    expect(bad((d) => { d.state[3] = d.state[0]; })).toThrow('Adam.loadStateDict: state for parameter 3, but there are 1 parameters');
    expect(bad((d) => { d.paramGroups[0].betas = [1.5, 0.9]; })).toThrow('Adam: betas[0] must be in [0, 1), got 1.5');
    expect(opt.state.get(p)).toBe(stateBefore);
    expect(opt.paramGroups[0].betas).toEqual([0.9, 0.999]);
  });
});
