/** The pure TypeScript backend: runs everywhere, and is the reference for every other backend. */
import type { Backend } from '../backend.js';
import { gemm } from './gemm.js';
import { unary, unaryBackward } from './unary.js';
import { binary, where } from './binary.js';
import { reduce, argReduce, softmax, softmaxBackward } from './reduce.js';
import { permute, copyStrided } from './layout.js';

export const jsBackend: Backend = {
  name: 'js',
  gemm,
  unary,
  unaryBackward,
  binary,
  where,
  reduce,
  argReduce,
  permute,
  copyStrided,
  softmax,
  softmaxBackward,
};
