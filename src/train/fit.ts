/**
 * fit(): the training loop. Each batch: forward pass for the loss, backward pass for every
 * gradient, then the update (W := W − α·dL/dW, in the optimizer's form). Each epoch ends with
 * validation in eval mode without gradients, the scheduler's step, and the callbacks.
 */
import { Tensor } from '../tensor.js';
import type { Module } from '../nn/module.js';
import { DataLoader } from '../data/data-loader.js';
import { TensorDataset, type Dataset, type Sample } from '../data/dataset.js';
import { trainValidationSplit } from '../data/split.js';
import { clipGradNorm } from '../optim/clip-grad.js';
import { checkKnownOptions } from '../optim/options.js';
import { AnomalyGuard } from './anomaly-guard.js';
import { stepRecycler } from '../recycling-step.js';
import { correctCount } from './metrics.js';
import { evaluate } from './evaluate.js';
import { resolveLoss, type LossOption } from './loss.js';
import type { BatchLogs, Callback, EpochLogs, Scheduler, TrainableOptimizer, TrainContext } from './callbacks/callback.js';

export type FitData = Dataset<Sample> | { x: Tensor; y: Int32Array | ArrayLike<number> | Tensor };

export interface FitOptions {
  epochs: number;
  batchSize?: number;
  /** Shuffle the training set each epoch (default true), from the global generator. */
  shuffle?: boolean;
  /** A validation set, or the fraction of the training data to hold out for validation. */
  validation?: FitData | number;
  loss?: LossOption;
  callbacks?: Callback[];
  /** Stepped once per epoch (ReduceLROnPlateau receives the validation loss, or the training loss). */
  scheduler?: Scheduler;
  /** Clip the gradients' global L2 norm to this before each step. */
  clipGradNorm?: number;
  /** Epochs already done (when resuming); training runs epochs initialEpoch+1 … epochs. */
  initialEpoch?: number;
  /** Optimizer steps already taken (when resuming). */
  initialStep?: number;
  /** Logs of the epochs already done (when resuming). */
  history?: EpochLogs[];
  /**
   * Stop at the first NaN/Infinity in the loss, a gradient or a parameter after the update (default
   * false), naming the op that made it: the step is replayed under op-level anomaly detection (AnomalyGuard).
   */
  detectAnomaly?: boolean;
  /**
   * Reuse the large arrays one step's ops made in the next step (default false): fewer garbage collections
   * (src/recycling-step.ts). Only for a step that keeps nothing it made: the model's forward, the loss and the
   * callbacks must not hold on to a tensor of the step past its end (the parameters, their gradients and the
   * buffers are kept whatever happens). `nabla train` sets it for its own models and callbacks.
   */
  recycleArrays?: boolean;
}

const FIT_OPTIONS: Record<keyof FitOptions, true> = {
  epochs: true, batchSize: true, shuffle: true, validation: true, loss: true, callbacks: true, scheduler: true,
  clipGradNorm: true, initialEpoch: true, initialStep: true, history: true, detectAnomaly: true, recycleArrays: true,
};

export interface History {
  epochs: EpochLogs[];
  steps: number;
  /** Set when training stopped before the last epoch (early stopping, divergence). */
  stopReason?: string;
  /** True when a non-finite loss stopped training. */
  diverged: boolean;
}

function asDataset(data: FitData, what: string): Dataset<Sample> {
  if (data && typeof (data as Dataset<Sample>).get === 'function') return data as Dataset<Sample>;
  const { x, y } = data as { x: Tensor; y: Int32Array };
  if (!(x instanceof Tensor)) throw new Error(`fit: ${what} must be a Dataset or { x: Tensor, y: labels }`);
  return new TensorDataset(x, y);
}

