import { describe, expect, it } from 'vitest';
import { optim, type Tensor } from '../src/index.js';
import { quadratic, rosenbrock } from '../src/viz/surfaces/index.js';
import { race, racer } from '../src/viz/race.js';
import { RaceRunner } from '../src/viz/race-runner.js';

describe('RaceRunner: a race one step at a time', () => {
  it('starts with the start point and its loss, then adds exactly one point per step', () => {
    const surface = quadratic(10);
    const runner = new RaceRunner(surface, racer('gd', 0.1), [-9, 2.5], '#000');
    expect(runner.steps).toBe(0);
    expect(runner.trajectory.points).toEqual([[-9, 2.5]]);
    expect(runner.trajectory.losses).toEqual([0.5 * (81 + 10 * 6.25)]);
    expect(runner.step()).toBe(true);
    expect(runner.steps).toBe(1);
    // GD on ½(x² + 10y²): x ← x − 0.1·x, y ← y − 0.1·10·y = 0.
    const [x, y] = runner.trajectory.points[1];
    expect(x).toBeCloseTo(-8.1, 5);
    expect(y).toBeCloseTo(0, 6);
    expect(runner.trajectory.finalLoss).toBeCloseTo(0.5 * 8.1 * 8.1, 4);
    expect(runner.trajectory.distance).toBeCloseTo(8.1, 5);
  });

  it('gives the trajectory race() gives, point for point', () => {
    const surface = rosenbrock();
    const entry = { label: 'Adam', make: (p: Tensor[]) => new optim.Adam(p, { lr: 0.05, betas: [0.8, 0.99] }) };
    const whole = race({ surface, optimizers: [entry], steps: 40 }).trajectories[0];
    const runner = new RaceRunner(surface, entry, surface.start, '#123456');
    for (let k = 0; k < 40; k++) runner.step();
    expect(runner.trajectory.points).toEqual(whole.points);
    expect(runner.trajectory.losses).toEqual(whole.losses);
    expect(runner.trajectory.color).toBe('#123456');
  });

  it('stops at a divergence and keeps the last good point: GD with lr > 2/κ leaves the window', () => {
    const surface = quadratic(10);
    const runner = new RaceRunner(surface, racer('gd', 0.3), [1, 1], '#000'); // y ← (1 − 3)·y = −2y
    let steps = 0;
    while (runner.step()) steps++;
    // |y| = 2^t leaves the window (|y| > 3 + 2·6 = 15) at t = 4 (16).
    expect(steps).toBe(3);
    expect(runner.diverged).toEqual({ step: 4, reason: 'left the domain' });
    expect(runner.trajectory.points).toHaveLength(4);
    expect(runner.trajectory.points[3][1]).toBeCloseTo(-8, 4);
    expect(runner.step()).toBe(false);
    expect(runner.trajectory.points).toHaveLength(4);
  });

  it('marks NaN as a non-finite divergence, and refuses a start outside the window', () => {
    const surface = quadratic(10);
    const poison = { label: 'NaN', make: (p: Tensor[]) => ({ step: () => void (p[0].data[1] = NaN), zeroGrad: () => {} }) };
    const runner = new RaceRunner(surface, poison, [1, 1], '#000');
    expect(runner.step()).toBe(false);
    expect(runner.diverged).toEqual({ step: 1, reason: 'non-finite' });
    expect(runner.trajectory.points).toEqual([[1, 1]]);
    expect(() => new RaceRunner(surface, racer('gd', 0.1), [100, 0], '#000')).toThrow(
      "RaceRunner: start must be a point of the surface's window, got [100, 0]",
    );
  });
});
