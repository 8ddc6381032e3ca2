/** ExponentialLR: multiplies the lr by gamma every epoch: lr = baseLr · gamma^epoch. */
import { nonNegative } from '../options.js';
import { LRScheduler, type ScheduledOptimizer } from './lr-scheduler.js';

export interface ExponentialLROptions {
  gamma: number;
}

export class ExponentialLR extends LRScheduler<ExponentialLROptions> {
  constructor(optimizer: ScheduledOptimizer, options: ExponentialLROptions) {
    super('ExponentialLR', optimizer, options, {}, { gamma: nonNegative });
  }

  protected getLr(): number[] {
    return this.optimizer.paramGroups.map((g) => (this.lastEpoch === 0 ? g.lr : g.lr * this.options.gamma));
  }
}
