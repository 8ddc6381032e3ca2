/**
 * CosineAnnealingLR: lr follows half a cosine from baseLr down to etaMin over tMax epochs,
 * lr = etaMin + (baseLr − etaMin)·(1 + cos(π·epoch/tMax))/2, then back up (period 2·tMax).
 * Computed, as in PyTorch, recursively from the current lr, which equals the closed form as long
 * as nothing else changes the lr.
 */
import { integerAtLeast, nonNegative } from '../options.js';
import { LRScheduler, type ScheduledOptimizer } from './lr-scheduler.js';

export interface CosineAnnealingLROptions {
  /** Epochs from baseLr down to etaMin. */
  tMax: number;
  etaMin: number;
}

export class CosineAnnealingLR extends LRScheduler<CosineAnnealingLROptions> {
  constructor(optimizer: ScheduledOptimizer, options: Partial<CosineAnnealingLROptions> & { tMax: number }) {
    super('CosineAnnealingLR', optimizer, options, { etaMin: 0 }, { tMax: integerAtLeast(1), etaMin: nonNegative });
  }

  protected getLr(): number[] {
    const { tMax, etaMin } = this.options;
    const e = this.lastEpoch;
    const groups = this.optimizer.paramGroups;
    if (e === 0) return groups.map((g) => g.lr);
    // At the bottom of the cosine the ratio below would divide by zero: step up from etaMin instead.
    if ((e - 1 - tMax) % (2 * tMax) === 0) {
      return groups.map((g, i) => g.lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2);
    }
    const ratio = (1 + Math.cos((Math.PI * e) / tMax)) / (1 + Math.cos((Math.PI * (e - 1)) / tMax));
    return groups.map((g) => ratio * (g.lr - etaMin) + etaMin);
  }
}
