/**
 * Beale's function f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²: flat plateaus,
 * walls rising to 10⁵ at the corners, and a minimum of 0 at (3, 0.5) at the end of a thin valley.
 */
import type { Tensor } from '../../tensor.js';
import type { Surface } from './surface.js';

export function beale(): Surface {
  const term = (x: Tensor, yPower: Tensor, c: number) => x.mul(yPower).sub(x).add(c).square();
  return {
    name: 'beale',
    title: 'Beale',
    formula: 'f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²',
    f: (x: Tensor, y: Tensor) => term(x, y, 1.5).add(term(x, y.square(), 2.25)).add(term(x, y.pow(3), 2.625)),
    fNumber: (x, y) => (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y ** 3) ** 2,
    domain: { x: [-1, 4.5], y: [-1.5, 2.5] },
    start: [1, 1.5],
    minimum: [3, 0.5],
    minima: [[3, 0.5]],
    steps: 300,
    learningRates: {
      gd: 2e-3,
      momentum: 8e-4,
      nesterov: 8e-4,
      adagrad: 0.5,
      rmsprop: 0.02,
      adam: 0.1,
      adamw: 0.1,
      adadelta: 5,
      ftrl: 0.3,
    },
  };
}
