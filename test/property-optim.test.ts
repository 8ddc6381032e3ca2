/**
 * Property-based tests (fast-check) of the optimizers on random hyperparameters within their
 * valid ranges, random parameters and random gradients: a few steps match a float64 reference
 * written here (PyTorch's algorithm boxes, Keras's Ftrl), every result is finite, and a state
 * dict saved as JSON and loaded into a fresh optimizer continues bit-identically.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { optim, tensor, type Tensor } from '../src/index.js';

type Options = Record<string, any>;
/** One float64 step of a reference rule over theta, keeping its own state. t counts from 1. */
type RefStep = (theta: number[], g: number[], t: number) => void;

const zerosN = (n: number) => new Array<number>(n).fill(0);
const num = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

function sgdRef(o: Options): RefStep {
  const b = zerosN(64);
  return (theta, grad, t) => theta.forEach((w, i) => {
    let g = grad[i] + o.weightDecay * w;
    if (o.momentum !== 0) {
      b[i] = t > 1 ? o.momentum * b[i] + (1 - o.dampening) * g : g;
      g = o.nesterov ? g + o.momentum * b[i] : b[i];
    }
    theta[i] = w - o.lr * g;
  });
}

function adamRef(o: Options, decoupled: boolean): RefStep {
  const [m, v, vMax] = [zerosN(64), zerosN(64), zerosN(64)];
  const [b1, b2] = o.betas;
  return (theta, grad, t) => theta.forEach((w0, i) => {
    let w = w0;
    let g = grad[i];
    if (decoupled) w -= o.lr * o.weightDecay * w;
    else g += o.weightDecay * w;
    m[i] = b1 * m[i] + (1 - b1) * g;
    v[i] = b2 * v[i] + (1 - b2) * g * g;
    vMax[i] = Math.max(vMax[i], v[i]);
    const vHat = (o.amsgrad ? vMax[i] : v[i]) / (1 - b2 ** t);
    theta[i] = w - (o.lr * m[i]) / (1 - b1 ** t) / (Math.sqrt(vHat) + o.eps);
  });
}

function rmspropRef(o: Options): RefStep {
  const [v, avg, b] = [zerosN(64), zerosN(64), zerosN(64)];
  return (theta, grad) => theta.forEach((w, i) => {
    const g = grad[i] + o.weightDecay * w;
    v[i] = o.alpha * v[i] + (1 - o.alpha) * g * g;
    avg[i] = o.alpha * avg[i] + (1 - o.alpha) * g;
    const denom = Math.sqrt(o.centered ? v[i] - avg[i] ** 2 : v[i]) + o.eps;
    if (o.momentum > 0) {
      b[i] = o.momentum * b[i] + g / denom;
      theta[i] = w - o.lr * b[i];
    } else theta[i] = w - (o.lr * g) / denom;
  });
}

function adagradRef(o: Options): RefStep {
  const sum = new Array<number>(64).fill(o.initialAccumulatorValue);
  return (theta, grad, t) => theta.forEach((w, i) => {
    const g = grad[i] + o.weightDecay * w;
    sum[i] += g * g;
    theta[i] = w - ((o.lr / (1 + (t - 1) * o.lrDecay)) * g) / (Math.sqrt(sum[i]) + o.eps);
  });
}

function adadeltaRef(o: Options): RefStep {
  const [v, u] = [zerosN(64), zerosN(64)];
  return (theta, grad) => theta.forEach((w, i) => {
    const g = grad[i] + o.weightDecay * w;
    v[i] = o.rho * v[i] + (1 - o.rho) * g * g;
    const dx = (Math.sqrt(u[i] + o.eps) / Math.sqrt(v[i] + o.eps)) * g;
    u[i] = o.rho * u[i] + (1 - o.rho) * dx * dx;
    theta[i] = w - o.lr * dx;
  });
}

function ftrlRef(o: Options): RefStep {
  const n = new Array<number>(64).fill(o.initialAccumulatorValue);
  const z = zerosN(64);
  const p = -o.lrPower;
  return (w, grad) => w.forEach((wi, i) => {
    const before = n[i] ** p;
    n[i] += grad[i] ** 2;
    z[i] += grad[i] + 2 * o.l2Shrinkage * wi - ((n[i] ** p - before) / o.lr) * wi;
    w[i] = Math.abs(z[i]) <= o.l1 ? 0 : (Math.sign(z[i]) * o.l1 - z[i]) / ((o.beta + n[i] ** p) / o.lr + 2 * o.l2);
  });
}

