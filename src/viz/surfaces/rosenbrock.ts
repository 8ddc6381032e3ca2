/**
 * Rosenbrock's banana f = (1 − x)² + 100·(y − x²)²: a curved, narrow valley whose floor falls
 * slowly towards the minimum at (1, 1). Finding the valley is easy, following it is not.
 */
import type { Tensor } from '../../tensor.js';
import type { Surface } from './surface.js';

export function rosenbrock(): Surface {
  return {
    name: 'rosenbrock',
    title: 'Rosenbrock',
    formula: 'f = (1 − x)² + 100·(y − x²)²',
    f: (x: Tensor, y: Tensor) => x.neg().add(1).square().add(y.sub(x.square()).square().mul(100)),
    fNumber: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
    domain: { x: [-2, 2], y: [-1, 3] },
    start: [-1.5, 2.5],
    minimum: [1, 1],
    minima: [[1, 1]],
    steps: 500,
    learningRates: {
      gd: 1e-3,
      momentum: 8e-4,
      nesterov: 6e-4,
      adagrad: 0.2,
      rmsprop: 0.01,
      adam: 0.1,
      adamw: 0.05,
      adadelta: 5,
      ftrl: 0.2,
    },
  };
}
