/**
 * The labelled data `nabla evaluate` scores a saved model on: a named data set's test or training
 * split, prepared as the model was trained (the run's own seed and sample count, so the 2-D sets
 * and a CSV's split come out the same) and standardized as the model's preprocessing says.
 */
import { UsageError } from './command.js';
import type { Run } from './run-dir.js';
import { isKnownDataset, loadTrainingData, DATASET_NAMES } from '../train/datasets.js';
import { Tensor } from '../tensor.js';
import { formatShape, sameShape } from '../shape.js';
import type { Batch, GatherableDataset, Sample } from '../data/dataset.js';
import type { Preprocess } from '../serialize/preprocess.js';

export interface EvaluationData {
  dataset: string;
  split: 'train' | 'test';
  data: GatherableDataset;
  classes: string[];
}

export function evaluationData(run: Run, datasetArg: string | undefined, split: 'train' | 'test'): EvaluationData {
  const dataset = datasetArg ?? run.options?.dataset;
  if (dataset === undefined) throw new UsageError(`${run.dir} records no data set (no summary.json or checkpoint): pass --dataset`);
  if (!isKnownDataset(dataset)) throw new UsageError(`--dataset must be one of ${DATASET_NAMES.join(', ')}, got '${dataset}'`);
  const own = dataset === run.options?.dataset;
  const expected = run.preprocess?.inputShape;
  let loaded;
  try {
    loaded = loadTrainingData({ dataset, images: expected?.length === 3, samples: own ? run.options?.samples : undefined, seed: own ? run.options?.seed ?? 0 : 0 });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (expected && !sameShape(loaded.sampleShape, expected)) {
    throw new UsageError(`--dataset ${dataset} has samples of shape ${formatShape(loaded.sampleShape)}, the model takes ${formatShape(expected)}`);
  }
  const data = split === 'test' ? loaded.test : loaded.train;
  const from = loaded.preprocess;
  const to = run.preprocess;
  const same = !to || (to.mean.join() === from.mean.join() && to.std.join() === from.std.join());
  return { dataset, split, data: same ? data : new Restandardized(data, from, to), classes: run.classes ?? loaded.classes };
}

/** A data set standardized one way, served as another preprocessing expects: x ↦ ((x·σ₁ + μ₁) − μ₂) / σ₂. */
class Restandardized implements GatherableDataset {
  constructor(private readonly inner: GatherableDataset, private readonly from: Preprocess, private readonly to: Preprocess) {}

  get length(): number {
    return this.inner.length;
  }

  private convert(x: Tensor): Tensor {
    const per = this.to.inputShape[0];
    const sample = this.to.inputShape.reduce((a, b) => a * b, 1);
    const inner = sample / per;
    const at = (values: number[], i: number) => values[values.length === 1 ? 0 : Math.floor((i % sample) / inner)];
    const out = new Float32Array(x.data.length);
    for (let i = 0; i < out.length; i++) out[i] = (x.data[i] * at(this.from.std, i) + at(this.from.mean, i) - at(this.to.mean, i)) / at(this.to.std, i);
    return new Tensor(out, x.shape.slice());
  }

  get(index: number): Sample {
    const { x, y } = this.inner.get(index);
    return { x: this.convert(x), y };
  }

  gather(indices: Int32Array): Batch {
    const batch = this.inner.gather(indices);
    return { ...batch, x: this.convert(batch.x) };
  }
}