interface Case {
  name: string;
  make: (params: Tensor[], o: Options) => { step(): void; stateDict(): unknown; loadStateDict(s: never): void };
  ref: (o: Options) => RefStep;
  options: fc.Arbitrary<Options>;
}

const cases: Case[] = [
  {
    name: 'SGD',
    make: (p, o) => new optim.SGD(p, o),
    ref: sgdRef,
    // Nesterov needs momentum > 0 and no dampening (PyTorch's rule).
    options: fc.record({ lr: num(1e-4, 1), momentum: num(0, 0.99), dampening: num(0, 1), weightDecay: num(0, 0.1), nesterov: fc.boolean() })
      .map((o) => (o.nesterov ? { ...o, momentum: Math.max(o.momentum, 0.1), dampening: 0 } : o)),
  },
  {
    name: 'Adam',
    make: (p, o) => new optim.Adam(p, o),
    ref: (o) => adamRef(o, false),
    options: fc.record({ lr: num(1e-4, 0.1), betas: fc.tuple(num(0, 0.999), num(0, 0.9999)), eps: num(1e-10, 1e-3), weightDecay: num(0, 0.1), amsgrad: fc.boolean() }),
  },
  {
    name: 'AdamW',
    make: (p, o) => new optim.AdamW(p, o),
    ref: (o) => adamRef(o, true),
    options: fc.record({ lr: num(1e-4, 0.1), betas: fc.tuple(num(0, 0.999), num(0, 0.9999)), eps: num(1e-10, 1e-3), weightDecay: num(0, 0.5), amsgrad: fc.boolean() }),
  },
  {
    name: 'RMSprop',
    make: (p, o) => new optim.RMSprop(p, o),
    ref: rmspropRef,
    // alpha ≥ 0.1: centered with alpha → 0 makes v − avg² a float32 cancellation of g² − g² (ill-posed, not a bug).
    options: fc.record({ lr: num(1e-4, 0.1), alpha: num(0.1, 0.999), eps: num(1e-8, 1e-3), weightDecay: num(0, 0.1), momentum: num(0, 0.9), centered: fc.boolean() }),
  },
  {
    name: 'Adagrad',
    make: (p, o) => new optim.Adagrad(p, o),
    ref: adagradRef,
    options: fc.record({ lr: num(1e-4, 0.5), lrDecay: num(0, 0.5), weightDecay: num(0, 0.1), initialAccumulatorValue: num(0, 1), eps: num(1e-10, 1e-3) }),
  },
  {
    name: 'Adadelta',
    make: (p, o) => new optim.Adadelta(p, o),
    ref: adadeltaRef,
    options: fc.record({ lr: num(1e-3, 2), rho: num(0, 0.99), eps: num(1e-8, 1e-3), weightDecay: num(0, 0.1) }),
  },
  {
    name: 'FTRL',
    make: (p, o) => new optim.FTRL(p, o),
    ref: ftrlRef,
    options: fc.record({
      lr: num(1e-3, 1), lrPower: num(-1, 0), initialAccumulatorValue: num(0.01, 1), l1: num(0, 0.1), l2: num(0, 0.1), l2Shrinkage: num(0, 0.1), beta: num(0, 1),
    }),
  },
];

