/** Trains one workload with nabla on one backend (the job's variant) and prints a WorkerResult. */
import { Tensor, manualSeed, nn, setBackend, getBackend } from '../../src/index.js';
import { readDataFile } from '../data-file.js';
import { readTokenFile } from '../token-data.js';
import { batchStart, timeTrials, type WorkerJob, type WorkerResult } from '../protocol.js';
import { buildModel, buildOptimizer } from './nabla-model.js';

const job = JSON.parse(process.argv[2]) as WorkerJob;
setBackend(job.variant);
manualSeed(0);
const w = job.workload;
const net = buildModel(w);
net.train();
const opt = buildOptimizer(w, net);

/** Batch i as the model's input and the class of each output row. */
let batch: (i: number) => { xb: Tensor; yb: Int32Array };
let rows: (logits: Tensor) => Tensor = (logits) => logits;
if (w.kind === 'gpt' || w.kind === 'lstm') {
  const T = w.kind === 'gpt' ? w.context : w.sequence;
  const { x, y } = readTokenFile(job.dataFile, job.samples, T);
  batch = (i) => {
    const start = batchStart(i, w.batch, job.samples) * T;
    return { xb: new Tensor(x.subarray(start, start + w.batch * T), [w.batch, T]), yb: y.subarray(start, start + w.batch * T) };
  };
  // cross-entropy over every position: logits [B, T, V] as B·T rows
  rows = (logits) => logits.reshape([w.batch * T, w.vocab]);
} else {
  const { x, y } = readDataFile(job.dataFile, job.samples);
  const inputShape = w.kind === 'mlp' ? [w.batch, 784] : [w.batch, 1, 28, 28];
  batch = (i) => {
    const start = batchStart(i, w.batch, job.samples);
    return { xb: new Tensor(x.subarray(start * 784, (start + w.batch) * 784), inputShape), yb: y.subarray(start, start + w.batch) };
  };
}

const { trials, cpuMsPerStep, loss } = timeTrials(job, (i) => {
  const { xb, yb } = batch(i);
  opt.zeroGrad();
  const l = nn.functional.crossEntropy(rows(net.forward(xb)), yb);
  l.backward();
  opt.step();
  return l.item();
});

const result: WorkerResult = {
  samplesPerSec: Math.max(...trials),
  trials,
  cpuMsPerStep,
  peakRss: process.resourceUsage().maxRSS * 1024,
  loss,
  version: `nabla (${getBackend()} backend), Node ${process.versions.node}`,
};
console.log(JSON.stringify(result));
