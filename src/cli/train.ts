/** `nabla train`: trains a network on a data set, shows progress, and writes a run folder. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from './command.js';
import { UsageError } from './command.js';
import { HELP, isLmRun, isTextRun, parse, positiveInt, resolveOptions, type Flags, type TrainOptions } from './train-options.js';
import { runTextTraining } from './train-text.js';
import { resumedLmOptions, runLmTraining } from './train-lm.js';
import { manualSeed, setRngState, type RngState } from '../random.js';
import { getBackend, setBackend } from '../backend/registry.js';
import type { Tensor } from '../tensor.js';
import type { Module } from '../nn/module.js';
import { loadCheckpoint } from '../train/checkpoint.js';
import { CosineAnnealingLR } from '../optim/lr-scheduler/cosine-annealing-lr.js';
import { fit } from '../train/fit.js';
import { trainValidationSplit } from '../data/split.js';
import { evaluate } from '../train/evaluate.js';
import { buildCnn, buildMlp } from '../train/models.js';
import { makeOptimizer } from '../train/optimizers.js';
import { loadTrainingData } from '../train/datasets.js';
import { ProgressBar } from '../train/callbacks/progress-bar.js';
import { GradientFlow, type DiagnosticsRecord } from '../train/callbacks/gradient-flow.js';
import { ModelCheckpoint } from '../train/callbacks/model-checkpoint.js';
import type { Callback, EpochLogs, TrainContext } from '../train/callbacks/callback.js';
import { saveModel } from '../serialize/model-file.js';
import { summaryTable } from './summary-table.js';
import { CHECKPOINT_FILE, MODEL_FILE, meanSamplesPerSec, runSummary, ensureDir, writeDiagnostics, writeMetrics, writeSummary } from '../train/run-folder.js';

function buildModel(o: TrainOptions, sampleShape: number[], classes: number): Module {
  if (o.model === 'cnn') {
    const [channels, height, width] = sampleShape;
    return buildCnn({ channels, height, width, filters: o.filters, classes, activation: o.activation, batchNorm: o.batchNorm });
  }
  const inputs = sampleShape.reduce((a, b) => a * b, 1);
  return buildMlp({ inputs, hidden: o.hidden, classes, activation: o.activation, batchNorm: o.batchNorm });
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

interface Resumed {
  options: TrainOptions;
  state: Record<string, unknown>;
}

function readResume(dir: string, v: Flags): Resumed {
  const path = join(dir, CHECKPOINT_FILE);
  if (!existsSync(path)) throw new UsageError(`--resume: no checkpoint at ${path}`);
  const allowed = new Set(['resume', 'epochs', 'steps', 'time-limit', 'quiet', 'backend', 'detect-anomaly', 'no-detect-anomaly']);
  const extra = Object.keys(v).filter((k) => !allowed.has(k));
  if (extra.length > 0) throw new UsageError(`--resume takes its options from the checkpoint; only --epochs (--steps, --time-limit for a language model), --backend and --quiet may be given (got --${extra.join(', --')})`);
  let state: Record<string, unknown>;
  try {
    state = loadCheckpoint(path);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const saved = state.options as TrainOptions;
  if (saved.lm) return { options: resumedLmOptions(saved, state, v, dir), state };
  const lmFlag = (['steps', 'time-limit'] as const).find((f) => v[f] !== undefined);
  if (lmFlag) throw new UsageError(`--${lmFlag} is for language-model runs; --resume ${dir} takes --epochs`);
  const options = { ...saved };
  if (v.epochs !== undefined) options.epochs = positiveInt('epochs', v.epochs);
  if ((state.epoch as number) >= options.epochs) {
    throw new UsageError(`--resume: the run in ${dir} already finished ${String(state.epoch)} of ${options.epochs} epochs; pass --epochs to train longer`);
  }
  return { options, state };
}

async function run(argv: string[]): Promise<number> {
  const v = parse(argv);
  if (v.backend !== undefined) {
    try {
      setBackend(v.backend);
    } catch (err) {
      throw new UsageError(`--backend: ${(err as Error).message}`);
    }
  }
  if (v['detect-anomaly'] && v['no-detect-anomaly']) throw new UsageError('--detect-anomaly and --no-detect-anomaly exclude each other');
  const resumed = v.resume !== undefined ? readResume(resolve(v.resume), v) : null;
  const o = resumed ? resumed.options : resolveOptions(v);
  const log = v.quiet ? () => {} : (line: string) => console.log(line);
  const out = resolve(v.resume ?? v.out ?? join('runs', `${o.dataset.replace(/[^a-z0-9-]/gi, '_')}-${o.model}-${timestamp()}`));
  ensureDir(out);
  if (isTextRun(o)) return runTextTraining(o, out, log);
  if (isLmRun(o)) return runLmTraining(o, out, log, v.quiet === true, resumed?.state);

  const loadStart = performance.now();
  const data = loadTrainingData({ dataset: o.dataset, images: o.model === 'cnn', samples: o.samples, seed: o.seed });
  log(`nabla train: ${o.dataset} (${data.train.length.toLocaleString('en-US')} training, ${data.test.length.toLocaleString('en-US')} test samples, loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s), backend ${getBackend()}`);

  manualSeed(o.seed);
  const model = buildModel(o, data.sampleShape, data.classes.length);
  const params = model.parameters();
  const optimizer = makeOptimizer(o.optimizer, params, o.lr, o.optimizer === 'ftrl' ? { l1: o.l1, l2: o.l2, beta: o.beta } : undefined);
  const scheduler = o.lrSchedule === 'cosine' ? new CosineAnnealingLR(optimizer as never, { tMax: o.epochs }) : undefined;
  const paramCount = params.reduce((n: number, p: Tensor) => n + p.size, 0);
  let validation: typeof data.train | undefined;
  let train = data.train;
  if (o.validation > 0) {
    const split = trainValidationSplit(data.train, o.validation, { seed: o.seed + 7 });
    train = split.train as unknown as typeof data.train;
    validation = split.validation as unknown as typeof data.train;
  }

  const diagnostics = new GradientFlow({ every: o.diagnosticsEvery, records: (resumed?.state.diagnostics as DiagnosticsRecord[] | undefined) ?? [] });
  if (resumed) {
    const s = resumed.state;
    model.loadStateDict(s.model as Record<string, Tensor>);
    optimizer.loadStateDict(s.optimizer as never);
    if (scheduler && s.scheduler) scheduler.loadStateDict(s.scheduler as never);
    setRngState(s.rng as RngState);
    log(`resuming ${out} at epoch ${String(s.epoch)} of ${o.epochs}`);
  } else {
    log(`model: ${o.model} ${o.model === 'mlp' ? o.hidden.join('-') : o.filters.join('-')}, ${o.activation}${o.batchNorm ? ', BatchNorm' : ''}, ${paramCount.toLocaleString('en-US')} parameters; optimizer ${o.optimizer} (lr ${o.lr})`);
  }
  const title = `${o.dataset} · ${o.model} · ${o.activation}${o.batchNorm ? ' + BatchNorm' : ''} · ${o.optimizer}`;
  const saveTrainedModel = () => saveModel(model, join(out, MODEL_FILE), { preprocess: data.preprocess, classes: data.classes });
  const reportEpoch: Callback = {
    onEpochEnd: (ctx: TrainContext) => {
      saveTrainedModel();
      writeMetrics(out, ctx.history, title, false);
      writeDiagnostics(out, diagnostics.records, `Gradient flow — ${title}`, false);
    },
  };
  const callbacks: Callback[] = [
    diagnostics,
    new ModelCheckpoint({ path: join(out, CHECKPOINT_FILE), extra: () => ({ options: o, diagnostics: diagnostics.records }) }),
    reportEpoch,
  ];
  if (!v.quiet) callbacks.unshift(new ProgressBar());

  const started = performance.now();
  const history = fit(model, optimizer, train, {
    epochs: o.epochs,
    batchSize: o.batchSize,
    validation,
    callbacks,
    scheduler,
    initialEpoch: resumed ? (resumed.state.epoch as number) : 0,
    initialStep: resumed ? (resumed.state.step as number) : 0,
    history: resumed ? (resumed.state.history as EpochLogs[]) : [],
    detectAnomaly: !v['no-detect-anomaly'],
    recycleArrays: true, // its models and callbacks keep no tensor of a step
  });
  const seconds = (performance.now() - started) / 1000;
  const test = evaluate(model, data.test, { confusion: true });
  const epochs = history.epochs;
  const last = epochs[epochs.length - 1];
  const samplesPerSec = meanSamplesPerSec(epochs);
  const summary = runSummary({ test, history, seconds, parameters: paramCount, options: o, classes: data.classes, backend: getBackend() });
  writeSummary(out, summary);
  writeMetrics(out, epochs, title);
  writeDiagnostics(out, diagnostics.records, `Gradient flow — ${title}`);

  const pct = (x: number | undefined) => (x === undefined ? '—' : `${(x * 100).toFixed(2)}%`);
  const num = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(4));
  console.log(summaryTable([
    ['data set', `${o.dataset} (${train.length} train / ${validation?.length ?? 0} val / ${data.test.length} test)`],
    ['model', `${o.model} ${o.model === 'mlp' ? o.hidden.join('-') : o.filters.join('-')} ${o.activation}${o.batchNorm ? ' + BatchNorm' : ''} (${paramCount.toLocaleString('en-US')} params)`],
    ['optimizer', `${o.optimizer}, lr ${o.lr} (${o.lrSchedule}), batch ${o.batchSize}`],
    ['epochs', `${epochs.length}${history.stopReason ? ` (stopped: ${history.stopReason})` : ''}`],
    ['train loss / accuracy', `${num(last?.loss)} / ${pct(last?.accuracy)}`],
    ['val loss / accuracy', `${num(last?.valLoss)} / ${pct(last?.valAccuracy)}`],
    ['test loss / accuracy', `${num(test.loss)} / ${pct(test.accuracy)}`],
    ['throughput', `${Math.round(samplesPerSec).toLocaleString('en-US')} samples/s on ${getBackend()}`],
    ['time', `${seconds.toFixed(1)} s`],
    ['run folder', out],
  ]));
  if (history.diverged) {
    const checkpoint = join(out, CHECKPOINT_FILE);
    const kept = history.epochs.length > 0 && existsSync(checkpoint)
      ? `the last good checkpoint (epoch ${history.epochs.length}) is ${checkpoint}`
      : 'no checkpoint was written (no epoch finished)';
    console.error(`nabla train: training ${history.stopReason}; ${kept}`);
    return 1;
  }
  return 0;
}

export const trainCommand: Command = { name: 'train', summary: 'train a network and write a run folder', help: HELP, run };
