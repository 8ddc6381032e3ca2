/** `nabla train`: trains a network on a data set, shows progress, and writes a run folder. */
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from './command.js';
import { UsageError } from './command.js';
import { manualSeed, setRngState, type RngState } from '../random.js';
import { getBackend, setBackend } from '../backend/registry.js';
import type { Tensor } from '../tensor.js';
import type { Module } from '../nn/module.js';
import { loadCheckpoint } from '../train/checkpoint.js';
import { CosineAnnealingLR } from '../optim/lr-scheduler/cosine-annealing-lr.js';
import { fit } from '../train/fit.js';
import { trainValidationSplit } from '../data/split.js';
import { evaluate } from '../train/evaluate.js';
import { buildCnn, buildMlp, ACTIVATIONS, type ActivationName } from '../train/models.js';
import { makeOptimizer, OPTIMIZER_NAMES, OPTIMIZERS, type OptimizerName } from '../train/optimizers.js';
import { DATASET_NAMES, isKnownDataset, loadTrainingData } from '../train/datasets.js';
import { ProgressBar } from '../train/callbacks/progress-bar.js';
import { GradientFlow, type DiagnosticsRecord } from '../train/callbacks/gradient-flow.js';
import { ModelCheckpoint } from '../train/callbacks/model-checkpoint.js';
import type { Callback, EpochLogs, TrainContext } from '../train/callbacks/callback.js';
import { CHECKPOINT_FILE, ensureDir, writeDiagnostics, writeMetrics, writeSummary } from '../train/run-folder.js';

const HELP = `Usage: nabla train [options]

Trains a network and writes a run folder (summary.json, metrics.csv, curves.svg/png,
diagnostics.json/svg/png, ${CHECKPOINT_FILE}).

Options:
  --dataset NAME        ${DATASET_NAMES.join(' | ')} (default mnist)
  --model mlp|cnn       network (default mlp)
  --hidden 512,256      hidden widths of the MLP (default 512,256)
  --filters 16,32       output channels of the CNN's conv blocks (default 16,32)
  --activation NAME     ${ACTIVATIONS.join(' | ')} (default relu)
  --batch-norm          BatchNorm after each Linear/Conv, before the activation (default)
  --no-batch-norm       no BatchNorm
  --optimizer NAME      ${OPTIMIZER_NAMES.join(' | ')} (default adam)
  --lr X                learning rate (default per optimizer: ${OPTIMIZER_NAMES.map((n) => `${n} ${OPTIMIZERS[n].lr}`).join(', ')})
  --epochs N            epochs (default 3 for MNIST-like sets, 30 otherwise)
  --lr-schedule NAME    constant | cosine (cosine annealing to 0 over the epochs, stepped
                        per epoch; default cosine)
  --batch-size N        batch size (default 128)
  --validation F        fraction of the training set held out for validation (default 0.1)
  --samples N           training images to use (MNIST-like) or points to generate (2-D sets; default 1000)
  --seed N              random seed (default 0)
  --diagnostics-every N record gradient-flow diagnostics every N steps (default 50)
  --backend NAME        js | native (default: the best available)
  --out DIR             run folder (default runs/<dataset>-<model>-<time>)
  --detect-anomaly      stop at the first NaN/Infinity a forward or backward pass or an update
                        produces, naming the op and the step (default)
  --no-detect-anomaly   no anomaly detection (a little faster; still stops on a non-finite loss)
  --resume DIR          continue the run in DIR from its last checkpoint (options come from the
                        checkpoint; --epochs may extend it)
  --quiet               no per-epoch lines
  -h, --help            this help`;

export interface TrainOptions {
  dataset: string;
  model: 'mlp' | 'cnn';
  hidden: number[];
  filters: number[];
  activation: ActivationName;
  batchNorm: boolean;
  optimizer: OptimizerName;
  lr: number;
  lrSchedule: 'constant' | 'cosine';
  epochs: number;
  batchSize: number;
  validation: number;
  samples?: number;
  seed: number;
  diagnosticsEvery: number;
}

function intList(name: string, value: string): number[] {
  const parts = value.split(',').map((s) => s.trim());
  if (parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1)) {
    throw new UsageError(`--${name} must be a comma-separated list of positive integers, got '${value}'`);
  }
  return parts.map(Number);
}

function positiveInt(name: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--${name} must be a positive integer, got '${value}'`);
  return Number(value);
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got '${value}'`);
  return value as T;
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        dataset: { type: 'string' }, model: { type: 'string' }, hidden: { type: 'string' }, filters: { type: 'string' },
        activation: { type: 'string' }, 'batch-norm': { type: 'boolean' }, 'no-batch-norm': { type: 'boolean' },
        optimizer: { type: 'string' }, lr: { type: 'string' }, 'lr-schedule': { type: 'string' }, epochs: { type: 'string' }, 'batch-size': { type: 'string' },
        validation: { type: 'string' }, samples: { type: 'string' }, seed: { type: 'string' },
        'diagnostics-every': { type: 'string' }, backend: { type: 'string' }, out: { type: 'string' },
        resume: { type: 'string' }, quiet: { type: 'boolean' },
        'detect-anomaly': { type: 'boolean' }, 'no-detect-anomaly': { type: 'boolean' },
      },
    }).values;
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}

type Flags = ReturnType<typeof parse>;

