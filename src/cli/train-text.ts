/**
 * `nabla train` for the text models (--model logistic | bag): hashed sparse features, sparse
 * updates (FTRL by default), progressive validation in the first pass, and a run folder with the
 * model file (its text preprocessing inside), summary.json (with `sparsity` and `progressive`),
 * metrics.csv, curves.svg/png, progressive.csv/svg/png — or, with --l1-sweep, the sweep's table and plot.
 */
import { join } from 'node:path';
import { UsageError } from './command.js';
import type { TrainOptions } from './train-options.js';
import { manualSeed } from '../random.js';
import { getBackend } from '../backend/registry.js';
import { FTRL } from '../optim/ftrl.js';
import { Adagrad } from '../optim/adagrad.js';
import { SGD } from '../optim/sgd.js';
import type { TrainableOptimizer } from '../train/callbacks/callback.js';
import { saveModel } from '../serialize/model-file.js';
import type { Preprocess } from '../serialize/preprocess.js';
import { MODEL_FILE, meanSamplesPerSec, runSummary, writeMetrics, writeRunFile, writeSummary } from '../train/run-folder.js';
import { summaryTable } from './summary-table.js';
import { svgToPng } from '../viz/png.js';
import { l1SweepSvg, progressiveSvg, type SweepRow } from '../viz/text-plots.js';
import { textPreprocess, type TextPreprocess } from '../text/hashing.js';
import { loadTextData, type TextData } from '../text/text-data.js';
import { BagClassifier, SparseLogistic, tableSparsity, type TextModel } from '../text/models.js';
import { evaluateText, fitText, type ProgressivePoint, type TextHistory } from '../text/train-text.js';
import type { SparseDataset } from '../text/sparse-dataset.js';

