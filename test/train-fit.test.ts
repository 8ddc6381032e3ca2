import { describe, expect, it } from 'vitest';
import { manualSeed, nn, optim, data, tensor, type Tensor } from '../src/index.js';
import { fit } from '../src/train/fit.js';
import { evaluate } from '../src/train/evaluate.js';
import { accuracy, confusionMatrix, predictions } from '../src/train/metrics.js';
import { EarlyStopping } from '../src/train/callbacks/early-stopping.js';
import { GradientFlow, probeActivations } from '../src/train/callbacks/gradient-flow.js';
import type { Callback } from '../src/train/callbacks/callback.js';
import { buildMlp } from '../src/train/models.js';
import { TensorDataset } from '../src/data/dataset.js';

function spiralSet(n = 300, seed = 0) {
  const s = data.spiral(n, { seed });
  return new TensorDataset(s.x, s.y);
}

describe('metrics', () => {
  it('accuracy, predictions and the confusion matrix from logits', () => {
    const logits = tensor([[2, 1, 0], [0, 3, 1], [1, 0, 5], [4, 0, 1]]);
    const y = Int32Array.from([0, 1, 1, 2]);
    expect(Array.from(predictions(logits))).toEqual([0, 1, 2, 0]);
    expect(accuracy(logits, y)).toBe(0.5);
    expect(confusionMatrix(predictions(logits), y, 3)).toEqual([[1, 0, 0], [0, 1, 1], [1, 0, 0]]);
    expect(() => confusionMatrix(Int32Array.from([3]), Int32Array.from([0]), 3)).toThrow('confusionMatrix: class 3 is out of range for 3 classes');
  });
});

describe('fit', () => {
  it('trains a BatchNorm MLP on the spiral, with validation, in the callbacks order', () => {
    manualSeed(1);
    const model = buildMlp({ inputs: 2, hidden: [32, 32], classes: 3, activation: 'relu', batchNorm: true });
    const optimizer = new optim.Adam(model.parameters(), { lr: 0.01 });
    const events: string[] = [];
    const spy: Callback = {
      onTrainBegin: () => events.push('trainBegin'),
      onEpochBegin: (ctx) => events.push(`epochBegin ${ctx.epoch}`),
      onEpochEnd: (ctx, logs) => events.push(`epochEnd ${logs.epoch} ${ctx.model.training}`),
      onTrainEnd: () => events.push('trainEnd'),
    };
    const history = fit(model, optimizer, spiralSet(600), { epochs: 25, batchSize: 32, validation: 0.2, callbacks: [spy] });
    expect(history.epochs).toHaveLength(25);
    expect(history.steps).toBe(25 * Math.ceil(480 / 32));
    const first = history.epochs[0];
    const last = history.epochs[24];
    expect(last.loss).toBeLessThan(first.loss / 2);
    expect(last.accuracy).toBeGreaterThan(0.9);
    expect(last.valAccuracy).toBeGreaterThan(0.85);
    expect(events[0]).toBe('trainBegin');
    expect(events[1]).toBe('epochBegin 0');
    // validation ran in eval mode, and training mode was restored before the callbacks
    expect(events[2]).toBe('epochEnd 1 true');
    expect(events.at(-1)).toBe('trainEnd');
  });

  it('steps the scheduler once per epoch and logs the lr used', () => {
    manualSeed(2);
    const model = buildMlp({ inputs: 2, hidden: [8], classes: 3, activation: 'tanh', batchNorm: false });
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    const scheduler = new optim.lrScheduler.StepLR(opt, { stepSize: 1, gamma: 0.5 });
    const h = fit(model, opt, spiralSet(90), { epochs: 3, batchSize: 30, scheduler });
    expect(h.epochs.map((e) => e.lr)).toEqual([0.1, 0.05, 0.025]);
    expect(opt.paramGroups[0].lr).toBeCloseTo(0.0125);
  });

  it('stops early when the validation loss stops improving', () => {
    manualSeed(3);
    const model = buildMlp({ inputs: 2, hidden: [8], classes: 3, activation: 'relu', batchNorm: false });
    // lr 0: nothing changes, so the validation loss never improves after the first epoch
    const opt = new optim.SGD(model.parameters(), { lr: 0 });
    const h = fit(model, opt, spiralSet(90), { epochs: 20, batchSize: 30, validation: 0.3, callbacks: [new EarlyStopping({ patience: 2 })] });
    expect(h.epochs).toHaveLength(4);
    expect(h.stopReason).toMatch(/^early stopping: valLoss did not improve for 3 epochs/);
  });

  it('stops on divergence with the step and the last finite loss, without updating on the bad batch', () => {
    manualSeed(4);
    const model = buildMlp({ inputs: 2, hidden: [16], classes: 3, activation: 'relu', batchNorm: false });
    const opt = new optim.SGD(model.parameters(), { lr: 1e20 });
    const h = fit(model, opt, spiralSet(90), { epochs: 50, batchSize: 30 });
    expect(h.diverged).toBe(true);
    expect(h.stopReason).toMatch(/^diverged at step \d+ \(epoch \d+, batch \d+\): loss is (NaN|Infinity); last finite loss [\d.e+-]+$/);
    const badStep = Number(/step (\d+)/.exec(h.stopReason!)![1]);
    expect(h.steps).toBe(badStep - 1);
  });

  it('clips the global gradient norm before the step', () => {
    manualSeed(5);
    const model = buildMlp({ inputs: 2, hidden: [16], classes: 3, activation: 'relu', batchNorm: false });
    const params = model.parameters();
    const norms: number[] = [];
    const opt = new optim.SGD(params, { lr: 0.1 });
    const step = opt.step.bind(opt);
    opt.step = () => {
      norms.push(Math.sqrt(params.reduce((s, p) => s + p.grad!.data.reduce((a, v) => a + v * v, 0), 0)));
      return step();
    };
    fit(model, opt, spiralSet(90), { epochs: 2, batchSize: 30, clipGradNorm: 0.05 });
    expect(norms).toHaveLength(6);
    for (const n of norms) expect(n).toBeLessThanOrEqual(0.05 + 1e-6);
  });

  it('refuses bad options, naming them', () => {
    const model = new nn.Linear(2, 3);
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    const d = spiralSet(30);
    expect(() => fit(model, opt, d, { epochs: 0 })).toThrow('fit: epochs must be a positive integer, got 0');
    expect(() => fit(model, opt, d, { epochs: 1, batchSize: 2.5 })).toThrow('fit: batchSize must be a positive integer, got 2.5');
    expect(() => fit(model, opt, d, { epochs: 1, clipGradNorm: -1 })).toThrow('fit: clipGradNorm must be a positive number, got -1');
    expect(() => fit(model, opt, d, { epochs: 1, loss: 'hinge' as never })).toThrow(/fit: loss must be 'crossEntropy' or a function/);
  });
});

