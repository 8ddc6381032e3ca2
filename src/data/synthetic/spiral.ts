/**
 * Interleaved spiral arms, one per class (CS231n's "spiral" data): class j's points have radius
 * linspace(0, 1) and angle linspace(4j, 4(j+1)) + noise·N(0, 1), at (r·sin t, r·cos t).
 */
import { normal } from '../../random.js';
import { withSeed } from '../rng-stream.js';
import { checkSynthetic, classSizes, linspace, points, type Points, type SyntheticOptions } from './points.js';

export interface SpiralOptions extends SyntheticOptions {
  /** Number of arms (classes), default 3. */
  classes?: number;
}

/** n points on `classes` spiral arms; noise (default 0.2, CS231n's) perturbs the angle. */
export function spiral(n: number, options: SpiralOptions = {}): Points {
  checkSynthetic('spiral', n, options);
  const { noise = 0.2, classes = 3, seed } = options;
  return withSeed('spiral', seed, () => {
    const xy = new Float32Array(2 * n);
    const y = new Int32Array(n);
    let i = 0;
    classSizes(n, classes).forEach((count, j) => {
      const r = linspace(0, 1, count);
      const t = linspace(4 * j, 4 * (j + 1), count);
      for (let k = 0; k < count; k++, i++) {
        const angle = t[k] + noise * normal();
        xy[2 * i] = r[k] * Math.sin(angle);
        xy[2 * i + 1] = r[k] * Math.cos(angle);
        y[i] = j;
      }
    });
    return points(xy, y);
  });
}
