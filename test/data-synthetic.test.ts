import { describe, expect, it } from 'vitest';
import { data, manualSeed, rand } from '../src/index.js';
import { expectClose } from './helpers.js';

const { spiral, moons, circles, xor, gaussians } = data;

function classCounts(y: Int32Array, k: number): number[] {
  const c = new Array(k).fill(0);
  for (const v of y) c[v]++;
  return c;
}

const point = (x: Float32Array, i: number) => [x[2 * i], x[2 * i + 1]];

describe('synthetic 2-D sets: shapes, balance, seeds', () => {
  const sets = {
    spiral: (seed?: number) => spiral(301, { seed }),
    moons: (seed?: number) => moons(301, { noise: 0.1, seed }),
    circles: (seed?: number) => circles(301, { noise: 0.1, seed }),
    xor: (seed?: number) => xor(301, { noise: 0.1, seed }),
    gaussians: (seed?: number) => gaussians(301, { noise: 0.1, seed }),
  };
  for (const [name, make] of Object.entries(sets)) {
    it(`${name}: x [n, 2], labels in range, the same seed gives the same set, the global generator is left alone`, () => {
      manualSeed(11);
      const expectedGlobal = rand([4]).data;
      manualSeed(11);
      const a = make(1);
      const b = make(1);
      const c = make(2);
      expect(rand([4]).data).toEqual(expectedGlobal);
      expect(a.x.shape).toEqual([301, 2]);
      expect(a.y.length).toBe(301);
      expect(Array.from(a.x.data)).toEqual(Array.from(b.x.data));
      expect(Array.from(a.y)).toEqual(Array.from(b.y));
      expect(Array.from(a.x.data)).not.toEqual(Array.from(c.x.data));
      expect(a.x.data.every(Number.isFinite)).toBe(true);
      // Without a seed: the global generator, reproducible through manualSeed.
      manualSeed(4);
      const d = make();
      manualSeed(4);
      expect(Array.from(make().x.data)).toEqual(Array.from(d.x.data));
    });
  }

  it('balances the classes (sizes differ by at most one); xor is about half and half', () => {
    expect(classCounts(spiral(301).y, 3)).toEqual([101, 100, 100]);
    expect(classCounts(spiral(100, { classes: 5 }).y, 5)).toEqual([20, 20, 20, 20, 20]);
    expect(classCounts(moons(301).y, 2)).toEqual([150, 151]);
    expect(classCounts(circles(300).y, 2)).toEqual([150, 150]);
    expect(classCounts(gaussians(301).y, 2)).toEqual([151, 150]);
    expect(classCounts(gaussians(12, { classes: 4 }).y, 4)).toEqual([3, 3, 3, 3]);
    const [zeros, ones] = classCounts(xor(2000, { seed: 0 }).y, 2);
    expect(zeros + ones).toBe(2000);
    expect(Math.abs(zeros - 1000)).toBeLessThan(100);
  });
});

