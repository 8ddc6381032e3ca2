/** The pure TypeScript backend: runs everywhere, and is the reference for every other backend. */
import type { Backend } from '../backend.js';
import { gemm, gemmBatch } from './gemm.js';
import { unary, unaryBackward } from './unary.js';
import { binary, where } from './binary.js';
import { reduce, argReduce, softmax, softmaxBackward } from './reduce.js';
import { permute, copyStrided } from './layout.js';
import { batchNorm, batchNormBackward } from './batch-norm.js';
import { batchNormMaxPool2d, batchNormMaxPool2dBackward } from './batch-norm-max-pool.js';
import { layerNorm, layerNormBackward } from './layer-norm.js';
import { cumsum } from './cumsum.js';
import { conv2d, conv2dBackward } from './conv2d.js';
import { maxPool2d, maxPool2dBackward, avgPool2d, avgPool2dBackward } from './pool.js';
import { crossEntropy, crossEntropyBackward } from './cross-entropy.js';
import { adamUpdate, sgdUpdate } from './optimizer-updates.js';
import { firstNonFinite } from './non-finite.js';
import { sumOfSquares } from './sum-of-squares.js';
import { uniqueRows } from './unique-rows.js';
import { lookupRows } from './lookup-rows.js';
import { embeddingBag, embeddingBagBackward } from './embedding-bag.js';
import { attention, attentionBackward } from './attention.js';
import { dropout, dropoutBackward, dropoutMask } from './dropout.js';
import { sparseAdagradUpdate, sparseAdamUpdate, sparseFtrlUpdate, sparseSgdUpdate } from './sparse-updates.js';
import { gruCell, gruCellBackward, lstmCell, lstmCellBackward } from './recurrent-cells.js';

export const jsBackend: Backend = {
  name: 'js',
  gemm,
  gemmBatch,
  // Nothing runs beside the caller in js: the product happens at once.
  gemmAsync: (transA, transB, m, n, k, alpha, a, b, beta, c) => {
    gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
    return 0;
  },
  gemmWait: () => {},
  unary,
  unaryBackward,
  binary,
  where,
  reduce,
  argReduce,
  firstNonFinite,
  sumOfSquares,
  uniqueRows,
  lookupRows,
  // Pages are the browser's and the OS's business: only the native backend acts on the hint.
  adviseHugePages: () => {},
  embeddingBag,
  embeddingBagBackward,
  sparseSgdUpdate,
  sparseAdagradUpdate,
  sparseFtrlUpdate,
  sparseAdamUpdate,
  permute,
  copyStrided,
  cumsum,
  softmax,
  softmaxBackward,
  batchNorm,
  batchNormBackward,
  batchNormMaxPool2d,
  batchNormMaxPool2dBackward,
  layerNorm,
  layerNormBackward,
  conv2d,
  conv2dBackward,
  maxPool2d,
  maxPool2dBackward,
  avgPool2d,
  avgPool2dBackward,
  crossEntropy,
  crossEntropyBackward,
  attention,
  attentionBackward,
  dropoutMask,
  dropout,
  dropoutBackward,
  adamUpdate,
  sgdUpdate,
  lstmCell,
  lstmCellBackward,
  gruCell,
  gruCellBackward,
};
