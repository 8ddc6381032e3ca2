/**
 * The optimizer race: several optimizers start at the same point of a 2-D loss surface and take
 * the same number of steps. Each one is the library's own optimizer class driving a 2-element
 * parameter tensor through the usual loop (forward f, backward, step), so what the race shows
 * is what training does. Pure TypeScript: the web lab runs it in the browser.
 */
import { optim, type Tensor } from '../index.js';
import { outsideWindow, RaceRunner } from './race-runner.js';
import type { Point, Surface } from './surfaces/index.js';
import { PALETTE } from './svg.js';

/** The lecture's seven (GD, Momentum, Adagrad, RMSProp, Adam, Adadelta, FTRL) plus Nesterov and AdamW. */
export const RACER_NAMES = ['gd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'adamw', 'adadelta', 'ftrl'] as const;
export type RacerName = (typeof RACER_NAMES)[number];

/** Anything with step() and zeroGrad(): one of optim's classes. */
export interface StepOptimizer {
  step(): unknown;
  zeroGrad(): void;
}

export interface Racer {
  label: string;
  /** Builds the optimizer for the race's parameter tensor (a list holding the one 2-element tensor). */
  make: (params: Tensor[]) => StepOptimizer;
  color?: string;
}

const LABELS: Record<RacerName, string> = {
  gd: 'GD', momentum: 'Momentum', nesterov: 'Nesterov', adagrad: 'Adagrad', rmsprop: 'RMSProp',
  adam: 'Adam', adamw: 'AdamW', adadelta: 'Adadelta', ftrl: 'FTRL',
};

// Dark, saturated colours that stay apart from each other and from the light-blue contour map.
const RACER_COLORS: Record<RacerName, string> = {
  gd: '#222222', momentum: '#e69f00', nesterov: '#d55e00', adagrad: '#009e73', rmsprop: '#0072b2',
  adam: '#e0115f', adamw: '#9b59b6', adadelta: '#8c564b', ftrl: '#7f7f00',
};
/** For racers without a colour of their own. */
const COLORS = PALETTE.filter((c) => c !== '#edc948');

const MAKERS: Record<RacerName, (params: Tensor[], lr: number) => StepOptimizer> = {
  gd: (p, lr) => new optim.SGD(p, { lr }),
  momentum: (p, lr) => new optim.SGD(p, { lr, momentum: 0.9 }),
  nesterov: (p, lr) => new optim.SGD(p, { lr, momentum: 0.9, nesterov: true }),
  adagrad: (p, lr) => new optim.Adagrad(p, { lr }),
  rmsprop: (p, lr) => new optim.RMSprop(p, { lr }),
  adam: (p, lr) => new optim.Adam(p, { lr }),
  adamw: (p, lr) => new optim.AdamW(p, { lr, weightDecay: 0.1 }),
  adadelta: (p, lr) => new optim.Adadelta(p, { lr }),
  ftrl: (p, lr) => new optim.FTRL(p, { lr }),
};

/** One of the standard racers with a given learning rate (its colour fixed by its name, so plots agree). */
export function racer(name: RacerName, lr: number): Racer {
  if (!RACER_NAMES.includes(name)) throw new Error(`racer: unknown optimizer '${String(name)}'; expected one of ${RACER_NAMES.join(', ')}`);
  return { label: LABELS[name], make: (params) => MAKERS[name](params, lr), color: RACER_COLORS[name] };
}

/** The standard racers (all of them by default) with the surface's tuned learning rates times lrScale. */
export function defaultRacers(surface: Surface, names: readonly RacerName[] = RACER_NAMES, lrScale = 1): Racer[] {
  if (!(Number.isFinite(lrScale) && lrScale > 0)) throw new Error(`defaultRacers: lrScale must be a finite number > 0, got ${lrScale}`);
  return names.map((name) => racer(name, surface.learningRates[name] * lrScale));
}

export interface Divergence {
  /** The step whose update produced the bad point (the trajectory ends before it). */
  step: number;
  reason: 'non-finite' | 'left the domain';
}

export interface Trajectory {
  label: string;
  color: string;
  /** The parameters before each step: points[0] is the start, points[t] after t steps. */
  points: Point[];
  /** f at each point, as the optimizer computed it (float32). */
  losses: number[];
  /** Set when the run blew up; the points stop at the last good one. */
  diverged: Divergence | null;
  /** f at the last point (float64). */
  finalLoss: number;
  /** Euclidean distance from the last point to the surface's minimum. */
  distance: number;
}

export interface RaceOptions {
  surface: Surface;
  optimizers: Racer[];
  /** Default: the surface's own step count. */
  steps?: number;
  /** Default: the surface's start. */
  start?: Point;
}

export interface RaceResult {
  surface: Surface;
  steps: number;
  start: Point;
  trajectories: Trajectory[];
}

function run(surface: Surface, entry: Racer, index: number, steps: number, start: Point): Trajectory {
  const runner = new RaceRunner(surface, entry, start, COLORS[index % COLORS.length]);
  while (runner.steps < steps && runner.step());
  return runner.trajectory;
}

export function race({ surface, optimizers, steps = surface.steps, start = surface.start }: RaceOptions): RaceResult {
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`race: steps must be an integer ≥ 1, got ${steps}`);
  if (optimizers.length === 0) throw new Error('race: optimizers must hold at least one racer, got none');
  if (start.length !== 2 || !start.every(Number.isFinite) || outsideWindow(surface, start)) {
    throw new Error(`race: start must be a point of the surface's window, got [${start.join(', ')}]`);
  }
  const trajectories = optimizers.map((entry, i) => run(surface, entry, i, steps, start));
  return { surface, steps, start, trajectories };
}
