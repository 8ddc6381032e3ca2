/** Evaluation: the model in eval mode, without gradients, over a whole dataset in batches. */
import type { Module } from '../nn/module.js';
import { noGrad } from '../autograd/grad-mode.js';
import { DataLoader } from '../data/data-loader.js';
import type { Dataset, Sample } from '../data/dataset.js';
import { confusionMatrix, predictions } from './metrics.js';
import { resolveLoss, type LossOption } from './loss.js';

export interface EvaluateOptions {
  batchSize?: number;
  loss?: LossOption;
  /** Also return the confusion matrix (needs the number of classes: the logits' width). */
  confusion?: boolean;
}

export interface Evaluation {
  loss: number;
  accuracy: number;
  samples: number;
  confusion?: number[][];
}

export function evaluate(model: Module, dataset: Dataset<Sample>, options: EvaluateOptions = {}): Evaluation {
  const { batchSize = 512, confusion = false } = options;
  const lossFn = resolveLoss(options.loss);
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => {
      let lossSum = 0;
      let correct = 0;
      let samples = 0;
      let matrix: number[][] | undefined;
      for (const { x, y } of new DataLoader(dataset, { batchSize })) {
        const out = model.forward(x);
        lossSum += lossFn(out, y).item() * y.length;
        const pred = predictions(out);
        for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) correct++;
        if (confusion) {
          const m = confusionMatrix(pred, y, out.shape[1]);
          matrix = matrix ? matrix.map((row, i) => row.map((v, j) => v + m[i][j])) : m;
        }
        samples += y.length;
      }
      return { loss: samples ? lossSum / samples : NaN, accuracy: samples ? correct / samples : 0, samples, confusion: matrix };
    });
  } finally {
    model.train(wasTraining);
  }
}
