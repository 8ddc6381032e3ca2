/**
 * The e2e workload's bare loop: the job `nabla train` runs with its defaults (the same data, split,
 * model, optimizer, learning-rate schedule and seed; batches gathered in a shuffled order by the same
 * DataLoader; its epochs) as a bare loop of steps: no anomaly guard, diagnostics, metrics, progress bar,
 * validation or run folder. Started with npm start's Node flags, it has the command's start-up and
 * warm-up too, so `nabla train`'s throughput over this one's is what the loop around the step costs.
 * It reaches the same test accuracy to the digit: the same job.
 * Writes summary.json and metrics.csv to --out as `nabla train` does (test accuracy at the end; each
 * epoch's samples/s and their mean), so e2e reads it as it reads a run folder.
 *
 *   node --single-threaded-gc bench/.build/workers/nabla_bare_train.mjs --out DIR
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { manualSeed, nn } from '../../src/index.js';
import { DataLoader } from '../../src/data/data-loader.js';
import { parse, resolveOptions } from '../../src/cli/train-options.js';
import { loadTrainingData } from '../../src/train/datasets.js';
import { buildMlp } from '../../src/train/models.js';
import { makeOptimizer } from '../../src/train/optimizers.js';
import { trainValidationSplit } from '../../src/data/split.js';
import { evaluate } from '../../src/train/evaluate.js';
import { CosineAnnealingLR } from '../../src/optim/lr-scheduler/cosine-annealing-lr.js';

const at = process.argv.indexOf('--out');
if (at < 0 || !process.argv[at + 1]) throw new Error('nabla_bare_train: --out DIR is required');
const out = process.argv[at + 1];

const o = resolveOptions(parse([]));
if (o.model !== 'mlp') throw new Error(`nabla_bare_train: nabla train's default model is now ${o.model}; this loop builds the mlp`);
const data = loadTrainingData({ dataset: o.dataset, images: false, samples: o.samples, seed: o.seed });
manualSeed(o.seed);
const model = buildMlp({ inputs: data.sampleShape.reduce((a, b) => a * b, 1), hidden: o.hidden, classes: data.classes.length, activation: o.activation, batchNorm: o.batchNorm });
const optimizer = makeOptimizer(o.optimizer, model.parameters(), o.lr);
const scheduler = o.lrSchedule === 'cosine' ? new CosineAnnealingLR(optimizer as never, { tMax: o.epochs }) : undefined;
const train = o.validation > 0 ? trainValidationSplit(data.train, o.validation, { seed: o.seed + 7 }).train : data.train;
const loader = new DataLoader(train, { batchSize: o.batchSize, shuffle: true });

const epochs: { epoch: number; seconds: number; samplesPerSec: number }[] = [];
model.train();
for (let epoch = 1; epoch <= o.epochs; epoch++) {
  const started = performance.now();
  let seen = 0;
  for (const { x, y } of loader) {
    const loss = nn.functional.crossEntropy(model.forward(x), y);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    seen += y.length;
  }
  const seconds = (performance.now() - started) / 1000;
  epochs.push({ epoch, seconds, samplesPerSec: seen / seconds });
  scheduler?.step();
}
const test = evaluate(model, data.test);
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'metrics.csv'), ['epoch,seconds,samplesPerSec', ...epochs.map((e) => `${e.epoch},${e.seconds},${e.samplesPerSec}`)].join('\n') + '\n');
writeFileSync(join(out, 'summary.json'), JSON.stringify({
  testAccuracy: test.accuracy,
  samplesPerSec: epochs.reduce((s, e) => s + e.samplesPerSec, 0) / epochs.length,
  epochs: epochs.length,
}));
