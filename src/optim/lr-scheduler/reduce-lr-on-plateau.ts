/**
 * ReduceLROnPlateau (torch.optim.lr_scheduler.ReduceLROnPlateau): step(metric) after each
 * evaluation; when the metric has not improved for more than `patience` steps, every group's lr
 * is multiplied by factor (not below minLr), then `cooldown` steps pass before counting again.
 * "Improved" means better than the best so far by threshold (relative or absolute).
 */
import { Tensor } from '../../tensor.js';
import { inRange, integerAtLeast, nonNegative, oneOf, oneOrList, withDefaults } from '../options.js';
import { checkOptimizer, type ScheduledOptimizer } from './lr-scheduler.js';

export interface ReduceLROnPlateauOptions {
  /** 'min': the metric should go down (a loss); 'max': up (an accuracy). */
  mode: 'min' | 'max';
  factor: number;
  /** Steps without improvement tolerated before the lr is reduced. */
  patience: number;
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  /** Steps to wait after a reduction before counting bad steps again. */
  cooldown: number;
  /** A floor for every group, or one per group. */
  minLr: number | number[];
  /** Reductions smaller than eps are skipped. */
  eps: number;
}

export interface ReduceLROnPlateauStateDict {
  options: ReduceLROnPlateauOptions;
  best: number;
  numBadEpochs: number;
  cooldownCounter: number;
  lastEpoch: number;
  lastLr: number[];
}

const NAME = 'ReduceLROnPlateau';
const checks = {
  mode: oneOf('min', 'max'),
  factor: inRange(0, 1, { openHi: true }),
  patience: integerAtLeast(0),
  threshold: nonNegative,
  thresholdMode: oneOf('rel', 'abs'),
  cooldown: integerAtLeast(0),
  minLr: oneOrList(nonNegative),
  eps: nonNegative,
};
const defaults: ReduceLROnPlateauOptions = {
  mode: 'min', factor: 0.1, patience: 10, threshold: 1e-4, thresholdMode: 'rel', cooldown: 0, minLr: 0, eps: 1e-8,
};

export class ReduceLROnPlateau {
  readonly options: ReduceLROnPlateauOptions;
  /** The best metric so far (starts at the worst value for the mode). */
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;
  private lastLr: number[];

  constructor(readonly optimizer: ScheduledOptimizer, options: Partial<ReduceLROnPlateauOptions> = {}) {
    checkOptimizer(NAME, optimizer);
    this.options = ReduceLROnPlateau.resolve(optimizer, options);
    this.best = this.options.mode === 'min' ? Infinity : -Infinity;
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  private static resolve(optimizer: ScheduledOptimizer, options: Partial<ReduceLROnPlateauOptions>): ReduceLROnPlateauOptions {
    const resolved = withDefaults(NAME, options, defaults, checks);
    const groups = optimizer.paramGroups.length;
    if (Array.isArray(resolved.minLr) && resolved.minLr.length !== groups) {
      throw new Error(`${NAME}: minLr must have one value per parameter group (${groups}), got ${resolved.minLr.length}`);
    }
    return resolved;
  }

  private isBetter(current: number): boolean {
    const { mode, threshold, thresholdMode } = this.options;
    const best = this.best;
    if (mode === 'min') return thresholdMode === 'rel' ? current < best * (1 - threshold) : current < best - threshold;
    return thresholdMode === 'rel' ? current > best * (1 + threshold) : current > best + threshold;
  }

  /** Records the monitored value (a number or a one-element tensor such as the loss). */
  step(metric: number | Tensor): void {
    const current = metric instanceof Tensor ? metric.item() : metric;
    if (typeof current !== 'number') {
      throw new Error(`${NAME}: step(metric) needs the monitored value as a number, got ${current === null ? 'null' : typeof current}`);
    }
    this.lastEpoch += 1;
    if (this.isBetter(current)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.options.patience) {
      this.reduceLr();
      this.cooldownCounter = this.options.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduceLr(): void {
    const { factor, minLr, eps } = this.options;
    this.optimizer.paramGroups.forEach((g, i) => {
      const floor = Array.isArray(minLr) ? minLr[i] : minLr;
      const lr = Math.max(g.lr * factor, floor);
      if (g.lr - lr > eps) g.lr = lr;
    });
  }

  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  stateDict(): ReduceLROnPlateauStateDict {
    const { minLr } = this.options;
    return {
      options: { ...this.options, minLr: Array.isArray(minLr) ? minLr.slice() : minLr },
      best: this.best,
      numBadEpochs: this.numBadEpochs,
      cooldownCounter: this.cooldownCounter,
      lastEpoch: this.lastEpoch,
      lastLr: this.lastLr.slice(),
    };
  }

  loadStateDict(dict: ReduceLROnPlateauStateDict): void {
    const counters = dict && typeof dict === 'object' ? [dict.numBadEpochs, dict.cooldownCounter, dict.lastEpoch] : [];
    const groups = this.optimizer.paramGroups.length;
    if (counters.length === 0 || !counters.every((c) => Number.isInteger(c) && c >= 0) || typeof dict.best !== 'number'
      || !Array.isArray(dict.lastLr) || dict.lastLr.length !== groups) {
      throw new Error(`${NAME}.loadStateDict: expected { options, best, numBadEpochs, cooldownCounter, lastEpoch, lastLr } as returned by stateDict(), for ${groups} parameter groups`);
    }
    Object.assign(this.options, ReduceLROnPlateau.resolve(this.optimizer, dict.options));
    this.best = dict.best;
    this.numBadEpochs = dict.numBadEpochs;
    this.cooldownCounter = dict.cooldownCounter;
    this.lastEpoch = dict.lastEpoch;
    this.lastLr = dict.lastLr.slice();
  }
}
