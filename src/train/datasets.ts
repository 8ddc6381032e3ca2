/** The data sets `nabla train` knows by name: the embedded MNIST and Fashion-MNIST, the synthetic 2-D sets, and a user's CSV. */
import { TensorDataset, type GatherableDataset } from '../data/dataset.js';
import { loadMnistDataset, MNIST_CLASSES, MNIST_STATS } from '../data/mnist.js';
import { loadFashionMnistDataset, FASHION_MNIST_CLASSES, FASHION_MNIST_STATS } from '../data/fashion-mnist.js';
import { loadCsv } from '../data/csv.js';
import { randomSplit } from '../data/split.js';
import { spiral, moons, circles, xor, gaussians } from '../data/synthetic/index.js';
import type { Points } from '../data/synthetic/index.js';
import { identityPreprocess, type Preprocess } from '../serialize/preprocess.js';

export const SYNTHETIC = { spiral, moons, circles, xor, gaussians } as const;
export const DATASET_NAMES = ['mnist', 'fashion-mnist', ...Object.keys(SYNTHETIC), 'spam', 'csv:PATH'];

export interface TrainingData {
  /** Images keep their bytes (ImageBytesDataset); the other sets are float tensors. */
  train: GatherableDataset;
  test: GatherableDataset;
  /** Shape of one sample: [784] / [1, 28, 28] for images, [2] for the 2-D sets, [features] for CSV. */
  sampleShape: number[];
  classes: string[];
  /** How a user's raw sample (pixels in [0, 1], feature values) becomes the model's input: saved with the model. */
  preprocess: Preprocess;
}

export interface DataRequest {
  dataset: string;
  /** Images as [1, 28, 28] (for the CNN) rather than flat vectors. */
  images: boolean;
  /** Training images to use (MNIST-like) or points to generate (2-D sets). */
  samples?: number;
  seed: number;
}

export function isKnownDataset(name: string): boolean {
  return name === 'mnist' || name === 'fashion-mnist' || name === 'spam' || name in SYNTHETIC || (name.startsWith('csv:') && name.length > 4);
}

export function loadTrainingData(req: DataRequest): TrainingData {
  const { dataset, seed } = req;
  if (dataset === 'spam') throw new Error("dataset: 'spam' is text: train it with --model logistic or bag (src/text/)");
  if (dataset === 'mnist' || dataset === 'fashion-mnist') {
    const load = dataset === 'mnist' ? loadMnistDataset : loadFashionMnistDataset;
    const flatten = !req.images;
    const train = load({ split: 'train', limit: req.samples, normalize: true, flatten });
    const test = load({ split: 'test', normalize: true, flatten });
    const stats = dataset === 'mnist' ? MNIST_STATS : FASHION_MNIST_STATS;
    const preprocess = { inputShape: train.sampleShape.slice(), mean: [stats.mean], std: [stats.std], image: { channels: 1, height: 28, width: 28 } };
    return { train, test, sampleShape: train.sampleShape, classes: (dataset === 'mnist' ? MNIST_CLASSES : FASHION_MNIST_CLASSES).slice(), preprocess };
  }
  if (dataset in SYNTHETIC) {
    const make = SYNTHETIC[dataset as keyof typeof SYNTHETIC] as (n: number, o: { seed: number }) => Points;
    const n = req.samples ?? 1000;
    const train = make(n, { seed });
    const test = make(Math.max(200, Math.floor(n / 4)), { seed: seed + 1 });
    const classes = train.y.reduce((m, c) => Math.max(m, c), 0) + 1; // no spread: --samples may exceed the argument limit
    return {
      train: new TensorDataset(train.x, train.y),
      test: new TensorDataset(test.x, test.y),
      sampleShape: [2],
      classes: Array.from({ length: classes }, (_, k) => String(k)),
      preprocess: identityPreprocess([2]),
    };
  }
  if (dataset.startsWith('csv:')) {
    const table = loadCsv(dataset.slice(4));
    const all = new TensorDataset(table.x, table.y);
    const [trainPart, testPart] = randomSplit(all, [0.8, 0.2], { seed });
    const gather = (s: typeof trainPart) => all.gather(Int32Array.from(s.indices));
    const tr = gather(trainPart);
    const te = gather(testPart);
    return {
      train: new TensorDataset(tr.x, tr.y),
      test: new TensorDataset(te.x, te.y),
      sampleShape: table.x.shape.slice(1),
      classes: table.classes,
      preprocess: identityPreprocess(table.x.shape.slice(1)),
    };
  }
  throw new Error(`dataset: unknown '${dataset}'; expected one of ${DATASET_NAMES.join(', ')}`);
}
