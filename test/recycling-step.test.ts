/**
 * Recycled step arrays (src/recycling-step.ts): a recycled run is the plain run bit for bit, arrays still
 * held are never handed out again, and a step that threw recycles nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import '../src/index.js';
import { getBackend, manualSeed, setBackend } from '../src/index.js';
import { Tensor } from '../src/tensor.js';
import { uninitializedFloats } from '../src/creation.js';
import { recyclingStats, recyclingStep, releaseRecycled } from '../src/recycling-step.js';
import { buildCharModel, type CharModelName } from '../src/text/char-models.js';
import { evaluateCharModel, fitCharModel, randomWindows } from '../src/text/train-lm.js';
import { BudgetSchedule } from '../src/text/lm-schedule.js';
import { AdamW } from '../src/optim/adamw.js';
import { RngStream } from '../src/data/rng-stream.js';
import { crossEntropy } from '../src/ops/cross-entropy.js';
import { clipGradNorm } from '../src/optim/clip-grad.js';
import type { Module } from '../src/nn/module.js';
import { fit } from '../src/train/fit.js';
import { buildCnn, buildMlp } from '../src/train/models.js';
import { makeOptimizer, OPTIMIZER_NAMES } from '../src/train/optimizers.js';
import { GradientFlow } from '../src/train/callbacks/gradient-flow.js';
import { TensorDataset } from '../src/data/dataset.js';

const initialBackend = getBackend();
afterEach(() => {
  setBackend(initialBackend);
  releaseRecycled();
});

/** Big enough that the step's outputs (≥ 64 KB) are recycled: 8 windows of 32 characters, width 64. */
const SIZES = { context: 32, width: 64, layers: 2, heads: 4, dropout: 0.1 };
const BATCH = 8;
const STEPS = 6;
const ids = Int32Array.from({ length: 4000 }, (_, i) => (i * 7 + (i >> 3)) % 29);

function model(name: CharModelName): { model: Module; optimizer: AdamW; schedule: BudgetSchedule } {
  manualSeed(4);
  const m = buildCharModel(name, 29, SIZES);
  const optimizer = new AdamW(m.parameters(), { lr: 3e-3 });
  return { model: m, optimizer, schedule: new BudgetSchedule(optimizer as never, { steps: STEPS }) };
}

/** The steps fitCharModel takes, as a plain loop: every array fresh. */
function plainSteps(name: CharModelName): Float32Array[] {
  const { model: m, optimizer, schedule } = model(name);
  const windows = new RngStream(1, 'fitCharModel');
  m.train();
  for (let step = 1; step <= STEPS; step++) {
    const batch = windows.run(() => randomWindows(ids, SIZES.context, BATCH));
    const out = m.forward(batch.x);
    const loss = crossEntropy(out.reshape([batch.y.length, 29]), batch.y);
    optimizer.zeroGrad();
    loss.backward();
    clipGradNorm(m.parameters(), 1);
    optimizer.step();
    schedule.update(step, 0);
  }
  return m.parameters().map((p) => p.data.slice());
}

function recycledSteps(name: CharModelName, recycleArrays = true): Float32Array[] {
  const { model: m, optimizer, schedule } = model(name);
  const before = recyclingStats().reused;
  fitCharModel(m, optimizer as never, ids, { context: SIZES.context, batchSize: BATCH, seed: 1, stepsPerEpoch: 1000, steps: STEPS, schedule, recycleArrays });
  if (recycleArrays) expect(recyclingStats().reused - before).toBeGreaterThan(10 * (STEPS - 1));
  else expect(recyclingStats().reused).toBe(before); // off by default: a user's model may keep a tensor
  expect(recyclingStats().free).toBe(0); // released when the loop ends
  return m.parameters().map((p) => p.data.slice());
}

describe('fitCharModel recycles its steps’ arrays and trains bit for bit as a plain loop', () => {
  for (const backend of ['native', 'js'] as const) {
    for (const name of ['gpt', 'lstm'] as const) {
      it(`${name} on ${backend}`, () => {
        setBackend(backend);
        const plain = plainSteps(name);
        const recycled = recycledSteps(name);
        expect(recycled.length).toBe(plain.length);
        recycled.forEach((p, i) => expect(p).toEqual(plain[i]));
        recycledSteps(name, false).forEach((p, i) => expect(p).toEqual(plain[i]));
      });
    }
  }
});

