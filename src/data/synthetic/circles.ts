/**
 * A small circle inside a large one (scikit-learn's make_circles, unshuffled): class 0 on the
 * unit circle, class 1 on the circle of radius `factor`, angles evenly spaced on [0, 2π).
 */
import { normal } from '../../random.js';
import { withSeed } from '../rng-stream.js';
import { checkSynthetic, linspace, points, type Points, type SyntheticOptions } from './points.js';

export interface CirclesOptions extends SyntheticOptions {
  /** Inner radius over outer radius, in (0, 1); default 0.8. */
  factor?: number;
}

/** n points, ⌊n/2⌋ on the outer circle; noise (default 0) is the std of Gaussian noise added to each coordinate. */
export function circles(n: number, options: CirclesOptions = {}): Points {
  checkSynthetic('circles', n, options);
  const { noise = 0, factor = 0.8, seed } = options;
  if (typeof factor !== 'number' || !(factor > 0 && factor < 1)) throw new Error(`circles: factor must be between 0 and 1 (exclusive), got ${String(factor)}`);
  return withSeed('circles', seed, () => {
    const outer = Math.floor(n / 2);
    const xy = new Float32Array(2 * n);
    const y = new Int32Array(n);
    const aOuter = linspace(0, 2 * Math.PI, outer, false);
    const aInner = linspace(0, 2 * Math.PI, n - outer, false);
    for (let i = 0; i < n; i++) {
      const isOuter = i < outer;
      const a = isOuter ? aOuter[i] : aInner[i - outer];
      const radius = isOuter ? 1 : factor;
      xy[2 * i] = radius * Math.cos(a) + noise * normal();
      xy[2 * i + 1] = radius * Math.sin(a) + noise * normal();
      y[i] = isOuter ? 0 : 1;
    }
    return points(xy, y);
  });
}
