/** Trains one workload with nabla on one backend (the job's variant) and prints a WorkerResult. */
import { Tensor, manualSeed, nn, setBackend, getBackend } from '../../src/index.js';
import { readDataFile } from '../data-file.js';
import { batchStart, timeTrials, type WorkerJob, type WorkerResult } from '../protocol.js';
import { buildModel, buildOptimizer } from './nabla-model.js';

const job = JSON.parse(process.argv[2]) as WorkerJob;
setBackend(job.variant);
manualSeed(0);
const w = job.workload;
const net = buildModel(w);
net.train();
const opt = buildOptimizer(w, net);
const { x, y } = readDataFile(job.dataFile, job.samples);
const inputShape = w.kind === 'mlp' ? [w.batch, 784] : [w.batch, 1, 28, 28];

const { trials, cpuMsPerStep, loss } = timeTrials(job, (i) => {
  const start = batchStart(i, w.batch, job.samples);
  const xb = new Tensor(x.subarray(start * 784, (start + w.batch) * 784), inputShape);
  const yb = y.subarray(start, start + w.batch);
  opt.zeroGrad();
  const l = nn.functional.crossEntropy(net.forward(xb), yb);
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
