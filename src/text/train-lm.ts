/**
 * Training and scoring a character language model: a model that maps ids [B, T] (integers stored as
 * floats, T ≤ context) to next-character logits [B, T, V]. Each step takes `batchSize` windows of
 * context + 1 characters at random places of the training text (a seeded stream of their own), predicts
 * every position's next character, and minimizes the mean cross-entropy over all B·T positions;
 * gradients are clipped to a total norm of `clipNorm` before the optimizer's step. An epoch, for the
 * printouts, is the steps that show the model as many characters as the text holds: chars / (B·T).
 */
import { Tensor } from '../tensor.js';
import type { Module } from '../nn/module.js';
import { crossEntropy } from '../ops/cross-entropy.js';
import { noGrad } from '../autograd/grad-mode.js';
import { RngStream } from '../data/rng-stream.js';
import { randomInt } from '../random.js';
import { clipGradNorm } from '../optim/clip-grad.js';
import { correctCount } from '../train/metrics.js';
import { stepRecycler } from '../recycling-step.js';
import type { EpochLogs, TrainableOptimizer } from '../train/callbacks/callback.js';
import type { BudgetSchedule } from './lm-schedule.js';

export interface CharBatch {
  /** [B, T] ids as floats. */
  x: Tensor;
  /** The B·T next characters, row by row. */
  y: Int32Array;
}

/** `batchSize` windows at random starts (from the current generator): inputs ids[s, s+T), targets ids[s+1, s+T+1). */
export function randomWindows(ids: Int32Array, context: number, batchSize: number): CharBatch {
  const starts = ids.length - context;
  if (starts < 1) throw new Error(`randomWindows: the text has ${ids.length} characters, fewer than a window of context + 1 = ${context + 1}`);
  const x = new Float32Array(batchSize * context);
  const y = new Int32Array(batchSize * context);
  for (let b = 0; b < batchSize; b++) {
    const s = randomInt(starts);
    for (let t = 0; t < context; t++) {
      x[b * context + t] = ids[s + t];
      y[b * context + t] = ids[s + t + 1];
    }
  }
  return { x: new Tensor(x, [batchSize, context]), y };
}

/** The mean cross-entropy (nats) over every position of a batch, and the logits as [B·T, V]. */
function batchLoss(model: Module, batch: CharBatch): { loss: Tensor; logits: Tensor } {
  const out = model.forward(batch.x);
  const vocab = out.shape[out.shape.length - 1];
  const logits = out.reshape([batch.y.length, vocab]);
  return { loss: crossEntropy(logits, batch.y), logits };
}

export interface CharFitOptions {
  context: number;
  batchSize: number;
  /** Seeds the stream the windows are drawn from. */
  seed: number;
  /** Steps in one epoch (the printouts' unit). */
  stepsPerEpoch: number;
  /** Stop after this many steps in all (undefined: only the time budget). */
  steps?: number;
  /** Stop once training has taken this many seconds of wall clock (epoch-end work included). */
  seconds?: number;
  /** Gradient clipping: the total norm is scaled down to at most this (default 1). */
  clipNorm?: number;
  schedule: BudgetSchedule;
  /** The stream the windows are drawn from (default: a new one seeded `seed`); a resumed run passes the saved one. */
  windows?: RngStream;
  /** Where a resumed run continues from: its steps, seconds and epochs so far (they count in the budget). */
  start?: { steps: number; seconds: number; epochs: EpochLogs[] };
  /** After each epoch, and after the last (partial) one; its time counts in the budget. */
  onEpochEnd?(logs: EpochLogs, history: CharHistory): void;
  /** After each step, with the step count and the seconds used. */
  onStep?(step: number, seconds: number, loss: number): void;
  /**
   * Reuse the large arrays one step made in the next (default false; recycling-step.ts): only for a model
   * that keeps no tensor of a step past its end, as the library's CharGPT, CharRNN and Embedding (`nabla train`).
   */
  recycleArrays?: boolean;
}

export interface CharHistory {
  epochs: EpochLogs[];
  steps: number;
  /** Seconds of training, epoch-end work included. */
  seconds: number;
  diverged: boolean;
  stopReason?: string;
}

