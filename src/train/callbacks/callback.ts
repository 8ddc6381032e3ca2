/** What fit() tells callbacks, and when (Keras's callback points, plus the moment gradients exist). */
import type { Tensor } from '../../tensor.js';
import type { Module } from '../../nn/module.js';

/** The optimizer and scheduler as fit() uses them (any torch-style optimizer and scheduler fit). */
export interface TrainableOptimizer {
  step(): void;
  zeroGrad(): void;
  paramGroups: { lr: number }[];
  stateDict(): unknown;
  loadStateDict(state: never): void;
  /** Whether the last step left every value of param finite, when its update pass checked (Optimizer.checkedFinite). */
  checkedFinite?(param: Tensor): boolean | undefined;
}

export interface Scheduler {
  /** Called once per epoch; ReduceLROnPlateau receives the monitored validation (or training) loss. */
  step(metric?: number): void;
  stateDict(): unknown;
  loadStateDict(state: never): void;
}

export interface EpochLogs {
  /** 1-based epoch number. */
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  /** The learning rate of the first parameter group during this epoch. */
  lr: number;
  seconds: number;
  samplesPerSec: number;
}

export interface BatchLogs {
  /** 0-based batch index within the epoch. */
  batch: number;
  loss: number;
  accuracy: number;
  size: number;
}

export interface TrainContext {
  model: Module;
  optimizer: TrainableOptimizer;
  scheduler?: Scheduler;
  /** 0-based index of the current epoch. */
  epoch: number;
  epochs: number;
  /** Optimizer steps taken so far (over all epochs). */
  step: number;
  batchesPerEpoch: number;
  /** The current batch (inputs and labels), while a batch is in flight. */
  batch?: { x: Tensor; y: Int32Array };
  history: EpochLogs[];
  /** Set by a callback to stop training after the current epoch. */
  stopTraining: boolean;
  /** Why training stopped early, if it did. */
  stopReason?: string;
}

export interface Callback {
  onTrainBegin?(ctx: TrainContext): void;
  onEpochBegin?(ctx: TrainContext): void;
  /** After backward, before gradient clipping and the optimizer step: gradients are in p.grad. */
  onAfterBackward?(ctx: TrainContext): void;
  /** After the optimizer step. */
  onBatchEnd?(ctx: TrainContext, logs: BatchLogs): void;
  onEpochEnd?(ctx: TrainContext, logs: EpochLogs): void;
  onTrainEnd?(ctx: TrainContext): void;
}
