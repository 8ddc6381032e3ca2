/**
 * A saddle: f = x² − y² near the origin, with ½y⁴ added so that it is bounded below (two valleys,
 * minima at (0, ±1)). Started on the ridge y ≈ 0, gradient descent slides into the saddle point and
 * lingers there, because the gradient that would push it off (2y) is tiny; methods that rescale
 * each coordinate's step by its gradient's size escape quickly.
 */
import type { Tensor } from '../../tensor.js';
import type { Surface } from './surface.js';

export function saddle(): Surface {
  return {
    name: 'saddle',
    title: 'Saddle point',
    formula: 'f = x² − y² + ½y⁴',
    f: (x: Tensor, y: Tensor) => x.square().sub(y.square()).add(y.pow(4).mul(0.5)),
    fNumber: (x, y) => x * x - y * y + 0.5 * y ** 4,
    domain: { x: [-2, 2], y: [-1.6, 1.6] },
    start: [1.8, 1e-3],
    minimum: [0, 1],
    minima: [[0, 1], [0, -1]],
    steps: 120,
    learningRates: {
      gd: 0.05,
      momentum: 0.01,
      nesterov: 0.01,
      adagrad: 0.3,
      rmsprop: 0.02,
      adam: 0.05,
      adamw: 0.05,
      adadelta: 10,
      ftrl: 0.3,
    },
  };
}
