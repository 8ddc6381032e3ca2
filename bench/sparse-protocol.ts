/** What the sparse workload's parent sends each worker (one JSON argument) and reads back (one JSON line). */

export interface SparseJob {
  dataFile: string;
  /** nabla: 'ftrl' | 'adagrad'; PyTorch: 'adagrad' (it has no FTRL). */
  optimizer: 'ftrl' | 'adagrad';
  /** 1: online, one example per step; 32: mini-batches. */
  batch: number;
  /** Passes over the training split, each from fresh zero weights; the fastest counts. */
  trials: number;
  /** PyTorch's thread count. */
  threads?: number;
}

export interface SparseResult {
  /** Best pass: training examples per second. */
  examplesPerSec: number;
  trials: number[];
  /** Peak resident set size of the worker process, bytes. */
  peakRss: number;
  /** Mean training loss of the last pass (progressive: each example's loss before its update). */
  loss: number;
  version: string;
}