export function fitCharModel(model: Module, optimizer: TrainableOptimizer, trainIds: Int32Array, o: CharFitOptions): CharHistory {
  const start = o.start ?? { steps: 0, seconds: 0, epochs: [] };
  const history: CharHistory = { epochs: start.epochs.slice(), steps: start.steps, seconds: start.seconds, diverged: false };
  const windows = o.windows ?? new RngStream(o.seed, 'fitCharModel');
  const params = model.parameters();
  const recycler = stepRecycler(model, o.recycleArrays === true);
  const started = performance.now();
  const elapsed = () => start.seconds + (performance.now() - started) / 1000;
  const outOfBudget = () => (o.steps !== undefined && history.steps >= o.steps) || (o.seconds !== undefined && elapsed() >= o.seconds);
  // Epochs end at multiples of stepsPerEpoch: a resumed run first finishes the epoch its budget cut short.
  const positionsPerStep = o.batchSize * o.context;
  let carried = history.steps % o.stepsPerEpoch !== 0 ? history.epochs.pop() ?? null : null;
  model.train();
  while (!history.diverged && !outOfBudget()) {
    const epochStart = performance.now();
    let lossSum = 0;
    let correct = 0;
    let positions = 0;
    do {
      const batch = windows.run(() => randomWindows(trainIds, o.context, o.batchSize));
      let stepCorrect = 0;
      const step = () => {
        const { loss, logits } = batchLoss(model, batch);
        const v = loss.item();
        if (!Number.isFinite(v)) return v;
        stepCorrect = correctCount(logits, batch.y);
        optimizer.zeroGrad();
        loss.backward();
        clipGradNorm(params, o.clipNorm ?? 1);
        optimizer.step();
        return v;
      };
      const value = recycler.run(step);
      if (!Number.isFinite(value)) {
        history.diverged = true;
        history.stopReason = `diverged at step ${history.steps + 1}: loss is ${value}`;
        break;
      }
      correct += stepCorrect;
      history.steps++;
      lossSum += value * batch.y.length;
      positions += batch.y.length;
      o.schedule.update(history.steps, elapsed());
      o.onStep?.(history.steps, elapsed(), value);
    } while (history.steps % o.stepsPerEpoch !== 0 && !outOfBudget());
    if (history.diverged) break;
    let seconds = (performance.now() - epochStart) / 1000;
    if (carried) {
      const before = ((history.steps - 1) % o.stepsPerEpoch + 1 - positions / positionsPerStep) * positionsPerStep;
      lossSum += carried.loss * before;
      correct += carried.accuracy * before;
      positions += before;
      seconds += carried.seconds;
      carried = null;
    }
    const logs: EpochLogs = {
      epoch: history.epochs.length + 1, loss: lossSum / positions, accuracy: correct / positions,
      lr: o.schedule.lr, seconds, samplesPerSec: positions / seconds,
    };
    history.epochs.push(logs);
    history.seconds = elapsed();
    o.onEpochEnd?.(logs, history);
    model.train();
  }
  recycler.release();
  if (carried) history.epochs.push(carried); // the budget was already spent: nothing to finish
  const stepsLeft = o.steps === undefined || history.steps < o.steps;
  if (!history.diverged && o.seconds !== undefined && stepsLeft) history.stopReason = `time limit (${o.seconds} s)`;
  history.seconds = elapsed();
  return history;
}

export interface CharEvaluation {
  /** Mean cross-entropy per predicted character (nats). */
  loss: number;
  /** loss / ln 2. */
  bitsPerChar: number;
  /** The fraction of characters the argmax predicted. */
  accuracy: number;
  /** Characters predicted: every character of the text but the first. */
  characters: number;
}

/**
 * Scores a text in non-overlapping windows of `context` characters (the last one shorter), each position
 * predicting the next character from what precedes it in its window; eval mode, no gradients. With
 * `recycleArrays` (as fitCharModel's), each batch's arrays are reused for the next.
 */
export function evaluateCharModel(model: Module, ids: Int32Array, context: number, batchSize = 64, options: { recycleArrays?: boolean } = {}): CharEvaluation {
  const predicted = ids.length - 1;
  if (predicted < 1) throw new Error(`evaluateCharModel: the text has ${ids.length} characters; at least 2 are needed`);
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => {
      let lossSum = 0;
      let correct = 0;
      const full = Math.floor(predicted / context);
      const scoreWindows = (first: number, count: number, length: number) => {
        const x = new Float32Array(count * length);
        const y = new Int32Array(count * length);
        for (let w = 0; w < count; w++) {
          const s = (first + w) * context;
          for (let t = 0; t < length; t++) {
            x[w * length + t] = ids[s + t];
            y[w * length + t] = ids[s + t + 1];
          }
        }
        const batch = { x: new Tensor(x, [count, length]), y };
        const { loss, logits } = batchLoss(model, batch);
        lossSum += loss.item() * y.length;
        correct += correctCount(logits, y);
      };
      const recycler = stepRecycler(model, options.recycleArrays === true);
      for (let w = 0; w < full; w += batchSize) recycler.run(() => scoreWindows(w, Math.min(batchSize, full - w), context));
      recycler.release();
      const rest = predicted - full * context;
      if (rest > 0) scoreWindows(full, 1, rest);
      const loss = lossSum / predicted;
      return { loss, bitsPerChar: loss / Math.LN2, accuracy: correct / predicted, characters: predicted };
    });
  } finally {
    model.train(wasTraining);
  }
}
