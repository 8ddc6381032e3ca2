/**
 * Saves everything needed to resume at the end of every epoch, atomically, to one file: model
 * and optimizer state dicts, the scheduler's, the random generator's state, epoch and step,
 * the history so far, and whatever `extra()` adds (the run's options, diagnostics).
 */
import { getRngState } from '../../random.js';
import { saveCheckpoint } from '../checkpoint.js';
import type { Callback, EpochLogs, TrainContext } from './callback.js';
import { callable, checkedByOwner, checkOptionsObject } from '../../optim/options.js';

export interface ModelCheckpointOptions {
  path: string;
  extra?: () => Record<string, unknown>;
}

export function trainingState(ctx: TrainContext): Record<string, unknown> {
  return {
    model: ctx.model.stateDict(),
    optimizer: ctx.optimizer.stateDict(),
    scheduler: ctx.scheduler?.stateDict() ?? null,
    rng: getRngState(),
    epoch: ctx.epoch + 1,
    step: ctx.step,
    history: ctx.history,
  };
}

export class ModelCheckpoint implements Callback {
  constructor(readonly options: ModelCheckpointOptions) {
    checkOptionsObject('ModelCheckpoint', options, { path: checkedByOwner, extra: callable });
    if (typeof options?.path !== 'string' || options.path === '') throw new Error('ModelCheckpoint: path must be a non-empty string');
  }

  onEpochEnd(ctx: TrainContext, _logs: EpochLogs): void {
    saveCheckpoint(this.options.path, { ...trainingState(ctx), ...(this.options.extra?.() ?? {}) });
  }
}
