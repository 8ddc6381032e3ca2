/**
 * Replays every optimizer trajectory of test/golden/optimizers.json (a copy of ../shared/golden) (PyTorch 1.13 float64,
 * and the Keras 3 FTRL rule): at step t each parameter's gradient is grads[t], then step(), and
 * the parameters must equal expected[t] (float32 here: rtol 1e-4, atol 1e-5).
 */
import { readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import { optim, tensor, type NestedArray, type Tensor } from '../src/index.js';
import { expectClose } from './helpers.js';

interface GoldenCase {
  optimizer: 'SGD' | 'Adagrad' | 'RMSprop' | 'Adam' | 'AdamW' | 'Adadelta' | 'FTRL';
  options: Record<string, unknown>;
  shapes: number[][];
  init: NestedArray[];
  grads: NestedArray[][];
  expected: NestedArray[][];
}

const golden = JSON.parse(
  readFileSync(new URL('./golden/optimizers.json', import.meta.url), 'utf8'),
) as { cases: GoldenCase[] };

const flat = (v: NestedArray): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);

type AnyOptimizerClass = new (params: Tensor[], options: Record<string, unknown>) => optim.Optimizer<{ lr: number }, object>;
const classes = optim as unknown as Record<GoldenCase['optimizer'], AnyOptimizerClass>;

describe('optimizers replay the PyTorch / Keras golden trajectories', () => {
  for (const c of golden.cases) {
    it(`${c.optimizer} ${JSON.stringify(c.options)}`, () => {
      const params = c.init.map((v, i) => tensor(v, { shape: c.shapes[i], requiresGrad: true }));
      const opt = new classes[c.optimizer](params, c.options);
      c.grads.forEach((grads, t) => {
        params.forEach((p, i) => {
          p.grad = tensor(grads[i], { shape: c.shapes[i] });
        });
        opt.step();
        params.forEach((p, i) => {
          try {
            expectClose(p.data, flat(c.expected[t][i]), 1e-5, 1e-4);
          } catch (e) {
            throw new Error(`step ${t + 1}, parameter ${i}: ${(e as Error).message}`);
          }
        });
      });
    });
  }
});
