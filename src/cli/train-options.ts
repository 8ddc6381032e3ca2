/** `nabla train`'s options: the help text, parsing the command line, and checking every value. */
import { parseArgs } from 'node:util';
import { UsageError } from './command.js';
import { ACTIVATIONS, type ActivationName } from '../train/models.js';
import { OPTIMIZER_NAMES, OPTIMIZERS, type OptimizerName } from '../train/optimizers.js';
import { DATASET_NAMES, isKnownDataset } from '../train/datasets.js';
import { CHECKPOINT_FILE, MODEL_FILE } from '../train/run-folder.js';

export const HELP = `Usage: nabla train [options]

Trains a network and writes a run folder (summary.json, metrics.csv, curves.svg/png,
diagnostics.json/svg/png, ${CHECKPOINT_FILE} to resume, and ${MODEL_FILE}: the model with its
architecture, preprocessing and class names, for nabla evaluate, predict and export).

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

export function positiveInt(name: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--${name} must be a positive integer, got '${value}'`);
  return Number(value);
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got '${value}'`);
  return value as T;
}

export function parse(argv: string[]) {
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

export type Flags = ReturnType<typeof parse>;

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
