/**
 * The sparse workload in nabla: logistic regression on hashed features (SparseLogistic: an
 * EmbeddingBag of width 2 with sparse gradients, plus a bias; zero weights), trained in order over the
 * spam training split with FTRL or Adagrad, batch 1 (online) or 32. Prints a SparseResult.
 */
import { manualSeed, nn, optim, setBackend, getBackend, zeros, SparseGrad } from '../../src/index.js';
import { SparseLogistic } from '../../src/text/models.js';
import { SparseDataset } from '../../src/text/sparse-dataset.js';
import { readSparseDataFile } from '../sparse-data.js';
import type { SparseJob, SparseResult } from '../sparse-protocol.js';
import { peakRss } from '../peak-rss.js';

const job = JSON.parse(process.argv[2]) as SparseJob;
setBackend('native');
const data = readSparseDataFile(job.dataFile);
const docs = new SparseDataset({ ids: data.ids, starts: data.starts }, data.y, data.buckets);
const n = docs.length;

function trial(): { seconds: number; loss: number } {
  manualSeed(0);
  const model = new SparseLogistic(data.buckets, 2);
  const params = model.parameters();
  const optimizer = job.optimizer === 'ftrl'
    ? new optim.FTRL(params, { lr: 0.1, beta: 1, l1: 1, l2: 1 })
    : new optim.Adagrad(params, { lr: 0.1 });
  // The optimizer's state is made before the clock starts, as PyTorch's Adagrad makes it in its
  // constructor: a step with zero gradients (no rows for the table, zeros for the bias) changes nothing.
  model.bag.weight.grad = new SparseGrad(new Int32Array(0), new Float32Array(0), model.bag.weight.shape, 'warm-up');
  model.bias.grad = zeros(model.bias.shape);
  optimizer.step();
  let lossSum = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i += job.batch) {
    const count = Math.min(job.batch, n - i);
    const { ids, offsets, y } = docs.batch(Int32Array.from({ length: count }, (_, k) => i + k));
    const loss = nn.functional.crossEntropy(model.forward(ids, offsets), y);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    lossSum += loss.item() * count;
  }
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, loss: lossSum / n };
}

const trials: number[] = [];
let loss = NaN;
for (let t = 0; t < job.trials; t++) {
  const r = trial();
  trials.push(n / r.seconds);
  loss = r.loss;
}
const result: SparseResult = {
  examplesPerSec: Math.max(...trials),
  trials,
  peakRss: peakRss(),
  loss,
  version: `nabla (${getBackend()} backend), Node ${process.versions.node}`,
};
console.log(JSON.stringify(result));
