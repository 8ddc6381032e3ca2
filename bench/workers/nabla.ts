/** Trains one workload with nabla on one backend (the job's variant) and prints a WorkerResult. */
import { Tensor, manualSeed, nn, setBackend, getBackend } from '../../src/index.js';
import { readDataFile } from '../data-file.js';
import { characterBatch, characterStream } from '../char-data.js';
import { batchStart, timeTrials, type WorkerJob, type WorkerResult } from '../protocol.js';
import { buildModel, buildOptimizer } from './nabla-model.js';

const job = JSON.parse(process.argv[2]) as WorkerJob;
setBackend(job.variant);
manualSeed(0);
const w = job.workload;
const net = buildModel(w);
net.train();
const opt = buildOptimizer(w, net);

/** The step's batch: an MNIST slice, or (lstm) characters, whose logits are flattened to [B·T, vocab] for the loss. */
function batches(): (i: number) => { x: Tensor; y: Int32Array } {
  if (w.kind === 'lstm') {
    const stream = characterStream(job.samples * (w.sequence + 1), w.vocab);
    return (i) => {
      const { x, y } = characterBatch(stream, batchStart(i, w.batch, job.samples), w.batch, w.sequence);
      return { x: new Tensor(x, [w.batch, w.sequence]), y };
    };
  }
  const { x, y } = readDataFile(job.dataFile, job.samples);
  const inputShape = w.kind === 'mlp' ? [w.batch, 784] : [w.batch, 1, 28, 28];
  return (i) => {
    const start = batchStart(i, w.batch, job.samples);
    return { x: new Tensor(x.subarray(start * 784, (start + w.batch) * 784), inputShape), y: y.subarray(start, start + w.batch) };
  };
}
const batchAt = batches();

const { trials, cpuMsPerStep, loss } = timeTrials(job, (i) => {
  const { x, y } = batchAt(i);
  opt.zeroGrad();
  const out = net.forward(x);
  const l = nn.functional.crossEntropy(w.kind === 'lstm' ? out.reshape([-1, w.vocab]) : out, y);
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
