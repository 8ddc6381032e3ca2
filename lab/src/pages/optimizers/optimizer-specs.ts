/**
 * The nine racers of the Optimizers page and their tunable hyperparameters. Each one is built from
 * nabla's own optimizer class, so every trajectory on the map is what `optim` computes.
 */
import { optim, type Tensor } from 'nabla';
import { racer, RACER_NAMES, type Racer, type RacerName, type StepOptimizer } from '../../../../src/viz/race.js';
import type { Surface } from '../../../../src/viz/surfaces/index.js';
import { logScale } from '../../ui/dom.js';

export { RACER_NAMES, type RacerName };

type Scale = { toValue: (p: number) => number; toPosition: (v: number) => number };

export interface Hyperparameter {
  key: string;
  label: string;
  /** Slider positions, and how a position maps to the value. */
  min: number;
  max: number;
  step: number;
  scale?: Scale;
  /** The starting value; the learning rate's comes from the surface (tuned per surface). */
  value: number;
  format?: (v: number) => string;
}

export type Values = Record<string, number>;

export interface OptimizerSpec {
  name: RacerName;
  /** Hyperparameters besides the learning rate. */
  extra: Hyperparameter[];
  make(params: Tensor[], v: Values): StepOptimizer;
}

/** Positions 0…100 ↦ a value near 1 with 1 − value log-spaced in [1 − hi, 1 − lo] (β₂ = 0.999 needs the room). */
function nearOne(lo: number, hi: number): Scale {
  const a = Math.log10(1 - lo);
  const b = Math.log10(1 - hi);
  return {
    toValue: (p) => Number((1 - 10 ** (a + ((b - a) * p) / 100)).toPrecision(4)),
    toPosition: (v) => Math.round(((Math.log10(1 - v) - a) / (b - a)) * 100),
  };
}

const fixed2 = (v: number) => v.toFixed(2);
const momentum = (value: number, min = 0): Hyperparameter => ({ key: 'momentum', label: 'momentum μ', min, max: 0.99, step: 0.01, value, format: fixed2 });
const beta1: Hyperparameter = { key: 'beta1', label: 'β₁ (momentum)', min: 0, max: 0.99, step: 0.01, value: 0.9, format: fixed2 };
const beta2: Hyperparameter = { key: 'beta2', label: 'β₂ (squared-gradient average)', min: 0, max: 100, step: 1, value: 0.999, scale: nearOne(0.5, 0.9999) };

export const SPECS: Record<RacerName, OptimizerSpec> = {
  gd: { name: 'gd', extra: [], make: (p, v) => new optim.SGD(p, { lr: v.lr }) },
  momentum: { name: 'momentum', extra: [momentum(0.9)], make: (p, v) => new optim.SGD(p, { lr: v.lr, momentum: v.momentum }) },
  // Nesterov needs a momentum > 0.
  nesterov: { name: 'nesterov', extra: [momentum(0.9, 0.01)], make: (p, v) => new optim.SGD(p, { lr: v.lr, momentum: v.momentum, nesterov: true }) },
  adagrad: { name: 'adagrad', extra: [], make: (p, v) => new optim.Adagrad(p, { lr: v.lr }) },
  rmsprop: {
    name: 'rmsprop',
    extra: [{ key: 'alpha', label: 'α (squared-gradient average)', min: 0, max: 100, step: 1, value: 0.99, scale: nearOne(0.5, 0.9999) }],
    make: (p, v) => new optim.RMSprop(p, { lr: v.lr, alpha: v.alpha }),
  },
  adam: { name: 'adam', extra: [beta1, beta2], make: (p, v) => new optim.Adam(p, { lr: v.lr, betas: [v.beta1, v.beta2] }) },
  adamw: {
    name: 'adamw',
    extra: [beta1, beta2, { key: 'weightDecay', label: 'weight decay λ', min: 0, max: 1, step: 0.01, value: 0.1, format: fixed2 }],
    make: (p, v) => new optim.AdamW(p, { lr: v.lr, betas: [v.beta1, v.beta2], weightDecay: v.weightDecay }),
  },
  adadelta: {
    name: 'adadelta',
    extra: [{ key: 'rho', label: 'ρ (running averages)', min: 0, max: 100, step: 1, value: 0.9, scale: nearOne(0.5, 0.999) }],
    make: (p, v) => new optim.Adadelta(p, { lr: v.lr, rho: v.rho }),
  },
  ftrl: {
    name: 'ftrl',
    extra: [{ key: 'l1', label: 'L1 strength', min: 0, max: 2, step: 0.01, value: 0, format: fixed2 }],
    make: (p, v) => new optim.FTRL(p, { lr: v.lr, l1: v.l1 }),
  },
};

/** The learning-rate slider for a surface: log scale over two decades either side of the surface's tuned value. */
export function learningRate(surface: Surface, name: RacerName): Hyperparameter {
  const tuned = surface.learningRates[name];
  return {
    key: 'lr',
    label: 'learning rate α',
    min: 0,
    max: 160,
    step: 1,
    value: tuned,
    scale: logScale(tuned / 100, tuned * 100, 160),
    format: (v) => (v >= 1e-3 && v < 1e4 ? String(Number(v.toPrecision(3))) : v.toExponential(1)),
  };
}

/** The starting values of every hyperparameter of `name` on `surface`. */
export function defaultValues(surface: Surface, name: RacerName): Values {
  const v: Values = { lr: surface.learningRates[name] };
  for (const h of SPECS[name].extra) v[h.key] = h.value;
  return v;
}

/** A racer (label and colour as in every nabla race plot) built with these hyperparameters. */
export function makeRacer(name: RacerName, v: Values): Racer {
  const { label, color } = racer(name, v.lr);
  return { label, color, make: (params) => SPECS[name].make(params, v) };
}