describe('evaluate', () => {
  it('runs in eval mode without gradients and restores the mode', () => {
    manualSeed(6);
    const model = buildMlp({ inputs: 2, hidden: [8], classes: 3, activation: 'relu', batchNorm: true });
    const set = spiralSet(120);
    const r = evaluate(model, set, { batchSize: 50, confusion: true });
    expect(r.samples).toBe(120);
    expect(r.confusion!.flat().reduce((a, b) => a + b, 0)).toBe(120);
    const correct = r.confusion!.reduce((s, row, i) => s + row[i], 0);
    expect(r.accuracy).toBeCloseTo(correct / 120, 10);
    expect(model.training).toBe(true);
    for (const p of model.parameters()) expect(p.grad).toBeNull();
  });
});

describe('gradient-flow diagnostics', () => {
  it('shows vanishing gradients in a deep sigmoid network and none of it with BatchNorm', () => {
    const firstLayerRatio = (batchNorm: boolean) => {
      manualSeed(7);
      const model = buildMlp({ inputs: 2, hidden: [32, 32, 32, 32, 32, 32], classes: 3, activation: 'sigmoid', batchNorm });
      const flow = new GradientFlow({ every: 1 });
      fit(model, new optim.SGD(model.parameters(), { lr: 0.01 }), spiralSet(64), { epochs: 1, batchSize: 64, callbacks: [flow] });
      const r = flow.records[0];
      const weights = r.params.filter((p) => p.kind === 'Linear' && p.name.endsWith('weight'));
      return weights[0].gradNorm / weights[weights.length - 1].gradNorm;
    };
    const plain = firstLayerRatio(false);
    const withBn = firstLayerRatio(true);
    expect(plain).toBeLessThan(0.01);
    expect(withBn).toBeGreaterThan(10 * plain);
  });

  it('records dead ReLU units and sigmoid saturation, and the probe changes nothing', () => {
    manualSeed(8);
    const model = new nn.Sequential(new nn.Linear(2, 4), new nn.ReLU(), new nn.Linear(4, 4), new nn.Sigmoid(), new nn.BatchNorm1d(4));
    const lin = model.at(0) as nn.Linear;
    lin.weight.data.set([1, 0, 0, 1, -1, 0, 0, -1]);
    lin.bias!.data.set([0, 0, -100, -100]);
    const l2 = model.at(2) as nn.Linear;
    l2.weight.data.fill(50);
    const x = tensor([[1, 2], [3, 4], [0.5, 0.1]]);
    const bn = model.at(4) as nn.BatchNorm1d;
    const before = bn.runningMean!.data.slice();
    const stats = probeActivations(model, x);
    expect(stats.map((s) => s.kind)).toEqual(['Linear', 'ReLU', 'Linear', 'Sigmoid', 'BatchNorm1d']);
    expect(stats[1].dead).toBe(0.5);
    expect(stats[3].saturated).toBe(1);
    expect(Array.from(bn.runningMean!.data)).toEqual(Array.from(before));
  });
});