function checkOptions(options: FitOptions): void {
  if (options === null || typeof options !== 'object') throw new Error(`fit: options must be an object, got ${String(options)}`);
  checkKnownOptions('fit', options, FIT_OPTIONS);
  for (const name of ['shuffle', 'detectAnomaly', 'recycleArrays'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'boolean') throw new Error(`fit: ${name} must be true or false, got ${String(options[name])}`);
  }
  const { epochs, batchSize = 32, clipGradNorm: clip } = options;
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`fit: epochs must be a positive integer, got ${String(epochs)}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`fit: batchSize must be a positive integer, got ${String(batchSize)}`);
  if (clip !== undefined && !(typeof clip === 'number' && clip > 0)) throw new Error(`fit: clipGradNorm must be a positive number, got ${String(clip)}`);
  const start = options.initialEpoch ?? 0;
  if (!Number.isInteger(start) || start < 0 || start > epochs) throw new Error(`fit: initialEpoch must be an integer in [0, ${epochs}], got ${String(start)}`);
}

export function fit(model: Module, optimizer: TrainableOptimizer, data: FitData, options: FitOptions): History {
  checkOptions(options);
  const { epochs, batchSize = 32, shuffle = true, callbacks = [], scheduler } = options;
  const lossFn = resolveLoss(options.loss);
  let train = asDataset(data, 'data');
  let validation: Dataset<Sample> | undefined;
  if (typeof options.validation === 'number') {
    ({ train, validation } = trainValidationSplit(train, options.validation));
  } else if (options.validation !== undefined) validation = asDataset(options.validation, 'validation');

  const loader = new DataLoader(train, { batchSize, shuffle });
  const params = model.parameters();
  const ctx: TrainContext = {
    model, optimizer, scheduler, epoch: options.initialEpoch ?? 0, epochs, step: options.initialStep ?? 0,
    batchesPerEpoch: loader.length, history: (options.history ?? []).slice(), stopTraining: false,
  };
  const history: History = { epochs: ctx.history, steps: ctx.step, diverged: false };
  let lastFiniteLoss = NaN;
  const guard = options.detectAnomaly ? new AnomalyGuard(model, optimizer) : null;
  const recycler = stepRecycler(model, options.recycleArrays === true);
  /** The step's passes again under op-level detection (the guard): the message naming the op that made a NaN/Infinity. */
  const replay = (x: Tensor, y: Int32Array, withBackward: boolean): string | null => guard?.replay(() => {
    const loss = lossFn(model.forward(x), y);
    if (!withBackward) return;
    optimizer.zeroGrad();
    loss.backward();
  }) ?? null;
  const emit = <K extends keyof Callback>(name: K, ...args: unknown[]) => {
    for (const cb of callbacks) (cb[name] as ((...a: unknown[]) => void) | undefined)?.call(cb, ...args);
  };

  emit('onTrainBegin', ctx);
  for (let epoch = ctx.epoch; epoch < epochs && !ctx.stopTraining; epoch++) {
    ctx.epoch = epoch;
    model.train();
    emit('onEpochBegin', ctx);
    const started = performance.now();
    const lr = optimizer.paramGroups[0]?.lr ?? NaN;
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    let batch = 0;
    const diverge = (why: string) => {
      history.diverged = true;
      ctx.stopTraining = true;
      ctx.stopReason = `diverged at step ${ctx.step + 1} (epoch ${epoch + 1}, batch ${batch + 1}): ${why}; last finite loss ${lastFiniteLoss}`;
    };
    /** One batch's step; false when training diverged. */
    const step = (x: Tensor, y: Int32Array): boolean => {
      guard?.mark();
      const out = model.forward(x);
      const loss = lossFn(out, y);
      const lossValue = loss.item();
      if (!Number.isFinite(lossValue)) {
        diverge(replay(x, y, false) ?? `loss is ${lossValue}`);
        return false;
      }
      lastFiniteLoss = lossValue;
      optimizer.zeroGrad();
      loss.backward();
      const brokenGradient = guard?.brokenGradient();
      if (brokenGradient) {
        diverge(replay(x, y, true) ?? `anomaly: the gradient of parameter ${brokenGradient} is non-finite (a replay under op-level detection found no op that made it)`);
        return false;
      }
      emit('onAfterBackward', ctx);
      if (options.clipGradNorm !== undefined) clipGradNorm(params, options.clipGradNorm);
      optimizer.step();
      // Optimizer updates are not ops: check their result here, so no checkpoint holds a broken parameter.
      const broken = guard?.brokenParameter();
      if (broken) {
        diverge(`anomaly: the optimizer step made parameter ${broken} non-finite`);
        return false;
      }
      ctx.step++;
      const batchCorrect = out.ndim === 2 && out.shape[0] === y.length ? correctCount(out, y) : 0;
      lossSum += lossValue * y.length;
      correct += batchCorrect;
      seen += y.length;
      const logs: BatchLogs = { batch, loss: lossValue, accuracy: batchCorrect / y.length, size: y.length };
      emit('onBatchEnd', ctx, logs);
      batch++;
      return true;
    };
    for (const { x, y } of loader) {
      ctx.batch = { x, y };
      if (!recycler.run(() => step(x, y))) break;
    }
    recycler.release();
    ctx.batch = undefined;
    if (history.diverged) break;
    const seconds = (performance.now() - started) / 1000;
    const logs: EpochLogs = {
      epoch: epoch + 1, loss: lossSum / seen, accuracy: correct / seen, lr, seconds, samplesPerSec: seen / seconds,
    };
    if (validation) {
      const v = evaluate(model, validation, { loss: lossFn, batchSize: Math.max(batchSize, 256) });
      logs.valLoss = v.loss;
      logs.valAccuracy = v.accuracy;
    }
    scheduler?.step(logs.valLoss ?? logs.loss);
    ctx.history.push(logs);
    emit('onEpochEnd', ctx, logs);
  }
  history.steps = ctx.step;
  history.stopReason = ctx.stopReason;
  emit('onTrainEnd', ctx);
  return history;
}