const pct = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(2)}%`);
const num = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(4));
const count = (n: number) => n.toLocaleString('en-US');

/** The text run's own files (progressive validation, the L1 sweep): their only record, so fsynced. */
const writeText = (dir: string, name: string, content: string | Uint8Array) => writeRunFile(dir, name, content, true);

/** The data of a text run (also what `nabla evaluate` reloads): load errors are the user's (a missing file, column, an empty file). */
export function textRunData(o: Pick<TrainOptions, 'dataset' | 'seed' | 'samples' | 'text'>, text: TextPreprocess): TextData {
  try {
    return loadTextData({ dataset: o.dataset, text, textColumn: o.text?.textColumn, labelColumn: o.text?.labelColumn, seed: o.seed, samples: o.samples });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function buildTextModel(o: TrainOptions, buckets: number, classes: number): TextModel {
  return o.model === 'bag' ? new BagClassifier(buckets, o.hidden[0] ?? 64, classes) : new SparseLogistic(buckets, classes);
}

/**
 * The optimizer with its state already made (initState), as PyTorch's Adagrad and Keras's FTRL make theirs
 * when built: at 2^24 buckets FTRL's state is 256 MB, whose making (0.4–0.6 s) the first step and so the
 * epoch's samples/s would otherwise carry; the model's table is made before the clock too.
 */
export function makeTextOptimizer(o: TrainOptions, model: TextModel, l1 = o.l1): TrainableOptimizer {
  const params = model.parameters();
  let optimizer: FTRL | Adagrad | SGD;
  switch (o.optimizer) {
    case 'ftrl': optimizer = new FTRL(params, { lr: o.lr, l1: l1 ?? 0, l2: o.l2 ?? 0, beta: o.beta ?? 0, initialAccumulatorValue: 0 }); break;
    case 'adagrad': optimizer = new Adagrad(params, { lr: o.lr }); break;
    case 'sgd': optimizer = new SGD(params, { lr: o.lr }); break;
    default: throw new UsageError(`--optimizer ${o.optimizer} can't update the text models' sparse gradients; use ftrl, adagrad or sgd`);
  }
  optimizer.initState();
  return optimizer;
}


interface OneRun {
  model: TextModel;
  history: TextHistory;
  seconds: number;
}

function trainOnce(o: TrainOptions, data: TextData, train: SparseDataset, validation: SparseDataset | undefined, l1: number | undefined, onProgress?: (p: ProgressivePoint, total: number) => void): OneRun {
  manualSeed(o.seed);
  const model = buildTextModel(o, data.featurizer.buckets, data.classes.length);
  const optimizer = makeTextOptimizer(o, model, l1);
  const started = performance.now();
  const history = fitText(model, optimizer, train, {
    epochs: o.epochs, batchSize: o.batchSize, shuffle: !o.text!.online, seed: o.seed, validation, onProgress,
  });
  return { model, history, seconds: (performance.now() - started) / 1000 };
}

export function runTextTraining(o: TrainOptions, out: string, log: (line: string) => void): number {
  const t = o.text!;
  const text = textPreprocess({ hashBits: t.hashBits, bigrams: t.bigrams });
  const loadStart = performance.now();
  const data = textRunData(o, text);
  let train = data.train;
  let validation: SparseDataset | undefined;
  if (o.validation > 0) {
    const nVal = Math.floor(o.validation * train.length);
    validation = train.subset(Int32Array.from({ length: nVal }, (_, i) => train.length - nVal + i));
    train = train.subset(Int32Array.from({ length: train.length - nVal }, (_, i) => i));
  }
  if (train.length === 0) throw new UsageError(`${o.dataset}: no training documents left (${data.train.length} in the training split)`);
  const featuresSeen = train.distinctFeatures();
  log(`nabla train: ${o.dataset} (${count(train.length)} training, ${count(validation?.length ?? 0)} validation, ${count(data.test.length)} test documents; ${count(featuresSeen)} features seen of ${count(data.featurizer.buckets)} buckets; loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s), backend ${getBackend()}`);
  const ftrl = o.optimizer === 'ftrl' ? ` (lr ${o.lr}, l1 ${t.l1Sweep ? 'swept' : o.l1}, l2 ${o.l2}, beta ${o.beta})` : ` (lr ${o.lr})`;
  const modelText = o.model === 'bag' ? `bag: EmbeddingBag(${count(data.featurizer.buckets)}, ${o.hidden[0]}, mean) → ReLU → Linear(${o.hidden[0]}, ${data.classes.length})` : `logistic: EmbeddingBag(${count(data.featurizer.buckets)}, ${data.classes.length}, sum) + bias`;
  const title = `${o.dataset} · ${o.model} · ${o.optimizer}`;

  if (t.l1Sweep) return runSweep(o, data, train, validation, featuresSeen, out, log, title);

  log(`model: ${modelText}; optimizer ${o.optimizer}${ftrl}; ${t.online ? 'online: one pass in order, batch 1' : `${o.epochs} epoch${o.epochs === 1 ? '' : 's'}, batch ${o.batchSize}, shuffled`}`);
  const reportEvery = Math.max(1, Math.round(train.length / 10));
  let nextReport = reportEvery;
  const { model, history, seconds } = trainOnce(o, data, train, validation, o.l1, (p, total) => {
    if (p.samples >= nextReport || p.samples === total) {
      log(`  progressive validation ${count(p.samples).padStart(count(total).length)}/${count(total)}: log loss ${p.logLoss.toFixed(4)}, accuracy ${pct(p.accuracy)}`);
      while (nextReport <= p.samples) nextReport += reportEvery;
    }
  });
  const preprocess: Preprocess = { inputShape: [data.featurizer.buckets], mean: [0], std: [1], text };
  saveModel(model, join(out, MODEL_FILE), { preprocess, classes: data.classes });
  const test = evaluateText(model, data.test);
  const sparsity = { ...tableSparsity(model), featuresSeen };
  const epochs = history.epochs;
  const last = epochs[epochs.length - 1];
  const progressive = history.progressive[history.progressive.length - 1];
  const paramCount = model.parameters().reduce((n, p) => n + p.size, 0);
  const samplesPerSec = meanSamplesPerSec(epochs);
  writeSummary(out, {
    ...runSummary({ test, history, seconds, parameters: paramCount, options: o, classes: data.classes, backend: getBackend() }),
    sparsity: { nonzero: sparsity.nonzero, featuresSeen, total: sparsity.total, nonzeroWeights: sparsity.nonzeroWeights },
    progressive: progressive ? { logLoss: progressive.logLoss, accuracy: progressive.accuracy, samples: progressive.samples } : null,
    data: { train: train.length, validation: validation?.length ?? 0, test: data.test.length },
  });
  writeMetrics(out, epochs, title);
  writeText(out, 'progressive.csv', ['samples,logLoss,accuracy', ...history.progressive.map((p) => `${p.samples},${p.logLoss},${p.accuracy}`)].join('\n') + '\n');
  const svg = progressiveSvg(history.progressive, `Progressive validation — ${title}`);
  writeText(out, 'progressive.svg', svg);
  writeText(out, 'progressive.png', svgToPng(svg));

  const share = featuresSeen ? ` (${((100 * sparsity.nonzero) / featuresSeen).toFixed(1)}% of ${count(featuresSeen)} features seen)` : '';
  console.log(summaryTable([
    ['data set', `${o.dataset} (${train.length} train / ${validation?.length ?? 0} val / ${data.test.length} test)`],
    ['model', `${modelText} (${count(paramCount)} params)`],
    ['optimizer', `${o.optimizer}${ftrl}, batch ${o.batchSize}${t.online ? ', online' : ''}`],
    ['epochs', `${epochs.length}${history.stopReason ? ` (stopped: ${history.stopReason})` : ''}`],
    ['progressive loss / acc.', `${num(progressive?.logLoss)} / ${pct(progressive?.accuracy)}`],
    ['train loss / accuracy', `${num(last?.loss)} / ${pct(last?.accuracy)}`],
    ['val loss / accuracy', `${num(last?.valLoss)} / ${pct(last?.valAccuracy)}`],
    ['test loss / accuracy', `${num(test.loss)} / ${pct(test.accuracy)}`],
    ['nonzero weights', `${count(sparsity.nonzero)} features${share}`],
    ['throughput', `${Math.round(samplesPerSec).toLocaleString('en-US')} samples/s on ${getBackend()}`],
    ['time', `${seconds.toFixed(1)} s`],
    ['run folder', out],
  ]));
  if (history.diverged) {
    console.error(`nabla train: training ${history.stopReason}`);
    return 1;
  }
  return 0;
}

function runSweep(o: TrainOptions, data: TextData, train: SparseDataset, validation: SparseDataset | undefined, featuresSeen: number, out: string, log: (line: string) => void, title: string): number {
  const rows: (SweepRow & { testLoss: number; progressiveAccuracy: number | null; progressiveLogLoss: number | null; nonzeroShare: number; seconds: number })[] = [];
  for (const l1 of o.text!.l1Sweep!) {
    const { model, history, seconds } = trainOnce(o, data, train, validation, l1);
    const test = evaluateText(model, data.test);
    const s = tableSparsity(model);
    const p = history.progressive[history.progressive.length - 1];
    const row = {
      l1, testAccuracy: test.accuracy, testLoss: test.loss, nonzero: s.nonzero, featuresSeen, nonzeroShare: featuresSeen ? s.nonzero / featuresSeen : 0,
      progressiveAccuracy: p?.accuracy ?? null, progressiveLogLoss: p?.logLoss ?? null, seconds,
    };
    rows.push(row);
    log(`  l1 ${l1}: test accuracy ${pct(row.testAccuracy)}, nonzero ${count(row.nonzero)} (${(100 * row.nonzeroShare).toFixed(2)}% of features seen)`);
  }
  const columns = ['l1', 'testAccuracy', 'testLoss', 'nonzero', 'featuresSeen', 'nonzeroShare', 'progressiveAccuracy', 'progressiveLogLoss', 'seconds'] as const;
  writeText(out, 'l1-sweep.csv', [columns.join(','), ...rows.map((r) => columns.map((c) => String(r[c] ?? '')).join(','))].join('\n') + '\n');
  writeText(out, 'l1-sweep.json', JSON.stringify(rows, null, 2) + '\n');
  const svg = l1SweepSvg(rows, `L1 sweep — ${title}`);
  writeText(out, 'l1-sweep.svg', svg);
  writeText(out, 'l1-sweep.png', svgToPng(svg));
  writeSummary(out, { l1Sweep: rows, options: o, classes: data.classes, backend: getBackend(), data: { train: train.length, validation: validation?.length ?? 0, test: data.test.length } });
  const lines = ['     L1 | test accuracy | nonzero | % of features seen', ...rows.map((r) => `${String(r.l1).padStart(7)} | ${pct(r.testAccuracy).padStart(13)} | ${count(r.nonzero).padStart(7)} | ${(100 * r.nonzeroShare).toFixed(2).padStart(6)}%`)];
  console.log([...lines, `wrote ${join(out, 'l1-sweep.csv')}, l1-sweep.json, l1-sweep.svg, l1-sweep.png`].join('\n'));
  return 0;
}
