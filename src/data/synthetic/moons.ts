/**
 * Two interleaving half circles (scikit-learn's make_moons, unshuffled): class 0 on the upper
 * arc (cos s, sin s), class 1 on the lower one (1 − cos s, 0.5 − sin s), s in [0, π].
 */
import { normal } from '../../random.js';
import { withSeed } from '../rng-stream.js';
import { checkSynthetic, linspace, points, type Points, type SyntheticOptions } from './points.js';

/** n points, ⌊n/2⌋ on the outer moon; noise (default 0, as in scikit-learn) is the std of Gaussian noise added to each coordinate. */
export function moons(n: number, options: SyntheticOptions = {}): Points {
  checkSynthetic('moons', n, options);
  const { noise = 0, seed } = options;
  return withSeed('moons', seed, () => {
    const outer = Math.floor(n / 2);
    const xy = new Float32Array(2 * n);
    const y = new Int32Array(n);
    const sOuter = linspace(0, Math.PI, outer);
    const sInner = linspace(0, Math.PI, n - outer);
    for (let i = 0; i < n; i++) {
      const isOuter = i < outer;
      const s = isOuter ? sOuter[i] : sInner[i - outer];
      const px = isOuter ? Math.cos(s) : 1 - Math.cos(s);
      const py = isOuter ? Math.sin(s) : 1 - Math.sin(s) - 0.5;
      xy[2 * i] = px + noise * normal();
      xy[2 * i + 1] = py + noise * normal();
      y[i] = isOuter ? 0 : 1;
    }
    return points(xy, y);
  });
}
