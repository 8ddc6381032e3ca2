/**
 * Gaussian wells in a shallow bowl: f = 0.05·(x² + y²) − Σ dᵢ·exp(−|p − cᵢ|² / (2sᵢ²)). Several
 * minima of different depths: which one an optimizer ends in depends on its path (and momentum
 * can carry it over a rim).
 */
import type { Tensor } from '../../tensor.js';
import type { Point, Surface } from './surface.js';

interface Well {
  center: Point;
  depth: number;
  width: number;
}

const WELLS: Well[] = [
  { center: [2, -1.5], depth: 2, width: 0.9 },
  { center: [-1.5, 1.5], depth: 1.3, width: 0.8 },
  { center: [1.5, 2.2], depth: 1, width: 0.7 },
  { center: [-2, -2], depth: 1.1, width: 0.8 },
];
const BOWL = 0.05;

function fNumber(x: number, y: number): number {
  let f = BOWL * (x * x + y * y);
  for (const { center: [cx, cy], depth, width } of WELLS) {
    f -= depth * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * width * width));
  }
  return f;
}

function f(x: Tensor, y: Tensor): Tensor {
  let out = x.square().add(y.square()).mul(BOWL);
  for (const { center: [cx, cy], depth, width } of WELLS) {
    const r2 = x.sub(cx).square().add(y.sub(cy).square());
    out = out.sub(r2.mul(-1 / (2 * width * width)).exp().mul(depth));
  }
  return out;
}

/** The bowl and the neighbours shift each well's minimum off its centre: find it by gradient descent in float64. */
function localMinimum(from: Point): Point {
  let [x, y] = from;
  const h = 1e-6;
  for (let i = 0; i < 3000; i++) {
    const gx = (fNumber(x + h, y) - fNumber(x - h, y)) / (2 * h);
    const gy = (fNumber(x, y + h) - fNumber(x, y - h)) / (2 * h);
    x -= 0.2 * gx;
    y -= 0.2 * gy;
  }
  return [x, y];
}

export function wells(): Surface {
  const minima = WELLS.map((w) => localMinimum(w.center));
  const minimum = minima.reduce((best, p) => (fNumber(...p) < fNumber(...best) ? p : best));
  return {
    name: 'wells',
    title: 'Gaussian wells (several minima)',
    formula: 'f = 0.05(x² + y²) − Σ dᵢ·exp(−|p − cᵢ|²/2sᵢ²)',
    f,
    fNumber,
    domain: { x: [-4, 4], y: [-4, 4] },
    start: [-0.2, 3.6],
    minimum,
    minima,
    steps: 150,
    learningRates: {
      gd: 0.5,
      momentum: 0.1,
      nesterov: 0.1,
      adagrad: 0.5,
      rmsprop: 0.02,
      adam: 0.1,
      adamw: 0.1,
      adadelta: 10,
      ftrl: 0.5,
    },
  };
}
