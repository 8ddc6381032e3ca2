import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../src/index.js';
import { makeSurface, quadratic, SURFACE_NAMES, type Surface } from '../src/viz/surfaces/index.js';
import { defaultRacers, race, racer, RACER_NAMES } from '../src/viz/race.js';
import { contourLevels, contourPlot } from '../src/viz/contour-plot.js';
import { raceAnimation } from '../src/viz/race-animation.js';
import { raceLossChart } from '../src/viz/race-loss-chart.js';
import { expectClose, expectGradsOk } from './helpers.js';

/** A small well-formedness check: every tag closes in order, attributes are quoted, '&' starts an entity. */
export function expectWellFormedXml(xml: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/g;
  let end = 0;
  for (let m = tag.exec(xml); m !== null; m = tag.exec(xml)) {
    const between = xml.slice(end, m.index);
    expect(between, `stray markup before offset ${m.index}`).not.toMatch(/[<>]/);
    expect(between).not.toMatch(/&(?!(amp|lt|gt|quot|apos|#\d+);)/);
    end = tag.lastIndex;
    const [, closing, name, , selfClosing] = m;
    if (closing) expect(stack.pop(), `</${name}> closes the wrong element`).toBe(name);
    else if (!selfClosing) stack.push(name);
  }
  expect(xml.slice(end).trim()).toBe('');
  expect(stack).toEqual([]);
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

describe('the lecture\'s ill-conditioned quadratic', () => {
  const surface = quadratic(50);
  const steps = surface.steps;
  const result = race({ surface, optimizers: defaultRacers(surface, ['gd', 'momentum', 'adam']), steps });
  const [gd, momentum, adam] = result.trajectories;

  it('GD jitters in y: with lr = 1.9/κ, y is multiplied by 1 − 1.9 = −0.9 each step', () => {
    const ys = gd.points.map((p) => p[1]);
    let flips = 0;
    for (let t = 1; t < ys.length; t++) if (Math.sign(ys[t]) !== Math.sign(ys[t - 1])) flips++;
    expect(flips).toBe(steps);
    expectClose(ys.slice(0, 11), Array.from({ length: 11 }, (_, t) => 2.5 * (-0.9) ** t), 1e-5, 1e-4);
  });

  it('GD makes slow progress along x: x shrinks by only 1 − 1.9/50 per step', () => {
    const xs = gd.points.map((p) => p[0]);
    expectClose([xs[20], xs[steps]], [-9 * (1 - 1.9 / 50) ** 20, -9 * (1 - 1.9 / 50) ** steps], 1e-4, 1e-4);
    expect(Math.abs(xs[20])).toBeGreaterThan(4); // still less than halfway after 20 steps
  });

  it('momentum and Adam end closer to the minimum than GD', () => {
    expect(gd.distance).toBeGreaterThan(0.8);
    expect(momentum.distance).toBeLessThan(gd.distance / 2);
    expect(adam.distance).toBeLessThan(gd.distance / 2);
  });

  it('records a point and a loss per step, the loss being f at the point', () => {
    for (const t of result.trajectories) {
      expect(t.points).toHaveLength(steps + 1);
      expect(t.losses).toHaveLength(steps + 1);
      expect(t.points[0]).toEqual([-9, 2.5]);
      expectClose(t.losses, t.points.map((p) => surface.fNumber(...p)), 1e-4, 1e-4);
      expect(t.diverged).toBeNull();
    }
  });

  it('the condition number scales the y curvature', () => {
    const s = quadratic(10);
    expect(s.fNumber(1, 1)).toBe(5.5);
    expect(s.learningRates.gd).toBeCloseTo(0.19, 10);
  });
});

describe('surfaces', () => {
  for (const name of SURFACE_NAMES) {
    const surface = makeSurface(name);
    const { x: [x0, x1], y: [y0, y1] } = surface.domain;
    const probes: [number, number][] = [
      surface.start,
      [surface.minimum[0] + 0.3, surface.minimum[1] - 0.2],
      [x0 + 0.3 * (x1 - x0), y0 + 0.7 * (y1 - y0)],
      [x0 + 0.8 * (x1 - x0), y0 + 0.15 * (y1 - y0)],
    ];

    it(`${name}: the autograd gradient matches central differences of fNumber`, () => {
      for (const [x, y] of probes) {
        const p = tensor([x, y], { requiresGrad: true });
        const loss = surface.f(p.slice([0]), p.slice([1]));
        expect(loss.item()).toBeCloseTo(surface.fNumber(x, y), Math.abs(surface.fNumber(x, y)) > 100 ? 1 : 4);
        loss.backward();
        const h = 1e-5;
        const fd = [
          (surface.fNumber(x + h, y) - surface.fNumber(x - h, y)) / (2 * h),
          (surface.fNumber(x, y + h) - surface.fNumber(x, y - h)) / (2 * h),
        ];
        const scale = Math.max(1, Math.hypot(...fd));
        expectClose(p.grad!.data, fd, 2e-4 * scale, 2e-4);
      }
    });

    it(`${name}: gradcheck on the tensor function`, () => {
      expectGradsOk((x: Tensor, y: Tensor) => surface.f(x.mul(0.5), y.mul(0.5)), [], []);
    });

    it(`${name}: the minimum is stationary and no grid point is lower`, () => {
      const [mx, my] = surface.minimum;
      const h = 1e-5;
      expect(Math.abs((surface.fNumber(mx + h, my) - surface.fNumber(mx - h, my)) / (2 * h))).toBeLessThan(1e-4);
      expect(Math.abs((surface.fNumber(mx, my + h) - surface.fNumber(mx, my - h)) / (2 * h))).toBeLessThan(1e-4);
      const best = surface.fNumber(mx, my);
      for (let i = 0; i <= 60; i++) {
        for (let j = 0; j <= 60; j++) {
          expect(surface.fNumber(x0 + ((x1 - x0) * i) / 60, y0 + ((y1 - y0) * j) / 60)).toBeGreaterThanOrEqual(best - 1e-9);
        }
      }
      expect(surface.minima).toContainEqual(surface.minimum);
    });

    it(`${name}: every default optimizer moves and none diverges`, () => {
      const result = race({ surface, optimizers: defaultRacers(surface), steps: Math.min(surface.steps, 150) });
      for (const t of result.trajectories) {
        expect(t.diverged, t.label).toBeNull();
        const [sx, sy] = surface.start;
        const [ex, ey] = t.points[t.points.length - 1];
        expect(Math.hypot(ex - sx, ey - sy), t.label).toBeGreaterThan(0.05 * Math.hypot(x1 - x0, y1 - y0));
      }
    });
  }

  it('wells has several minima of different depths', () => {
    const s = makeSurface('wells');
    expect(s.minima.length).toBe(4);
    const depths = new Set(s.minima.map((m) => s.fNumber(...m).toFixed(3)));
    expect(depths.size).toBe(4);
  });

  it('the saddle is a saddle: f = 0 at the origin, rising along x, falling along y', () => {
    const s = makeSurface('saddle');
    expect(s.fNumber(0, 0)).toBe(0);
    expect(s.fNumber(0.1, 0)).toBeGreaterThan(0);
    expect(s.fNumber(0, 0.1)).toBeLessThan(0);
  });

  it('rejects an unknown surface and misplaced options', () => {
    expect(() => makeSurface('bowl' as never)).toThrow("makeSurface: unknown surface 'bowl'; expected one of quadratic, rosenbrock, beale, saddle, wells");
    expect(() => makeSurface('beale', { condition: 10 })).toThrow("makeSurface: condition applies to the quadratic only, got it for 'beale'");
    expect(() => quadratic(0.5)).toThrow('quadratic: condition number must be a finite number ≥ 1, got 0.5');
  });
});

describe('race', () => {
  const surface = quadratic(50);

  it('marks a run that leaves the window as diverged, keeping the points before', () => {
    // lr = 2.5/κ: y is multiplied by 1 − 2.5 = −1.5 per step and leaves the window (|y| ≤ 3 + 2·6).
    const [t] = race({ surface, optimizers: [racer('gd', 2.5 / 50)], steps: 50 }).trajectories;
    expect(t.diverged).toEqual({ step: 5, reason: 'left the domain' });
    expect(t.points).toHaveLength(5);
    expectClose([t.points[4][1]], [2.5 * 1.5 ** 4], 1e-4, 1e-5);
  });

  it('marks NaN as diverged instead of throwing', () => {
    const sqrtSurface: Surface = {
      ...surface,
      name: 'sqrt',
      f: (x) => x.sqrt(),
      fNumber: (x) => Math.sqrt(x),
      domain: { x: [0, 4], y: [-1, 1] },
      start: [1, 0],
      minimum: [0, 0],
      minima: [[0, 0]],
    };
    // The first step jumps to x = 1 − 10·½ = −4, where √x is NaN.
    const [t] = race({ surface: sqrtSurface, optimizers: [racer('gd', 10)], steps: 10 }).trajectories;
    expect(t.diverged).toEqual({ step: 1, reason: 'non-finite' });
    expect(t.points).toEqual([[1, 0]]);
    expect(t.finalLoss).toBe(1);
  });

  it('scales the tuned learning rates', () => {
    const [a] = race({ surface, optimizers: defaultRacers(surface, ['gd'], 0.5), steps: 1 }).trajectories;
    // One GD step with lr 0.95/50 from (−9, 2.5): the gradient is (x, 50y).
    expectClose(a.points[1], [-9 + (0.95 / 50) * 9, 2.5 - 0.95 * 2.5], 1e-5, 1e-5);
  });

  it('accepts any optimizer factory', () => {
    const calls: number[] = [];
    const custom = {
      label: 'halver',
      make: (params: Tensor[]) => ({
        zeroGrad() { params[0].grad = null; },
        step() { calls.push(1); for (let i = 0; i < 2; i++) params[0].data[i] -= 0.5 * params[0].data[i]; },
      }),
    };
    const [t] = race({ surface, optimizers: [custom], steps: 3 }).trajectories;
    expect(calls).toHaveLength(3);
    expect(t.points[3]).toEqual([-9 / 8, 2.5 / 8]);
    expect(t.color).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('validates its options', () => {
    expect(() => race({ surface, optimizers: defaultRacers(surface), steps: 0 })).toThrow('race: steps must be an integer ≥ 1, got 0');
    expect(() => race({ surface, optimizers: [], steps: 5 })).toThrow('race: optimizers must hold at least one racer, got none');
    expect(() => race({ surface, optimizers: defaultRacers(surface), start: [1000, 0] })).toThrow("race: start must be a point of the surface's window, got [1000, 0]");
    expect(() => defaultRacers(surface, ['gd'], 0)).toThrow('defaultRacers: lrScale must be a finite number > 0, got 0');
    expect(() => racer('sgd' as never, 0.1)).toThrow(`racer: unknown optimizer 'sgd'; expected one of ${RACER_NAMES.join(', ')}`);
  });
});

describe('plots', () => {
  const surface = makeSurface('rosenbrock');
  const result = race({ surface, optimizers: defaultRacers(surface), steps: 40 });

  it('the contour map is well-formed, with one trajectory path per optimizer and a legend', () => {
    const svg = contourPlot(result);
    expectWellFormedXml(svg);
    expect(count(svg, /class="trajectory"/g)).toBe(RACER_NAMES.length);
    for (const t of result.trajectories) expect(svg).toContain(`>${t.label}</text>`);
    expect(svg).toContain('Optimizer race: Rosenbrock');
    expect(count(svg, /<path d="M[^"]*" fill="rgb/g)).toBeGreaterThan(10); // filled contour bands
  });

  it('the animation is well-formed and animates each trajectory', () => {
    const svg = raceAnimation(result, { seconds: 4, hold: 1 });
    expectWellFormedXml(svg);
    expect(count(svg, /class="trajectory"/g)).toBe(RACER_NAMES.length);
    expect(count(svg, /<animate attributeName="stroke-dashoffset"/g)).toBe(RACER_NAMES.length);
    expect(count(svg, /<animateMotion /g)).toBe(RACER_NAMES.length);
    expect(svg).toContain('dur="5s" repeatCount="indefinite"');
    expect(() => raceAnimation(result, { seconds: 0 })).toThrow('raceAnimation: seconds must be a finite number > 0, got 0');
  });

  it('the loss chart has one line per optimizer', () => {
    const svg = raceLossChart(result);
    expectWellFormedXml(svg);
    expect(count(svg, /<path d="M[^"]*" fill="none" stroke="#/g)).toBe(RACER_NAMES.length);
    expect(svg).toContain('f − f* (log scale)');
  });

  it('the XML check catches broken documents', () => {
    expect(() => expectWellFormedXml('<svg><g></svg>')).toThrow();
    expect(() => expectWellFormedXml('<svg><text>a & b</text></svg>')).toThrow();
  });

  it('contour levels are log-spaced above the minimum when the range is wide, even otherwise', () => {
    const wide = contourLevels([0, 1, 2, 3, 1000], 4);
    expectClose(wide, [1e-3, 1e-1, 10, 1000], 1e-9, 1e-9);
    const even = contourLevels([0, 4, 6, 8], 4);
    expectClose(even, [1, 3, 5, 7], 1e-12, 1e-12);
  });
});
