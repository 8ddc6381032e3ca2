/**
 * What the benchmark's parent sends each worker (one JSON argument) and what a worker prints
 * back (one JSON line on stdout). Workers of every system (nabla, TensorFlow.js, PyTorch) follow it.
 */
import type { Workload } from './workloads.js';

export interface WorkerJob {
  workload: Workload;
  /** The system's variant: a nabla backend ('native', 'js'), a tfjs backend ('cpu', 'wasm'), torch threads ('1', '2'). */
  variant: string;
  /**
   * MNIST training images as float32 [samples, 784] followed by int32 labels [samples] (see data-file.ts);
   * for the gpt and lstm workloads, samples·T + 1 int32 character ids (token-data.ts; T the context or sequence).
   */
  dataFile: string;
  samples: number;
  /** Untimed steps first (allocation, JIT, caches). */
  warmup: number;
  steps: number;
  trials: number;
}

export interface WorkerResult {
  /** Best trial: samples per second over `steps` steps. */
  samplesPerSec: number;
  /** Every trial's samples per second. */
  trials: number[];
  /** CPU time of the process per training step (all threads), ms, over all timed steps: robust to a loaded machine. */
  cpuMsPerStep: number;
  /** Peak resident set size of the worker process, bytes. */
  peakRss: number;
  /** Loss of the last step (a sanity check that the model trains). */
  loss: number;
  /** The library's version and anything else worth recording. */
  version: string;
  notes?: string;
}

/** Runs `step` warmup + trials × steps times; returns every trial's samples/s and the last loss. */
export function timeTrials(job: WorkerJob, step: (i: number) => number): { trials: number[]; cpuMsPerStep: number; loss: number } {
  let loss = NaN;
  let i = 0;
  for (let s = 0; s < job.warmup; s++) loss = step(i++);
  const trials: number[] = [];
  const cpuStart = process.cpuUsage();
  for (let t = 0; t < job.trials; t++) {
    const start = process.hrtime.bigint();
    for (let s = 0; s < job.steps; s++) loss = step(i++);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    trials.push((job.steps * job.workload.batch) / seconds);
  }
  const cpu = process.cpuUsage(cpuStart);
  return { trials, cpuMsPerStep: (cpu.user + cpu.system) / 1000 / (job.trials * job.steps), loss };
}

/** The batch starting at step i, cycling over the samples. */
export function batchStart(i: number, batch: number, samples: number): number {
  const batches = Math.floor(samples / batch);
  return (i % batches) * batch;
}