describe('fit({ recycleArrays: true }) trains bit for bit as without', () => {
  /** 256 samples of 1×16×16 "images" in 4 classes; batches of 64: hidden outputs of 64 KB and more are recycled. */
  const n = 256;
  const xs = Float32Array.from({ length: n * 256 }, (_, i) => Math.sin(i * 0.37) + ((i >> 8) % 4) * 0.1);
  const ys = Int32Array.from({ length: n }, (_, i) => i % 4);
  const run = (build: () => Module, optimizer: (typeof OPTIMIZER_NAMES)[number], recycleArrays: boolean) => {
    manualSeed(7);
    const m = build();
    const o = makeOptimizer(optimizer, m.parameters());
    const flow = new GradientFlow({ every: 3 });
    const before = recyclingStats().reused;
    const x = build === mlp ? new Tensor(xs, [n, 256]) : new Tensor(xs, [n, 1, 16, 16]);
    fit(m, o, new TensorDataset(x, ys), { epochs: 2, batchSize: 64, validation: 0.25, callbacks: [flow], detectAnomaly: true, clipGradNorm: 5, recycleArrays });
    return { params: m.parameters().map((p) => p.data.slice()), buffers: m.buffers().map((b) => b.data.slice()), flow: JSON.stringify(flow.records), reused: recyclingStats().reused - before };
  };
  const mlp = () => buildMlp({ inputs: 256, hidden: [256, 128], classes: 4, activation: 'tanh', batchNorm: true });
  const cnn = () => buildCnn({ channels: 1, height: 16, width: 16, filters: [8], classes: 4, activation: 'relu', batchNorm: true });
  for (const backend of ['native', 'js'] as const) {
    for (const optimizer of OPTIMIZER_NAMES) {
      it(`MLP with BatchNorm, ${optimizer}, on ${backend}`, () => {
        setBackend(backend);
        const plain = run(mlp, optimizer, false);
        const recycled = run(mlp, optimizer, true);
        expect(plain.reused).toBe(0);
        expect(recycled.reused).toBeGreaterThan(5);
        recycled.params.forEach((p, i) => expect(p).toEqual(plain.params[i]));
        recycled.buffers.forEach((b, i) => expect(b).toEqual(plain.buffers[i]));
        expect(recycled.flow).toBe(plain.flow);
      });
    }
    it(`CNN with BatchNorm, adam, on ${backend}`, () => {
      setBackend(backend);
      const plain = run(cnn, 'adam', false);
      const recycled = run(cnn, 'adam', true);
      expect(recycled.reused).toBeGreaterThan(5);
      recycled.params.forEach((p, i) => expect(p).toEqual(plain.params[i]));
      recycled.buffers.forEach((b, i) => expect(b).toEqual(plain.buffers[i]));
    });
  }
});

describe('evaluateCharModel({ recycleArrays: true }) scores as without', () => {
  it('gpt on native: the same loss, with arrays reused', () => {
    setBackend('native');
    const { model: m } = model('gpt');
    const plain = evaluateCharModel(m, ids, SIZES.context, 16);
    const before = recyclingStats().reused;
    const recycled = evaluateCharModel(m, ids, SIZES.context, 16, { recycleArrays: true });
    expect(recyclingStats().reused - before).toBeGreaterThan(10);
    expect(recycled).toEqual(plain);
  });
});

describe('recyclingStep', () => {
  const SIZE = 1 << 15; // 128 KB: above the size that is recycled

  it('hands a step’s arrays to the next step, except those still held', () => {
    let kept: Tensor | null = null;
    let firstDropped: Float32Array | null = null;
    recyclingStep(() => [kept], () => {
      firstDropped = uninitializedFloats(SIZE);
      kept = new Tensor(uninitializedFloats(SIZE).fill(7), [SIZE]);
    });
    const handed: Float32Array[] = [];
    recyclingStep(() => [kept], () => {
      handed.push(uninitializedFloats(SIZE), uninitializedFloats(SIZE));
      handed.forEach((a) => a.fill(-1));
    });
    expect(handed[0]).toBe(firstDropped); // recycled
    expect(handed[1]).not.toBe(kept!.data); // held: never handed out again
    expect(kept!.data.every((v) => v === 7)).toBe(true);
  });

  it('recycles nothing of a step that threw, and nothing outside a step', () => {
    let made: Float32Array | null = null;
    expect(() => recyclingStep(() => [], () => {
      made = uninitializedFloats(SIZE);
      throw new Error('boom');
    })).toThrow('boom');
    expect(recyclingStats().free).toBe(0);
    const outside = uninitializedFloats(SIZE);
    recyclingStep(() => [], () => {
      expect(uninitializedFloats(SIZE)).not.toBe(made);
    });
    expect(recyclingStats().free).toBe(1);
    expect(uninitializedFloats(SIZE)).not.toBe(outside);
    expect(recyclingStats().free).toBe(1); // outside a step, the free arrays are left alone
  });

  it('a nested step is part of the outer one', () => {
    let inner: Float32Array | null = null;
    recyclingStep(() => [], () => {
      recyclingStep(() => [], () => {
        inner = uninitializedFloats(SIZE);
      });
      expect(recyclingStats().free).toBe(0);
    });
    expect(recyclingStats().free).toBe(1);
    recyclingStep(() => [], () => {
      expect(uninitializedFloats(SIZE)).toBe(inner);
    });
  });
});
