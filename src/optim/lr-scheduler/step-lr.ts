/** StepLR: multiplies the lr by gamma every stepSize epochs: lr = baseLr · gamma^⌊epoch / stepSize⌋. */
import { integerAtLeast, nonNegative } from '../options.js';
import { LRScheduler, type ScheduledOptimizer } from './lr-scheduler.js';

export interface StepLROptions {
  stepSize: number;
  gamma: number;
}

export class StepLR extends LRScheduler<StepLROptions> {
  constructor(optimizer: ScheduledOptimizer, options: Partial<StepLROptions> & { stepSize: number }) {
    super('StepLR', optimizer, options, { gamma: 0.1 }, { stepSize: integerAtLeast(1), gamma: nonNegative });
  }

  protected getLr(): number[] {
    const { stepSize, gamma } = this.options;
    const decay = this.lastEpoch !== 0 && this.lastEpoch % stepSize === 0;
    return this.optimizer.paramGroups.map((g) => (decay ? g.lr * gamma : g.lr));
  }
}