describe('synthetic 2-D sets: the definitions', () => {
  it('moons without noise: the upper arc (cos s, sin s) and the lower (1 − cos s, 0.5 − sin s)', () => {
    const { x, y } = moons(10);
    // s = linspace(0, π, 5) for both moons
    const s = [0, Math.PI / 4, Math.PI / 2, (3 * Math.PI) / 4, Math.PI];
    const expected = [
      ...s.flatMap((t) => [Math.cos(t), Math.sin(t)]),
      ...s.flatMap((t) => [1 - Math.cos(t), 0.5 - Math.sin(t)]),
    ];
    expectClose(x.data, expected, 1e-6);
    expect(Array.from(y)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  });

  it('circles without noise: the unit circle and one of radius factor, angles on [0, 2π) without the endpoint', () => {
    const { x, y } = circles(8, { factor: 0.5 });
    const a = [0, Math.PI / 2, Math.PI, (3 * Math.PI) / 2];
    expectClose(x.data, [...a.flatMap((t) => [Math.cos(t), Math.sin(t)]), ...a.flatMap((t) => [0.5 * Math.cos(t), 0.5 * Math.sin(t)])], 1e-6);
    expect(Array.from(y)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(() => circles(8, { factor: 1 })).toThrow('circles: factor must be between 0 and 1 (exclusive), got 1');
  });

  it('spiral without noise: radius linspace(0, 1), angle linspace(4j, 4j + 4), at (r sin t, r cos t)', () => {
    const { x, y } = spiral(6, { classes: 2, noise: 0 });
    // class j: r = [0, 0.5, 1], t = [4j, 4j + 2, 4j + 4]
    const expected = [0, 1].flatMap((j) => [0, 0.5, 1].flatMap((r, k) => [r * Math.sin(4 * j + 2 * k), r * Math.cos(4 * j + 2 * k)]));
    expectClose(x.data, expected, 1e-6);
    expect(Array.from(y)).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it('noise perturbs spiral angles only: radii stay linspace(0, 1)', () => {
    const { x } = spiral(30, { classes: 3, noise: 0.5, seed: 1 });
    for (let k = 0; k < 10; k++) {
      const [px, py] = point(x.data, 10 + k);
      expect(Math.hypot(px, py)).toBeCloseTo(k / 9, 5);
    }
  });

  it('xor: points at least 0.3 from the axes in [−5.3, 5.3]², class 1 where x·y ≥ 0 when noise is 0', () => {
    const { x, y } = xor(500, { seed: 3 });
    for (let i = 0; i < 500; i++) {
      const [px, py] = point(x.data, i);
      expect(Math.abs(px)).toBeGreaterThanOrEqual(0.3 - 1e-6);
      expect(Math.abs(py)).toBeLessThanOrEqual(5.3 + 1e-6);
      expect(y[i]).toBe(px * py >= 0 ? 1 : 0);
    }
    // With noise, labels near the axes flip.
    const noisy = xor(2000, { noise: 0.5, seed: 3 });
    let flipped = 0;
    for (let i = 0; i < 2000; i++) {
      const [px, py] = point(noisy.x.data, i);
      if (noisy.y[i] !== (px * py >= 0 ? 1 : 0)) flipped++;
    }
    expect(flipped).toBeGreaterThan(100);
  });

  it('gaussians: class 1 around (2, 2), class 0 around (−2, −2), variance 0.5 + 7·noise', () => {
    const n = 20000;
    const { x, y } = gaussians(n, { noise: 0.25, seed: 5 });
    for (const [k, cx, cy] of [[0, -2, -2], [1, 2, 2]]) {
      let sx = 0;
      let sy = 0;
      let sxx = 0;
      let count = 0;
      for (let i = 0; i < n; i++) {
        if (y[i] !== k) continue;
        const [px, py] = point(x.data, i);
        sx += px;
        sy += py;
        sxx += (px - cx) ** 2;
        count++;
      }
      expect(sx / count).toBeCloseTo(cx, 1);
      expect(sy / count).toBeCloseTo(cy, 1);
      expect(sxx / count).toBeGreaterThan(2.25 * 0.95); // variance 0.5 + 7 · 0.25 = 2.25
      expect(sxx / count).toBeLessThan(2.25 * 1.05);
    }
    // Four blobs on the circle through (±2, ±2).
    const four = gaussians(4000, { classes: 4, seed: 5 });
    const centre = (k: number) => {
      let sx = 0;
      let sy = 0;
      for (let i = k * 1000; i < (k + 1) * 1000; i++) [sx, sy] = [sx + four.x.data[2 * i], sy + four.x.data[2 * i + 1]];
      return [sx / 1000, sy / 1000];
    };
    expectClose(centre(0), [-2, -2], 0.1);
    expectClose(centre(1), [2, -2], 0.1);
    expectClose(centre(2), [2, 2], 0.1);
  });

  it('refuses bad arguments', () => {
    expect(() => moons(0)).toThrow('moons: n must be a positive integer, got 0');
    expect(() => spiral(10, { noise: -1 })).toThrow('spiral: noise must be a finite number ≥ 0, got -1');
    expect(() => spiral(10, { classes: 1 })).toThrow('spiral: classes must be an integer ≥ 2, got 1');
    expect(() => gaussians(10, { seed: 0.5 })).toThrow('gaussians: seed must be an integer, got 0.5');
  });
});
