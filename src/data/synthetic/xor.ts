/**
 * The XOR pattern (TensorFlow Playground's "exclusive or" data): points uniform in [−5, 5]²,
 * pushed 0.3 away from the axes; class 1 where x·y ≥ 0 (first and third quadrants), else 0.
 * Noise moves the point the label is computed from by uniform(−5, 5)·noise per coordinate,
 * so labels near the axes get flipped (the Playground's slider is noise 0 … 0.5).
 */
import { uniform } from '../../random.js';
import { withSeed } from '../rng-stream.js';
import { checkSynthetic, points, type Points, type SyntheticOptions } from './points.js';

const PADDING = 0.3;

/** n points; noise default 0. Class sizes are random (about half each). */
export function xor(n: number, options: SyntheticOptions = {}): Points {
  checkSynthetic('xor', n, options);
  const { noise = 0, seed } = options;
  const between = (lo: number, hi: number) => lo + (hi - lo) * uniform();
  return withSeed('xor', seed, () => {
    const xy = new Float32Array(2 * n);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let px = between(-5, 5);
      px += px > 0 ? PADDING : -PADDING;
      let py = between(-5, 5);
      py += py > 0 ? PADDING : -PADDING;
      const noiseX = between(-5, 5) * noise;
      const noiseY = between(-5, 5) * noise;
      xy[2 * i] = px;
      xy[2 * i + 1] = py;
      y[i] = (px + noiseX) * (py + noiseY) >= 0 ? 1 : 0;
    }
    return points(xy, y);
  });
}
