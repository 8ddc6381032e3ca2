/** Data: datasets, batching, splits, MNIST-style image sets, CSV tables and synthetic 2-D sets. */
export { TensorDataset, type Dataset, type Sample, type Batch, type GatherableDataset } from './dataset.js';
export { DataLoader, type DataLoaderOptions } from './data-loader.js';
export { Subset, randomSplit, trainValidationSplit, type SplitOptions } from './split.js';
export { readIdx, type IdxArray, type IdxType, type IdxData } from './idx.js';
export type { ImageSet, ImageSetOptions, Split } from './image-set.js';
export { ImageBytesDataset } from './image-bytes-dataset.js';
export { loadMnist, loadMnistDataset, MNIST_CLASSES, MNIST_STATS } from './mnist.js';
export { loadFashionMnist, loadFashionMnistDataset, FASHION_MNIST_CLASSES, FASHION_MNIST_STATS } from './fashion-mnist.js';
export { loadCsv, parseCsv, type CsvOptions, type CsvDataset } from './csv.js';
export { spiral, moons, circles, xor, gaussians } from './synthetic/index.js';
export type { Points, SyntheticOptions, SpiralOptions, CirclesOptions, GaussiansOptions } from './synthetic/index.js';
