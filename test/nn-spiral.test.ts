import { describe, expect, it } from 'vitest';
import { argmax, data, manualSeed, nn, noGrad, optim, type Tensor } from '../src/index.js';

function accuracy(logits: Tensor, y: Int32Array): number {
  const predicted = argmax(logits, 1).data;
  let right = 0;
  for (let i = 0; i < y.length; i++) if (predicted[i] === y[i]) right++;
  return right / y.length;
}

describe('training an MLP with BatchNorm on a spiral', () => {
  it('reaches ≥ 97% training accuracy with Adam', () => {
    manualSeed(0);
    const { x, y } = data.spiral(300, { classes: 3, seed: 0 }); // CS231n's 3-arm spiral, 100 points per arm
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
