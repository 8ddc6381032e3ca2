/**
 * Gaussian blobs (TensorFlow Playground's "Gaussian" data): with 2 classes, class 1 around
 * (2, 2) and class 0 around (−2, −2); more classes sit evenly on the circle through those
 * centres. Each coordinate's variance is 0.5 + 7·noise (the Playground maps noise 0 … 0.5 to
 * variance 0.5 … 4).
 */
import { normal } from '../../random.js';
import { withSeed } from '../rng-stream.js';
import { checkSynthetic, classSizes, points, type Points, type SyntheticOptions } from './points.js';

export interface GaussiansOptions extends SyntheticOptions {
  /** Number of blobs (classes), default 2. */
  classes?: number;
}

/** n points in `classes` blobs of sizes differing by at most one; noise default 0. */
export function gaussians(n: number, options: GaussiansOptions = {}): Points {
  checkSynthetic('gaussians', n, options);
  const { noise = 0, classes = 2, seed } = options;
  const std = Math.sqrt(0.5 + 7 * noise);
  const radius = 2 * Math.SQRT2;
  return withSeed('gaussians', seed, () => {
    const xy = new Float32Array(2 * n);
    const y = new Int32Array(n);
    let i = 0;
    classSizes(n, classes).forEach((count, k) => {
      const angle = (5 * Math.PI) / 4 + (2 * Math.PI * k) / classes;
      const cx = radius * Math.cos(angle);
      const cy = radius * Math.sin(angle);
      for (let j = 0; j < count; j++, i++) {
        xy[2 * i] = cx + std * normal();
        xy[2 * i + 1] = cy + std * normal();
        y[i] = k;
      }
    });
    return points(xy, y);
  });
}