/** Parameters and a gradient per step, as float32 values in [−2, 2]. */
const problemArb = fc.integer({ min: 1, max: 8 }).chain((n) => fc.record({
  theta: fc.array(fc.float({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n }),
  grads: fc.array(fc.array(fc.float({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n }), { minLength: 1, maxLength: 4 }),
}));

/** JSON with typed arrays as plain arrays (how a state dict travels in a file or a message). */
const viaJson = (value: unknown) => JSON.parse(JSON.stringify(value, (_k, v) => (v instanceof Float32Array ? Array.from(v) : v)));

describe('property: optimizer steps on random hyperparameters', () => {
  for (const c of cases) {
    it(`${c.name}: matches the float64 reference, stays finite, and its state dict round-trips through JSON`, () => {
      fc.assert(fc.property(c.options, problemArb, (o, { theta, grads }) => {
        const p = tensor(Float32Array.from(theta), { requiresGrad: true });
        const opt = c.make([p], o);
        const ref = c.ref(o);
        const expected = theta.map(Math.fround);
        grads.forEach((g, t) => {
          p.grad = tensor(Float32Array.from(g));
          opt.step();
          ref(expected, g.map(Math.fround), t + 1);
        });
        expect(p.data.every(Number.isFinite)).toBe(true);
        for (let i = 0; i < expected.length; i++) {
          // Adaptive steps are ≈ lr·g/(|g| + eps): where a parameter returns to ~0 by cancellation and g ≈ eps,
          // float32 rounding of θ moves a step by a fraction of lr, so the bound allows 1% of lr per step.
          const tol = 1e-4 * (1 + Math.abs(expected[i])) + 1e-2 * o.lr * grads.length;
          if (!(Math.abs(p.data[i] - expected[i]) <= tol)) {
            throw new Error(`${c.name} ${JSON.stringify(o)}: element ${i} is ${p.data[i]}, reference ${expected[i]}`);
          }
        }

        // A fresh optimizer on a copy, loaded from the JSON'd state dict, takes the same next step.
        const q = tensor(p.data.slice(), { requiresGrad: true });
        const resumed = c.make([q], o);
        resumed.loadStateDict(viaJson(opt.stateDict()) as never);
        const last = Float32Array.from(grads[grads.length - 1], (x) => -x / 2);
        p.grad = tensor(last.slice());
        q.grad = tensor(last.slice());
        opt.step();
        resumed.step();
        expect(Array.from(q.data)).toEqual(Array.from(p.data));
      }), { numRuns: 20 });
    });
  }
});

describe('found by the properties above', () => {
  it('centered RMSprop stays finite on a constant tiny gradient (v − m² rounded below 0 gave √ of a negative: NaN)', () => {
    const p = tensor([0], { requiresGrad: true });
    const opt = new optim.RMSprop([p], { lr: 0.01, alpha: 0.9, centered: true });
    for (let t = 0; t < 200; t++) {
      p.grad = tensor([1e-20]);
      opt.step();
    }
    // The variance is (1 − αᵗ)αᵗg² → 0, so each step is ≈ lr·g/eps = 1e-14 (PyTorch's rule, in float64).
    expect(p.data[0]).toBeCloseTo(-200 * 0.01 * 1e-20 / 1e-8, 15);
    expect(Number.isFinite(p.data[0])).toBe(true);
  });
});

describe('property: out-of-range hyperparameters are refused by name', () => {
  const bad: [string, (p: Tensor[], v: number) => unknown, fc.Arbitrary<number>, RegExp][] = [
    ['SGD lr < 0', (p, v) => new optim.SGD(p, { lr: v }), num(-10, -1e-9), /^SGD: lr must be in \[0, ∞\), got -/],
    ['Adam beta1 ≥ 1', (p, v) => new optim.Adam(p, { betas: [v, 0.999] }), num(1, 10), /^Adam: betas\[0\] must be in \[0, 1\), got /],
    ['RMSprop alpha > 1', (p, v) => new optim.RMSprop(p, { alpha: v }), num(1.0001, 10), /^RMSprop: alpha must be in \[0, 1\], got /],
    ['Adadelta rho > 1', (p, v) => new optim.Adadelta(p, { rho: v }), num(1.0001, 10), /^Adadelta: rho must be in \[0, 1\], got /],
    ['FTRL lrPower > 0', (p, v) => new optim.FTRL(p, { lrPower: v }), num(1e-9, 10), /^FTRL: lrPower must be in \(-∞, 0\], got /],
    ['Adagrad eps < 0', (p, v) => new optim.Adagrad(p, { eps: v }), num(-1, -1e-12), /^Adagrad: eps must be in \[0, ∞\), got -/],
  ];
  for (const [what, make, values, message] of bad) {
    it(what, () => {
      fc.assert(fc.property(values, (v) => {
        expect(() => make([tensor([1], { requiresGrad: true })], v)).toThrow(message);
      }), { numRuns: 20 });
    });
  }
});
