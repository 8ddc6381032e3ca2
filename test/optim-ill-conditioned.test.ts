/**
 * The lecture's point: on an ill-conditioned loss, L = ½(x² + 50·y²) from (−4, 1), plain GD with
 * lr 0.035 jitters across the steep y valley (y ← −0.75·y) while crawling along the flat x axis
 * (x ← 0.965·x); momentum and Adam get much closer to the minimum in the same 30 steps.
 * Reference distances come from a float64 simulation of the same updates (PyTorch's formulas).
 */
import { describe, expect, it } from 'vitest';
import { optim, tensor, type Tensor } from '../src/index.js';

const STEPS = 30;

function descend(make: (p: Tensor) => optim.Optimizer<{ lr: number }, object>): number[][] {
  const p = tensor([-4, 1], { requiresGrad: true });
  const opt = make(p);
  const curvature = tensor([0.5, 25]); // L = Σ curvature·p²
  const path: number[][] = [];
  for (let t = 0; t < STEPS; t++) {
    opt.zeroGrad();
    p.mul(p).mul(curvature).sum().backward();
    opt.step();
    path.push(Array.from(p.data));
  }
  return path;
}

const distance = ([x, y]: number[]) => Math.hypot(x, y);

describe('GD vs momentum vs Adam on L = ½(x² + 50y²)', () => {
  const gd = descend((p) => new optim.SGD([p], { lr: 0.035 }));
  const momentum = descend((p) => new optim.SGD([p], { lr: 0.035, momentum: 0.9 }));
  const adam = descend((p) => new optim.Adam([p], { lr: 0.2 }));

  it('plain GD oscillates in y (the sign flips every step) and crawls in x', () => {
    gd.forEach(([, y], t) => expect(Math.sign(y)).toBe(t % 2 === 0 ? -1 : 1));
    const [x, y] = gd[STEPS - 1];
    expect(x).toBeCloseTo(-4 * 0.965 ** STEPS, 5);
    expect(y).toBeCloseTo(0.75 ** STEPS, 6);
    expect(distance(gd[STEPS - 1])).toBeCloseTo(1.37366, 4);
  });

  it('momentum 0.9 with the same lr ends far closer to the minimum', () => {
    expect(distance(momentum[STEPS - 1])).toBeCloseTo(0.50928, 3);
    expect(distance(momentum[STEPS - 1])).toBeLessThan(0.4 * distance(gd[STEPS - 1]));
  });

  it('Adam (lr 0.2) also ends far closer, its per-coordinate scaling evening out the two curvatures', () => {
    expect(distance(adam[STEPS - 1])).toBeCloseTo(0.41290, 3);
    expect(distance(adam[STEPS - 1])).toBeLessThan(0.35 * distance(gd[STEPS - 1]));
  });
});
