/**
 * The lecture's ill-conditioned bowl f = ½(x² + κ·y²): curvature 1 along x, κ along y ("steep
 * vertically, shallow horizontally"). Plain gradient descent needs lr < 2/κ to stay stable in y,
 * and with such a step it crawls along x — the jitter-and-slow-progress picture.
 */
import type { Tensor } from '../../tensor.js';
import type { Surface } from './surface.js';

export function quadratic(condition = 50): Surface {
  if (!(Number.isFinite(condition) && condition >= 1)) {
    throw new Error(`quadratic: condition number must be a finite number ≥ 1, got ${condition}`);
  }
  const k = condition;
  return {
    name: 'quadratic',
    title: `Ill-conditioned quadratic (κ = ${k})`,
    formula: `f = ½(x² + ${k}·y²)`,
    f: (x: Tensor, y: Tensor) => x.square().add(y.square().mul(k)).mul(0.5),
    fNumber: (x, y) => 0.5 * (x * x + k * y * y),
    domain: { x: [-10, 3], y: [-3, 3] },
    start: [-9, 2.5],
    minimum: [0, 0],
    minima: [[0, 0]],
    steps: 60,
    // Step sizes that depend on curvature scale with 1/κ: GD at 1.9/κ flips y's sign every step
    // (factor 1 − 1.9 = −0.9) while x shrinks only by 1 − 1.9/κ per step.
    learningRates: {
      gd: 1.9 / k,
      momentum: 0.4 / k,
      nesterov: 0.4 / k,
      adagrad: 1.5,
      rmsprop: 0.1,
      adam: 0.5,
      adamw: 0.5,
      adadelta: 50,
      ftrl: 1.5,
    },
  };
}
