/** Stops training when the monitored quantity has not improved for `patience` epochs (Keras's EarlyStopping). */
import type { Callback, EpochLogs, TrainContext } from './callback.js';
import { checkedByOwner, checkOptionsObject } from '../../optim/options.js';

export type Monitor = 'loss' | 'valLoss' | 'accuracy' | 'valAccuracy';

export interface EarlyStoppingOptions {
  monitor?: Monitor;
  patience?: number;
  minDelta?: number;
}

export class EarlyStopping implements Callback {
  readonly monitor: Monitor;
  readonly patience: number;
  readonly minDelta: number;
  best = NaN;
  bestEpoch = 0;
  private wait = 0;

  constructor(options: EarlyStoppingOptions = {}) {
    checkOptionsObject('EarlyStopping', options, { monitor: checkedByOwner, patience: checkedByOwner, minDelta: checkedByOwner });
    const { monitor = 'valLoss', patience = 3, minDelta = 0 } = options;
    if (!['loss', 'valLoss', 'accuracy', 'valAccuracy'].includes(monitor)) {
      throw new Error(`EarlyStopping: monitor must be loss, valLoss, accuracy or valAccuracy, got ${JSON.stringify(monitor)}`);
    }
    if (!Number.isInteger(patience) || patience < 0) throw new Error(`EarlyStopping: patience must be a non-negative integer, got ${String(patience)}`);
    if (!(typeof minDelta === 'number' && minDelta >= 0)) throw new Error(`EarlyStopping: minDelta must be a non-negative number, got ${String(minDelta)}`);
    this.monitor = monitor;
    this.patience = patience;
    this.minDelta = minDelta;
  }

  onEpochEnd(ctx: TrainContext, logs: EpochLogs): void {
    const value = logs[this.monitor];
    if (value === undefined) {
      throw new Error(`EarlyStopping: '${this.monitor}' is not in the epoch logs (is there a validation set?)`);
    }
    const higherIsBetter = this.monitor.endsWith('ccuracy');
    const improved = Number.isNaN(this.best) || (higherIsBetter ? value > this.best + this.minDelta : value < this.best - this.minDelta);
    if (improved) {
      this.best = value;
      this.bestEpoch = logs.epoch;
      this.wait = 0;
      return;
    }
    this.wait++;
    if (this.wait > this.patience) {
      ctx.stopTraining = true;
      ctx.stopReason = `early stopping: ${this.monitor} did not improve for ${this.wait} epochs (best ${this.best.toFixed(4)} at epoch ${this.bestEpoch})`;
    }
  }
}
