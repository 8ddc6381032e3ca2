import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nn, optim, tensor, type Tensor } from '../src/index.js';
import { expectClose } from './helpers.js';

interface MlpCase {
  dims: number[];
  activation: 'relu' | 'tanh' | 'sigmoid';
  batchNorm: boolean;
  x: number[][];
  y: number[];
  linear: { weight: number[][]; bias: number[] }[];
  gradsAtStart: { weight: number[][]; bias: number[] }[];
  adamLr: number;
  losses: number[];
}

const golden = JSON.parse(readFileSync(new URL('./golden/mlp.json', import.meta.url), 'utf8')) as { cases: MlpCase[] };

const activations = { relu: () => new nn.ReLU(), tanh: () => new nn.Tanh(), sigmoid: () => new nn.Sigmoid() };

/** The case's MLP: Linear [BatchNorm1d] activation … Linear, with PyTorch's initial weights loaded. */
function build(c: MlpCase): { model: nn.Sequential; linears: nn.Linear[] } {
  const model = new nn.Sequential();
  const linears: nn.Linear[] = [];
  for (let i = 0; i + 1 < c.dims.length; i++) {
    const layer = new nn.Linear(c.dims[i], c.dims[i + 1]);
    layer.loadStateDict({ weight: tensor(c.linear[i].weight), bias: tensor(c.linear[i].bias) });
    linears.push(layer);
    model.append(layer);
    if (i + 2 < c.dims.length) {
      if (c.batchNorm) model.append(new nn.BatchNorm1d(c.dims[i + 1]));
      model.append(activations[c.activation]());
    }
  }
  return { model, linears };
}

function flat(rows: number[][] | number[]): number[] {
  return (rows as number[][]).flat();
}

describe('MLP against PyTorch (golden/mlp.json)', () => {
  it('covers cases with and without BatchNorm', () => {
    expect(golden.cases.map((c) => c.batchNorm).sort()).toEqual([false, true]);
  });

  for (const c of golden.cases) {
    const label = `${c.dims.join('-')} ${c.activation}${c.batchNorm ? ' + BatchNorm1d' : ''}`;

    it(`${label}: gradients of every Linear at the initial weights`, () => {
      const { model, linears } = build(c);
      const loss = nn.functional.crossEntropy(model.forward(tensor(c.x)), c.y);
      loss.backward();
      expect(loss.item()).toBeCloseTo(c.losses[0], 5);
      linears.forEach((l, i) => {
        expectClose(l.weight.grad!.data, flat(c.gradsAtStart[i].weight), 1e-4, 1e-4);
        expectClose(l.bias!.grad!.data, c.gradsAtStart[i].bias, 1e-4, 1e-4);
      });
    });

    it(`${label}: Adam(lr=${c.adamLr}) loss curve on a fixed batch`, () => {
      const { model } = build(c);
      const opt = new optim.Adam(model.parameters(), { lr: c.adamLr });
      const x = tensor(c.x);
      const losses: number[] = [];
      for (let step = 0; step < c.losses.length; step++) {
        opt.zeroGrad();
        const loss: Tensor = nn.functional.crossEntropy(model.forward(x), c.y);
        losses.push(loss.item());
        loss.backward();
        opt.step();
      }
      expectClose(losses, c.losses, 1e-5, 1e-5);
    });
  }
});
