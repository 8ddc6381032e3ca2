/** MultiStepLR: multiplies the lr by gamma at each milestone epoch: lr = baseLr · gamma^(milestones ≤ epoch). */
import { integerAtLeast, listOf, nonNegative } from '../options.js';
import { LRScheduler, type ScheduledOptimizer } from './lr-scheduler.js';

export interface MultiStepLROptions {
  /** Epochs at which to decay; a milestone listed twice decays twice (as in PyTorch). */
  milestones: number[];
  gamma: number;
}

export class MultiStepLR extends LRScheduler<MultiStepLROptions> {
  constructor(optimizer: ScheduledOptimizer, options: Partial<MultiStepLROptions> & { milestones: number[] }) {
    super('MultiStepLR', optimizer, options, { gamma: 0.1 }, { milestones: listOf(integerAtLeast(0)), gamma: nonNegative });
  }

  protected getLr(): number[] {
    const hits = this.options.milestones.filter((m) => m === this.lastEpoch).length;
    return this.optimizer.paramGroups.map((g) => (hits === 0 ? g.lr : g.lr * this.options.gamma ** hits));
  }
}
