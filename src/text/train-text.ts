/**
 * Training and scoring the text models on a SparseDataset, one optimizer step per batch (batch 1 by
 * default: FTRL is an online rule). Progressive validation (McMahan et al. 2013, §3): in the first pass
 * every batch is scored before the model trains on it, so the running log loss and accuracy of those
 * scores measure the model on data it has not seen, without a held-out set. Later epochs' training
 * figures are plain training metrics (the samples were seen before).
 */
import { crossEntropy } from '../ops/cross-entropy.js';
import { softmax } from '../ops/softmax.js';
import { noGrad } from '../autograd/grad-mode.js';
import { randomPermutation, withSeed } from '../data/rng-stream.js';
import { confusionMatrix, predictions } from '../train/metrics.js';
import type { EpochLogs, TrainableOptimizer } from '../train/callbacks/callback.js';
import type { SparseDataset } from './sparse-dataset.js';
import type { TextModel } from './models.js';

export interface ProgressivePoint {
  /** Samples scored so far. */
  samples: number;
  /** Mean log loss (natural log) of the scores so far. */
  logLoss: number;
  accuracy: number;
}

export interface TextFitOptions {
  epochs: number;
  batchSize: number;
  /** Shuffle each epoch from a stream seeded by `seed` + epoch; false: the data set's order (online). */
  shuffle: boolean;
  seed: number;
  validation?: SparseDataset;
  /** A progressive point every this many samples of the first pass (default: every 1%, at least 1). */
  progressEvery?: number;
  onProgress?(point: ProgressivePoint, total: number): void;
  onEpochEnd?(logs: EpochLogs): void;
}

export interface TextHistory {
  epochs: EpochLogs[];
  steps: number;
  progressive: ProgressivePoint[];
  diverged: boolean;
  stopReason?: string;
}

export function fitText(model: TextModel, optimizer: TrainableOptimizer, train: SparseDataset, o: TextFitOptions): TextHistory {
  const history: TextHistory = { epochs: [], steps: 0, progressive: [], diverged: false };
  const every = o.progressEvery ?? Math.max(1, Math.round(train.length / 100));
  let nextPoint = every;
  for (let epoch = 0; epoch < o.epochs && !history.diverged; epoch++) {
    model.train();
    const order = o.shuffle ? withSeed('fitText', o.seed + epoch, () => randomPermutation(train.length)) : Int32Array.from({ length: train.length }, (_, i) => i);
    const started = performance.now();
    const lr = optimizer.paramGroups[0]?.lr ?? NaN;
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    for (let start = 0; start < order.length; start += o.batchSize) {
      const batch = train.batch(order.subarray(start, start + o.batchSize));
      const logits = model.forward(batch.ids, batch.offsets);
      const loss = crossEntropy(logits, batch.y);
      const value = loss.item();
      if (!Number.isFinite(value)) {
        history.diverged = true;
        history.stopReason = `diverged at step ${history.steps + 1} (epoch ${epoch + 1}): loss is ${value}`;
        break;
      }
      const pred = predictions(logits);
      let batchCorrect = 0;
      for (let i = 0; i < pred.length; i++) if (pred[i] === batch.y[i]) batchCorrect++;
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      history.steps++;
      lossSum += value * batch.y.length;
      correct += batchCorrect;
      seen += batch.y.length;
      if (epoch === 0 && (seen >= nextPoint || seen === train.length)) {
        const point = { samples: seen, logLoss: lossSum / seen, accuracy: correct / seen };
        history.progressive.push(point);
        o.onProgress?.(point, train.length);
        while (nextPoint <= seen) nextPoint += every;
      }
    }
    if (history.diverged) break;
    const seconds = (performance.now() - started) / 1000;
    const logs: EpochLogs = { epoch: epoch + 1, loss: lossSum / seen, accuracy: correct / seen, lr, seconds, samplesPerSec: seen / seconds };
    if (o.validation) {
      const v = evaluateText(model, o.validation);
      logs.valLoss = v.loss;
      logs.valAccuracy = v.accuracy;
    }
    history.epochs.push(logs);
    o.onEpochEnd?.(logs);
  }
  return history;
}

export interface TextEvaluation {
  loss: number;
  accuracy: number;
  samples: number;
  confusion: number[][];
}

/** Loss, accuracy and confusion matrix in eval mode, without gradients. */
export function evaluateText(model: TextModel, data: SparseDataset, batchSize = 512): TextEvaluation {
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => {
      let lossSum = 0;
      let correct = 0;
      const confusion = Array.from({ length: model.classes }, () => new Array<number>(model.classes).fill(0));
      for (let start = 0; start < data.length; start += batchSize) {
        const idx = Int32Array.from({ length: Math.min(batchSize, data.length - start) }, (_, i) => start + i);
        const batch = data.batch(idx);
        const logits = model.forward(batch.ids, batch.offsets);
        lossSum += crossEntropy(logits, batch.y).item() * idx.length;
        const pred = predictions(logits);
        const m = confusionMatrix(pred, batch.y, model.classes);
        for (let i = 0; i < model.classes; i++) for (let j = 0; j < model.classes; j++) confusion[i][j] += m[i][j];
        for (let i = 0; i < pred.length; i++) if (pred[i] === batch.y[i]) correct++;
      }
      const n = data.length;
      return { loss: n ? lossSum / n : NaN, accuracy: n ? correct / n : 0, samples: n, confusion };
    });
  } finally {
    model.train(wasTraining);
  }
}

/** Class probabilities of each document (rows of ids), in eval mode. */
export function predictText(model: TextModel, docs: Int32Array[]): Float32Array[] {
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => {
      const offsets = new Int32Array(docs.length);
      let total = 0;
      docs.forEach((d, i) => ((offsets[i] = total), (total += d.length)));
      const ids = new Int32Array(total);
      docs.forEach((d, i) => ids.set(d, offsets[i]));
      const probs = softmax(model.forward(ids, offsets), -1).data;
      return docs.map((_, i) => probs.slice(i * model.classes, (i + 1) * model.classes));
    });
  } finally {
    model.train(wasTraining);
  }
}
