import { describe, expect, it } from 'vitest';
import { argmax, manualSeed, nn, noGrad, optim, randn, Tensor } from '../src/index.js';

/** CS231n's 2-D spiral: `perClass` points per class on arms of radius 0…1, angle jittered by 0.2·N(0,1). */
function spiral(perClass: number, classes: number): { x: Tensor; y: number[] } {
  const noise = randn([perClass * classes]).data;
  const xs = new Float32Array(perClass * classes * 2);
  const y: number[] = [];
  for (let k = 0; k < classes; k++) {
    for (let i = 0; i < perClass; i++) {
      const j = k * perClass + i;
      const r = i / (perClass - 1);
      const t = 4 * k + (4 * i) / (perClass - 1) + 0.2 * noise[j];
      xs[2 * j] = r * Math.sin(t);
      xs[2 * j + 1] = r * Math.cos(t);
      y.push(k);
    }
  }
  return { x: new Tensor(xs, [perClass * classes, 2]), y };
}

function accuracy(logits: Tensor, y: number[]): number {
  const predicted = argmax(logits, 1).data;
  let right = 0;
  for (let i = 0; i < y.length; i++) if (predicted[i] === y[i]) right++;
  return right / y.length;
}

describe('training an MLP with BatchNorm on a spiral', () => {
  it('reaches ≥ 97% training accuracy with Adam', () => {
    manualSeed(0);
    const { x, y } = spiral(100, 3);
    const model = new nn.Sequential(
      new nn.Linear(2, 64), new nn.BatchNorm1d(64), new nn.ReLU(),
      new nn.Linear(64, 64), new nn.BatchNorm1d(64), new nn.ReLU(),
      new nn.Linear(64, 3),
    );
    const opt = new optim.Adam(model.parameters(), { lr: 0.02 });
    const first = noGrad(() => nn.functional.crossEntropy(model.forward(x), y).item());
    let loss = first;
    for (let step = 0; step < 300; step++) {
      opt.zeroGrad();
      const l = nn.functional.crossEntropy(model.forward(x), y);
      l.backward();
      opt.step();
      loss = l.item();
    }
    expect(loss).toBeLessThan(first / 5);
    model.eval();
    const acc = noGrad(() => accuracy(model.forward(x), y));
    expect(acc).toBeGreaterThanOrEqual(0.97);
  });
});