export function resolveOptions(v: Flags): TrainOptions {
  const dataset = v.dataset ?? 'mnist';
  if (!isKnownDataset(dataset)) throw new UsageError(`--dataset must be one of ${DATASET_NAMES.join(', ')}, got '${dataset}'`);
  if (v['batch-norm'] && v['no-batch-norm']) throw new UsageError('--batch-norm and --no-batch-norm exclude each other');
  const model = oneOf('model', v.model ?? 'mlp', ['mlp', 'cnn'] as const);
  if (model === 'cnn' && dataset !== 'mnist' && dataset !== 'fashion-mnist') {
    throw new UsageError(`--model cnn needs an image data set (mnist, fashion-mnist), got '${dataset}'`);
  }
  const optimizer = oneOf('optimizer', v.optimizer ?? 'adam', OPTIMIZER_NAMES);
  let lr = OPTIMIZERS[optimizer].lr;
  if (v.lr !== undefined) {
    lr = Number(v.lr);
    if (v.lr.trim() === '' || !Number.isFinite(lr) || lr <= 0) throw new UsageError(`--lr must be a positive number, got '${v.lr}'`);
  }
  const imageSet = dataset === 'mnist' || dataset === 'fashion-mnist';
  let validation = 0.1;
  if (v.validation !== undefined) {
    validation = Number(v.validation);
    if (!(validation >= 0 && validation < 1) || v.validation.trim() === '') throw new UsageError(`--validation must be a fraction in [0, 1), got '${v.validation}'`);
  }
  let seed = 0;
  if (v.seed !== undefined) {
    if (!/^\d+$/.test(v.seed)) throw new UsageError(`--seed must be a non-negative integer, got '${v.seed}'`);
    seed = Number(v.seed);
  }
  return {
    dataset,
    model,
    hidden: v.hidden !== undefined ? intList('hidden', v.hidden) : [512, 256],
    filters: v.filters !== undefined ? intList('filters', v.filters) : [16, 32],
    activation: oneOf('activation', v.activation ?? 'relu', ACTIVATIONS),
    batchNorm: !v['no-batch-norm'],
    optimizer,
    lr,
    lrSchedule: oneOf('lr-schedule', v['lr-schedule'] ?? 'cosine', ['constant', 'cosine'] as const),
    epochs: v.epochs !== undefined ? positiveInt('epochs', v.epochs) : imageSet ? 3 : 30,
    batchSize: v['batch-size'] !== undefined ? positiveInt('batch-size', v['batch-size']) : 128,
    validation,
    samples: v.samples !== undefined ? positiveInt('samples', v.samples) : undefined,
    seed,
    diagnosticsEvery: v['diagnostics-every'] !== undefined ? positiveInt('diagnostics-every', v['diagnostics-every']) : 50,
  };
}

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

function table(rows: [string, string][]): string {
  const w = Math.max(...rows.map(([k]) => k.length));
  const v = Math.max(...rows.map(([, x]) => x.length));
  const line = `+${'-'.repeat(w + 2)}+${'-'.repeat(v + 2)}+`;
  return [line, ...rows.map(([k, x]) => `| ${k.padEnd(w)} | ${x.padEnd(v)} |`), line].join('\n');
}

interface Resumed {
  options: TrainOptions;
  state: Record<string, unknown>;
}

function readResume(dir: string, v: Flags): Resumed {
  const path = join(dir, CHECKPOINT_FILE);
  if (!existsSync(path)) throw new UsageError(`--resume: no checkpoint at ${path}`);
  const allowed = new Set(['resume', 'epochs', 'quiet', 'backend', 'detect-anomaly', 'no-detect-anomaly']);
  const extra = Object.keys(v).filter((k) => !allowed.has(k));
  if (extra.length > 0) throw new UsageError(`--resume takes its options from the checkpoint; only --epochs, --backend and --quiet may be given (got --${extra.join(', --')})`);
  let state: Record<string, unknown>;
  try {
    state = loadCheckpoint(path);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const options = { ...(state.options as TrainOptions) };
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

  const loadStart = performance.now();
  const data = loadTrainingData({ dataset: o.dataset, images: o.model === 'cnn', samples: o.samples, seed: o.seed });
  log(`nabla train: ${o.dataset} (${data.train.length.toLocaleString('en-US')} training, ${data.test.length.toLocaleString('en-US')} test samples, loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s), backend ${getBackend()}`);

  manualSeed(o.seed);
  const model = buildModel(o, data.sampleShape, data.classes.length);
  const params = model.parameters();
  const optimizer = makeOptimizer(o.optimizer, params, o.lr);
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
  const reportEpoch: Callback = {
    onEpochEnd: (ctx: TrainContext) => {
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
  });
  const seconds = (performance.now() - started) / 1000;
  const test = evaluate(model, data.test, { confusion: true });
  const epochs = history.epochs;
  const last = epochs[epochs.length - 1];
  const samplesPerSec = epochs.length ? epochs.reduce((s, e) => s + e.samplesPerSec, 0) / epochs.length : 0;
  const summary = {
    testAccuracy: test.accuracy,
    testLoss: test.loss,
    epochs: epochs.length,
    steps: history.steps,
    samplesPerSec,
    backend: getBackend(),
    parameters: paramCount,
    trainSeconds: seconds,
    final: last ?? null,
    stopReason: history.stopReason ?? null,
    diverged: history.diverged,
    options: o,
    confusionMatrix: test.confusion,
    classes: data.classes,
  };
  writeSummary(out, summary);
  writeMetrics(out, epochs, title);
  writeDiagnostics(out, diagnostics.records, `Gradient flow — ${title}`);

  const pct = (x: number | undefined) => (x === undefined ? '—' : `${(x * 100).toFixed(2)}%`);
  const num = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(4));
  console.log(table([
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
