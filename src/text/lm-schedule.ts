/**
 * The language models' learning rate over a budget of steps, of seconds, or both (whichever runs out
 * first): a linear warm-up (LinearLR from lr/warmupSteps to lr, one scheduler step per optimizer step),
 * then, for 'cosine', CosineAnnealingLR from lr down to lr/10 (nanoGPT's min_lr) over the rest of the
 * budget, stepped in thousandths of it. A time budget has no step count to anneal over, so the cosine
 * follows the fraction of the budget used, max(steps done / steps, seconds used / seconds): the learning
 * rate reaches its floor when training stops, however fast the machine is.
 */
import { LinearLR } from '../optim/lr-scheduler/linear-lr.js';
import { CosineAnnealingLR } from '../optim/lr-scheduler/cosine-annealing-lr.js';
import type { LRSchedulerStateDict, ScheduledOptimizer } from '../optim/lr-scheduler/lr-scheduler.js';

/** The cosine's resolution: it moves in steps of 1/TICKS of the budget. */
const TICKS = 1000;
/** nanoGPT's: 100 warm-up steps, or a tenth of a shorter step budget. */
export const WARMUP_STEPS = 100;

export interface BudgetScheduleOptions {
  /** Steps in the budget (undefined: only a time budget). */
  steps?: number;
  /** Seconds in the budget (undefined: only a step budget). */
  seconds?: number;
  /** 'cosine' (default) decays after the warm-up; 'constant' holds lr. */
  decay?: 'cosine' | 'constant';
}

export interface BudgetScheduleStateDict {
  warmupSteps: number;
  warmup: LRSchedulerStateDict;
  cosine: LRSchedulerStateDict | null;
  warmupEnd: { step: number; seconds: number };
}

export class BudgetSchedule {
  warmupSteps: number;
  private warmup: LinearLR;
  private cosine: CosineAnnealingLR | null = null;
  private warmupEnd = { step: 0, seconds: 0 };

  constructor(private readonly optimizer: ScheduledOptimizer, private readonly o: BudgetScheduleOptions) {
    if (o.steps === undefined && o.seconds === undefined) throw new Error('BudgetSchedule: give a budget of steps, seconds or both');
    this.warmupSteps = o.steps === undefined ? WARMUP_STEPS : Math.max(1, Math.min(WARMUP_STEPS, Math.floor(o.steps / 10)));
    this.warmup = new LinearLR(optimizer, { startFactor: 1 / this.warmupSteps, endFactor: 1, totalIters: this.warmupSteps });
  }

  /** Call after each optimizer step: `step` steps are done, `seconds` of the budget used. */
  update(step: number, seconds: number): void {
    if (step <= this.warmupSteps) {
      this.warmup.step();
      this.warmupEnd = { step, seconds };
      return;
    }
    if (this.o.decay === 'constant') return;
    const lr = this.optimizer.paramGroups[0].lr;
    this.cosine ??= new CosineAnnealingLR(this.optimizer, { tMax: TICKS, etaMin: lr / 10 });
    const { steps, seconds: limit } = this.o;
    const start = this.warmupEnd;
    const rest = Math.max(
      steps === undefined ? 0 : (step - start.step) / Math.max(1, steps - start.step),
      limit === undefined ? 0 : (seconds - start.seconds) / Math.max(1e-9, limit - start.seconds),
    );
    const tick = Math.min(TICKS, Math.floor(rest * TICKS));
    while (this.cosine.lastEpoch < tick) this.cosine.step();
  }

  stateDict(): BudgetScheduleStateDict {
    return { warmupSteps: this.warmupSteps, warmup: this.warmup.stateDict(), cosine: this.cosine?.stateDict() ?? null, warmupEnd: { ...this.warmupEnd } };
  }

  /**
   * Restores a stateDict(); the groups' lrs are left as they are (the optimizer's own loadStateDict restores
   * them). With a larger budget than the saved run's, the cosine holds its lr until the fraction of the new
   * budget used catches up with it.
   */
  loadStateDict(state: BudgetScheduleStateDict): void {
    const lrs = this.optimizer.paramGroups.map((g) => g.lr);
    this.warmupSteps = state.warmupSteps;
    this.warmup = new LinearLR(this.optimizer, { startFactor: 1 / state.warmupSteps, endFactor: 1, totalIters: state.warmupSteps });
    this.warmup.loadStateDict(state.warmup);
    this.warmupEnd = { ...state.warmupEnd };
    if (state.cosine) {
      this.cosine = new CosineAnnealingLR(this.optimizer, { tMax: TICKS, etaMin: state.cosine.options.etaMin as number });
      this.cosine.loadStateDict(state.cosine);
    }
    this.optimizer.paramGroups.forEach((g, i) => (g.lr = lrs[i])); // the schedulers' constructors stepped them
  }

  get lr(): number {
    return this.optimizer.paramGroups[0].lr;
  }
}
