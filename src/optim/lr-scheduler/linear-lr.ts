/**
 * LinearLR (warm-up): scales the lr by a factor going linearly from startFactor to endFactor
 * over totalIters epochs, then holds it: lr = baseLr·(start + (end − start)·min(epoch, totalIters)/totalIters).
 */
import { inRange, integerAtLeast } from '../options.js';
import { LRScheduler, type ScheduledOptimizer } from './lr-scheduler.js';

export interface LinearLROptions {
  startFactor: number;
  endFactor: number;
  totalIters: number;
}

export class LinearLR extends LRScheduler<LinearLROptions> {
  constructor(optimizer: ScheduledOptimizer, options: Partial<LinearLROptions> = {}) {
    super('LinearLR', optimizer, options, { startFactor: 1 / 3, endFactor: 1, totalIters: 5 }, {
      startFactor: inRange(0, 1, { openLo: true }),
      endFactor: inRange(0, 1),
      totalIters: integerAtLeast(1),
    });
  }

  protected getLr(): number[] {
    const { startFactor: start, endFactor: end, totalIters: total } = this.options;
    const e = this.lastEpoch;
    const groups = this.optimizer.paramGroups;
    if (e === 0) return groups.map((g) => g.lr * start);
    if (e > total) return groups.map((g) => g.lr);
    // The ratio of consecutive factors, so the step composes with the current lr.
    const ratio = 1 + (end - start) / (total * start + (e - 1) * (end - start));
    return groups.map((g) => g.lr * ratio);
  }
}
