/**
 * The activation functions of the lecture (and three of their successors), each evaluated by
 * nabla's own ops on a grid of inputs and differentiated by its autograd — the derivative curves
 * are what backward() returns, not formulas typed in here.
 */
import { nn, linspace } from 'nabla';

export const ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'elu', 'gelu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export interface ActivationInfo {
  name: Activation;
  title: string;
  formula: string;
  /** The lecture's point about it, one sentence. */
  note: string;
  /** The module used in the deep network. */
  module: () => nn.Module;
}

export const ACTIVATION_INFO: Record<Activation, ActivationInfo> = {
  sigmoid: {
    name: 'sigmoid', title: 'Sigmoid', formula: 'σ(x) = 1 / (1 + e⁻ˣ)',
    note: 'Saturates at both ends, and σ′ = (1 − σ)σ ≤ 1/4: every layer shrinks the gradient at least 4×, so it vanishes. Not zero-centred (outputs in (0, 1)).',
    module: () => new nn.Sigmoid(),
  },
  tanh: {
    name: 'tanh', title: 'Tanh', formula: 'tanh(x) = 2σ(2x) − 1',
    note: 'Zero-centred (outputs in (−1, 1)), but saturates too: for |x| beyond ~3 the gradient is nearly 0.',
    module: () => new nn.Tanh(),
  },
  relu: {
    name: 'relu', title: 'ReLU', formula: 'max(0, x)',
    note: 'Does not saturate for x > 0 (gradient exactly 1: it passes the gradient through), and is cheap. For x < 0 the gradient is exactly 0: a unit that never turns on is dead.',
    module: () => new nn.ReLU(),
  },
  leakyRelu: {
    name: 'leakyRelu', title: 'Leaky ReLU', formula: 'max(0.01x, x)',
    note: 'A small slope for x < 0, so the gradient is never exactly 0 and units cannot die.',
    module: () => new nn.LeakyReLU(0.01),
  },
  elu: {
    name: 'elu', title: 'ELU', formula: 'x if x > 0, else eˣ − 1',
    note: 'Like ReLU for x > 0; smooth, with mean outputs closer to 0; saturates to −1 for very negative x.',
    module: () => new nn.ELU(1),
  },
  gelu: {
    name: 'gelu', title: 'GELU', formula: 'x·Φ(x)',
    note: 'A smooth ReLU (Transformers use it): the input weighted by the probability that a standard normal is below it.',
    module: () => new nn.GELU(),
  },
};

export interface Curve {
  x: Float32Array;
  y: Float32Array;
  /** dy/dx from backward(). */
  dy: Float32Array;
}

/** f and f′ on `count` points of [lo, hi]: one forward through the module, one backward of Σ f(x). */
export function curve(activation: Activation, lo = -6, hi = 6, count = 241): Curve {
  const x = linspace(lo, hi, count, { requiresGrad: true });
  const y = ACTIVATION_INFO[activation].module().forward(x);
  y.sum().backward();
  return { x: x.data, y: y.data, dy: x.grad!.data };
}
