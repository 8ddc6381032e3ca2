/**
 * The scheduler base, torch.optim.lr_scheduler.LRScheduler's contract: built on an optimizer,
 * it remembers each group's starting lr (baseLrs) and takes a first step at epoch 0; each
 * step() advances lastEpoch and writes getLr() into every group's lr. Like PyTorch, getLr() is
 * the chainable (recursive) form: it computes the new lr from the group's current one.
 */
import { Optimizer } from '../optimizer.js';
import { withDefaults, type Checks } from '../options.js';

/** What a scheduler needs of an optimizer: its groups' learning rates. */
export type ScheduledOptimizer = Optimizer<{ lr: number }, object>;

export interface LRSchedulerStateDict {
  lastEpoch: number;
  baseLrs: number[];
  lastLr: number[];
  options: Record<string, unknown>;
}

export function checkOptimizer(owner: string, optimizer: unknown): asserts optimizer is ScheduledOptimizer {
  if (!(optimizer instanceof Optimizer)) {
    throw new Error(`${owner}: optimizer must be an optimizer (e.g. new optim.SGD(...)), got ${optimizer === null ? 'null' : typeof optimizer}`);
  }
}

export abstract class LRScheduler<O extends object> {
  readonly options: O;
  /** Each group's lr when the scheduler was made. */
  baseLrs: number[];
  /** Steps taken; 0 right after construction. */
  lastEpoch = -1;
  private lastLr: number[] = [];

  constructor(
    readonly name: string,
    readonly optimizer: ScheduledOptimizer,
    options: Partial<O>,
    defaults: Partial<O>,
    private readonly checks: Checks<O>,
  ) {
    checkOptimizer(name, optimizer);
    this.options = withDefaults(name, options, defaults, checks);
    this.baseLrs = optimizer.paramGroups.map((g) => g.lr);
    this.step();
  }

  /** The lrs for epoch lastEpoch, from the groups' current lrs. */
  protected abstract getLr(): number[];

  step(): void {
    this.lastEpoch += 1;
    const lrs = this.getLr();
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = lrs[i];
    });
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The lrs the last step() set, one per parameter group. */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  stateDict(): LRSchedulerStateDict {
    return { lastEpoch: this.lastEpoch, baseLrs: this.baseLrs.slice(), lastLr: this.lastLr.slice(), options: { ...(this.options as Record<string, unknown>) } };
  }

  /** Restores a stateDict(); the groups' lrs come back with the optimizer's own loadStateDict. */
  loadStateDict(dict: LRSchedulerStateDict): void {
    const where = `${this.name}.loadStateDict`;
    const groups = this.optimizer.paramGroups.length;
    const lrList = (v: unknown) => Array.isArray(v) && v.length === groups && v.every((x) => typeof x === 'number');
    if (dict === null || typeof dict !== 'object' || !Number.isInteger(dict.lastEpoch) || !lrList(dict.baseLrs) || !lrList(dict.lastLr)) {
      throw new Error(`${where}: expected { lastEpoch, baseLrs, lastLr, options } with one lr per parameter group (${groups})`);
    }
    const options = withDefaults(this.name, dict.options as Partial<O>, {}, this.checks);
    Object.assign(this.options, options);
    this.lastEpoch = dict.lastEpoch;
    this.baseLrs = dict.baseLrs.slice();
    this.lastLr = dict.lastLr.slice();
  }
}
