/** `nabla train`'s options: the help text, parsing the command line, and checking every value. */
import { parseArgs } from 'node:util';
import { UsageError } from './command.js';
import { ACTIVATIONS, type ActivationName } from '../train/models.js';
import { OPTIMIZER_NAMES, OPTIMIZERS, type OptimizerName } from '../train/optimizers.js';
import { DATASET_NAMES, isKnownDataset } from '../train/datasets.js';
import { CHECKPOINT_FILE, MODEL_FILE } from '../train/run-folder.js';
import { HASH_BITS_DEFAULT, HASH_BITS_MAX, HASH_BITS_MIN } from '../text/hashing.js';
import { CHAR_DATASETS, isCharDataset } from '../text/char-corpus.js';
import { CHAR_MODELS, type CharModelName } from '../text/char-models.js';

export const TEXT_MODELS = ['logistic', 'bag'] as const;
export const TEXT_OPTIMIZERS = ['ftrl', 'adagrad', 'sgd'] as const;
export type TextOptimizerName = (typeof TEXT_OPTIMIZERS)[number];
/** The bag model's table is 2^bits × hidden floats (and as much again in the optimizer's state): 2^18 × 64 is 64 MB. */
const BAG_HASH_BITS_DEFAULT = 18;
const TEXT_LR: Record<TextOptimizerName, number> = { ftrl: 0.1, adagrad: 0.1, sgd: 0.1 };

/** The character language models' defaults (--context, --layers, --width, --heads). */
export const LM_DEFAULTS = { context: 64, heads: 4, batch: 32, gpt: { layers: 4, width: 128 }, rnn: { layers: 2, width: 256 } } as const;
export const LM_LR: Record<CharModelName, number> = { gpt: 3e-3, lstm: 2e-3, gru: 2e-3, rnn: 2e-3, bigram: 0.03 };

export const HELP = `Usage: nabla train [options]

Trains a network and writes a run folder (summary.json, metrics.csv, curves.svg/png,
diagnostics.json/svg/png, ${CHECKPOINT_FILE} to resume, and ${MODEL_FILE}: the model with its
architecture, preprocessing and class names, for nabla evaluate, predict and export).

Options:
  --dataset NAME        ${DATASET_NAMES.join(' | ')} (default mnist);
                        ${CHAR_DATASETS.join(' | ')} for a character language model (below)
  --model NAME          mlp | cnn | logistic | bag | ${CHAR_MODELS.join(' | ')} (default mlp; logistic for text
                        data; gpt for brown, words, text:PATH)
  --hidden 512,256      hidden widths of the MLP (default 512,256); for bag, its embedding width (default 64)
  --filters 16,32       output channels of the CNN's conv blocks (default 16,32)
  --activation NAME     ${ACTIVATIONS.join(' | ')} (default relu)
  --batch-norm          BatchNorm after each Linear/Conv, before the activation (default)
  --no-batch-norm       no BatchNorm
  --optimizer NAME      ${OPTIMIZER_NAMES.join(' | ')} (default adam)
  --lr X                learning rate (default per optimizer: ${OPTIMIZER_NAMES.map((n) => `${n} ${OPTIMIZERS[n].lr}`).join(', ')})
  --epochs N            epochs (default 3 for MNIST-like sets, 30 otherwise)
  --lr-schedule NAME    constant | cosine (cosine annealing to 0 over the epochs, stepped
                        per epoch; default cosine)
  --batch-size N        batch size (default 128; 32 for language models); --batch N is the same
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
  -h, --help            this help

Text (--dataset spam | csv:PATH --text-column NAME; --model logistic | bag):
  --model logistic      logistic regression on hashed features: EmbeddingBag(2^bits, classes, sum,
                        sparse) + bias, weights from zero (default for text)
  --model bag           fastText-style: EmbeddingBag(2^bits, --hidden, mean, sparse) → ReLU → Linear
  --text-column NAME    the CSV column holding the text (name or 0-based index)
  --label-column NAME   the CSV column holding the label (default: the last other column)
  --hash-bits N         2^N hash buckets, N from ${HASH_BITS_MIN} to ${HASH_BITS_MAX} (default ${HASH_BITS_DEFAULT}, bag ${BAG_HASH_BITS_DEFAULT}); tokens are lowercased
                        words (headers included), hashed with MurmurHash3_x86_32
  --bigrams             also hash pairs of neighbouring tokens
  --online              one pass over the training data in order, batch 1, with progressive
                        validation (each example scored before it is trained on)
  --optimizer NAME      for text: ${TEXT_OPTIMIZERS.join(' | ')} (sparse updates; default ftrl for
                        logistic, adagrad for bag)
  --lr X                for text: default ftrl 0.1 (α), adagrad 0.1, sgd 0.1
  --l1 X --l2 X         FTRL's L1 and L2 strengths (text defaults 1 and 1; image/table runs 0 and 0);
                        Keras's convention: the L2 term in the denominator is 2·l2
  --beta X              FTRL's β (text default 1; else 0)
  --l1-sweep LIST       train once per L1 value (e.g. 0,0.1,0.3,1,3,10) and write l1-sweep.csv/json/svg/png
                        (test accuracy and nonzero weights per L1) into the run folder
  Text runs default to --epochs 1, --batch-size 1, --validation 0, --lr-schedule constant.

Character language models (--dataset brown | words | text:PATH; --model gpt | lstm | gru | rnn | bigram):
  Each step predicts every next character of --batch random windows of --context + 1 characters
  of the training text (cross-entropy over all positions; gradients clipped to norm 1); the run
  reports the held-out bits per character and writes samples/epoch-N.txt after each epoch.
  brown: the Brown corpus (500 documents, every tenth held out); words: 274,937 English words, one
  a line (every tenth held out); text:PATH: a UTF-8 file (its last tenth held out).
  --model gpt           a decoder-only Transformer (default)
  --model lstm | gru    a recurrent network with that cell
  --model rnn           the same with the plain (Elman, tanh) cell
  --model bigram        a table of next-character logits (one character of context; a baseline)
  --context N           window length in characters (default ${LM_DEFAULTS.context})
  --layers N            Transformer blocks or recurrent layers (default gpt ${LM_DEFAULTS.gpt.layers}, lstm/gru/rnn ${LM_DEFAULTS.rnn.layers})
  --width N             embedding / hidden width (default gpt ${LM_DEFAULTS.gpt.width}, lstm/gru/rnn ${LM_DEFAULTS.rnn.width})
  --heads N             attention heads, dividing --width (gpt; default ${LM_DEFAULTS.heads})
  --dropout P           dropout probability in the model (default 0)
  --steps N             train for N optimizer steps (instead of --epochs; an epoch is the steps that
                        show the model as many characters as the training text holds)
  --time-limit S        stop training after S seconds of wall clock, then evaluate (with --epochs or
                        --steps: whichever ends first)
  --optimizer NAME      default adamw (weight decay 0.01, PyTorch's default)
  --lr X                default gpt ${LM_LR.gpt}, lstm/gru/rnn ${LM_LR.lstm}, bigram ${LM_LR.bigram}
  --lr-schedule NAME    cosine (default): linear warm-up over the first 100 steps (a tenth of a
                        shorter --steps budget), then cosine decay to lr/10 at the end of the budget;
                        constant: the warm-up, then lr
  Language-model runs default to --epochs 1 (unless --steps or --time-limit is given), --batch 32.`;

export interface TextTrainOptions {
  hashBits: number;
  bigrams: boolean;
  textColumn?: string;
  labelColumn?: string;
  online: boolean;
  l1Sweep?: number[];
}

export interface LmTrainOptions {
  context: number;
  layers: number;
  width: number;
  heads: number;
  dropout: number;
  /** The step budget (--steps), if given. */
  steps?: number;
  /** The time budget in seconds (--time-limit), if given. */
  timeLimit?: number;
}

export interface TrainOptions {
  dataset: string;
  model: 'mlp' | 'cnn' | 'logistic' | 'bag' | CharModelName;
  hidden: number[];
  filters: number[];
  activation: ActivationName;
  batchNorm: boolean;
  optimizer: OptimizerName;
  lr: number;
  lrSchedule: 'constant' | 'cosine';
  /** Epochs to train; for a language model, 0 when its budget is --steps or --time-limit alone. */
  epochs: number;
  batchSize: number;
  validation: number;
  samples?: number;
  seed: number;
  diagnosticsEvery: number;
  /** FTRL's l1, l2 and beta (given or the text defaults; absent for other runs without the flags). */
  l1?: number;
  l2?: number;
  beta?: number;
  /** Set for text runs (--model logistic | bag). */
  text?: TextTrainOptions;
  /** Set for character language models (--dataset brown | words | text:PATH). */
  lm?: LmTrainOptions;
}

export function isLmRun(o: TrainOptions): boolean {
  return o.lm !== undefined;
}

export function isTextRun(o: TrainOptions): boolean {
  return o.model === 'logistic' || o.model === 'bag';
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
        'text-column': { type: 'string' }, 'label-column': { type: 'string' }, 'hash-bits': { type: 'string' }, bigrams: { type: 'boolean' },
        online: { type: 'boolean' }, l1: { type: 'string' }, l2: { type: 'string' }, beta: { type: 'string' }, 'l1-sweep': { type: 'string' },
        batch: { type: 'string' }, context: { type: 'string' }, layers: { type: 'string' }, width: { type: 'string' }, heads: { type: 'string' },
        dropout: { type: 'string' }, steps: { type: 'string' }, 'time-limit': { type: 'string' },
      },
    }).values;
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}

export type Flags = ReturnType<typeof parse>;

/** The batch-size flag the user typed (--batch is its short form), for messages. */
const batchFlag = (v: Flags) => (v.batch !== undefined ? 'batch' : 'batch-size');

function nonNegativeNumber(name: string, value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x) || x < 0) throw new UsageError(`--${name} must be a non-negative number, got '${value}'`);
  return x;
}

const TEXT_ONLY = ['text-column', 'label-column', 'hash-bits', 'bigrams', 'online', 'l1-sweep'] as const;
const LM_ONLY = ['context', 'layers', 'width', 'heads', 'dropout', 'steps', 'time-limit'] as const;

export function resolveOptions(v: Flags): TrainOptions {
  if (v.batch !== undefined) {
    if (v['batch-size'] !== undefined) throw new UsageError('--batch and --batch-size are the same option: give one');
    v = { ...v, 'batch-size': v.batch };
  }
  const dataset = v.dataset ?? 'mnist';
  if (isCharDataset(dataset) || (CHAR_MODELS as readonly string[]).includes(v.model ?? '')) return resolveLmOptions(v, dataset);
  const lmFlag = LM_ONLY.find((f) => v[f] !== undefined);
  if (lmFlag) throw new UsageError(`--${lmFlag} is for character language models (--dataset ${CHAR_DATASETS.join(' | ')})`);
  if (!isKnownDataset(dataset)) throw new UsageError(`--dataset must be one of ${DATASET_NAMES.join(', ')}, got '${dataset}'`);
  if (v['batch-norm'] && v['no-batch-norm']) throw new UsageError('--batch-norm and --no-batch-norm exclude each other');
  const textData = dataset === 'spam' || (dataset.startsWith('csv:') && v['text-column'] !== undefined);
  const model = oneOf('model', v.model ?? (textData ? 'logistic' : 'mlp'), ['mlp', 'cnn', ...TEXT_MODELS] as const);
  if (model === 'logistic' || model === 'bag') return resolveTextOptions(v, dataset, model);
  if (textData) throw new UsageError(`--dataset ${dataset}${dataset === 'spam' ? '' : ' --text-column'} is text: --model must be logistic or bag, got '${model}'`);
  const textFlag = TEXT_ONLY.find((f) => v[f] !== undefined);
  if (textFlag) throw new UsageError(`--${textFlag} is for text models (--model logistic | bag)`);
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
    batchSize: v['batch-size'] !== undefined ? positiveInt(batchFlag(v), v['batch-size']) : 128,
    validation,
    samples: v.samples !== undefined ? positiveInt('samples', v.samples) : undefined,
    seed,
    diagnosticsEvery: v['diagnostics-every'] !== undefined ? positiveInt('diagnostics-every', v['diagnostics-every']) : 50,
    ...ftrlFlags(v, optimizer, {}),
  };
}

/** --l1, --l2, --beta: FTRL's, refused for another optimizer; `defaults` fill the ones not given. */
function ftrlFlags(v: Flags, optimizer: string, defaults: { l1?: number; l2?: number; beta?: number }): { l1?: number; l2?: number; beta?: number } {
  const given = (['l1', 'l2', 'beta'] as const).filter((k) => v[k] !== undefined);
  if (optimizer !== 'ftrl') {
    if (given.length > 0) throw new UsageError(`--${given[0]} is an FTRL option (--optimizer ftrl), got --optimizer ${optimizer}`);
    return {};
  }
  const out: { l1?: number; l2?: number; beta?: number } = { ...defaults };
  for (const k of given) out[k] = nonNegativeNumber(k, v[k]!);
  return out;
}

function parseSweep(value: string): number[] {
  const parts = value.split(',').map((p) => p.trim());
  const values = parts.map(Number);
  if (parts.some((p) => p === '') || values.some((x) => !Number.isFinite(x) || x < 0)) {
    throw new UsageError(`--l1-sweep must be a comma-separated list of non-negative numbers, got '${value}'`);
  }
  return values;
}

function resolveTextOptions(v: Flags, dataset: string, model: 'logistic' | 'bag'): TrainOptions {
  if (dataset !== 'spam' && !dataset.startsWith('csv:')) throw new UsageError(`--model ${model} needs a text data set (spam, or csv:PATH with --text-column NAME), got '${dataset}'`);
  if (dataset.startsWith('csv:') && v['text-column'] === undefined) throw new UsageError(`--model ${model} on a CSV file needs --text-column NAME (the column holding the text)`);
  if (dataset === 'spam' && (v['text-column'] !== undefined || v['label-column'] !== undefined)) throw new UsageError('--text-column and --label-column are for csv:PATH data sets');
  for (const flag of ['filters', 'activation', 'batch-norm', 'no-batch-norm'] as const) {
    if (v[flag] !== undefined) throw new UsageError(`--${flag} does not apply to --model ${model}`);
  }
  if (v.hidden !== undefined && model === 'logistic') throw new UsageError('--hidden does not apply to --model logistic (it has no hidden layer; --model bag has)');
  let hashBits = model === 'bag' ? BAG_HASH_BITS_DEFAULT : HASH_BITS_DEFAULT;
  if (v['hash-bits'] !== undefined) {
    hashBits = Number(v['hash-bits']);
    if (!/^\d+$/.test(v['hash-bits']) || hashBits < HASH_BITS_MIN || hashBits > HASH_BITS_MAX) {
      throw new UsageError(`--hash-bits must be an integer from ${HASH_BITS_MIN} to ${HASH_BITS_MAX} (2^N buckets; feature ids must be int32s and the table fit in memory), got '${v['hash-bits']}'`);
    }
  }
  // FTRL's L1 zeroes the bag's randomly initialized embeddings (all ReLUs die: 69% on spam); Adagrad trains it (99.2%).
  const optimizer = oneOf('optimizer', v.optimizer ?? (model === 'bag' ? 'adagrad' : 'ftrl'), TEXT_OPTIMIZERS);
  let lr = TEXT_LR[optimizer];
  if (v.lr !== undefined) {
    lr = Number(v.lr);
    if (v.lr.trim() === '' || !Number.isFinite(lr) || lr <= 0) throw new UsageError(`--lr must be a positive number, got '${v.lr}'`);
  }
  const online = v.online === true;
  if (online) {
    for (const flag of ['epochs', 'batch-size'] as const) {
      if (v[flag] !== undefined) throw new UsageError(`--online is one pass with batch 1: --${flag} does not apply`);
    }
  }
  let validation = 0;
  if (v.validation !== undefined) {
    validation = Number(v.validation);
    if (!(validation >= 0 && validation < 1) || v.validation.trim() === '') throw new UsageError(`--validation must be a fraction in [0, 1), got '${v.validation}'`);
  }
  if ((v['lr-schedule'] ?? 'constant') !== 'constant') throw new UsageError('--lr-schedule: text runs keep a constant learning rate (FTRL and Adagrad decay theirs per coordinate)');
  let seed = 0;
  if (v.seed !== undefined) {
    if (!/^\d+$/.test(v.seed)) throw new UsageError(`--seed must be a non-negative integer, got '${v.seed}'`);
    seed = Number(v.seed);
  }
  if (v['l1-sweep'] !== undefined && optimizer !== 'ftrl') throw new UsageError('--l1-sweep needs --optimizer ftrl');
  if (v['l1-sweep'] !== undefined && v.l1 !== undefined) throw new UsageError('--l1 and --l1-sweep exclude each other');
  return {
    dataset,
    model,
    hidden: model === 'bag' ? (v.hidden !== undefined ? intList('hidden', v.hidden) : [64]).slice(0, 1) : [],
    filters: [],
    activation: 'relu',
    batchNorm: false,
    optimizer,
    lr,
    lrSchedule: 'constant',
    epochs: online ? 1 : v.epochs !== undefined ? positiveInt('epochs', v.epochs) : 1,
    batchSize: online ? 1 : v['batch-size'] !== undefined ? positiveInt(batchFlag(v), v['batch-size']) : 1,
    validation,
    samples: v.samples !== undefined ? positiveInt('samples', v.samples) : undefined,
    seed,
    diagnosticsEvery: 0,
    ...ftrlFlags(v, optimizer, { l1: 1, l2: 1, beta: 1 }),
    text: {
      hashBits,
      bigrams: v.bigrams === true,
      ...(v['text-column'] !== undefined ? { textColumn: v['text-column'] } : {}),
      ...(v['label-column'] !== undefined ? { labelColumn: v['label-column'] } : {}),
      online,
      ...(v['l1-sweep'] !== undefined ? { l1Sweep: parseSweep(v['l1-sweep']) } : {}),
    },
  };
}

function positiveNumber(name: string, value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x) || x <= 0) throw new UsageError(`--${name} must be a positive number, got '${value}'`);
  return x;
}

function resolveLmOptions(v: Flags, dataset: string): TrainOptions {
  const model = v.model ?? 'gpt';
  if (!(CHAR_MODELS as readonly string[]).includes(model)) {
    throw new UsageError(`--dataset ${dataset} is text for a character language model: --model must be ${CHAR_MODELS.join(', ')}, got '${model}'`);
  }
  if (!isCharDataset(dataset)) {
    throw new UsageError(`--model ${model} is a character language model: --dataset must be ${CHAR_DATASETS.join(', ')}, got '${dataset}'`);
  }
  const name = model as CharModelName;
  const refused = [...TEXT_ONLY, 'hidden', 'filters', 'activation', 'batch-norm', 'no-batch-norm', 'validation', 'samples', 'diagnostics-every'] as const;
  const flag = refused.find((f) => v[f] !== undefined);
  if (flag) throw new UsageError(`--${flag} does not apply to a character language model (--model ${name})`);
  if (name !== 'gpt' && v.heads !== undefined) throw new UsageError(`--heads is for --model gpt, got --model ${name}`);
  if (name === 'bigram') {
    const f = (['layers', 'width', 'dropout'] as const).find((k) => v[k] !== undefined);
    if (f) throw new UsageError(`--${f} does not apply to --model bigram (a table of next-character logits)`);
  }
  if (v.steps !== undefined && v.epochs !== undefined) throw new UsageError('--steps and --epochs exclude each other (an epoch is a number of steps)');
  const rnn = name === 'lstm' || name === 'gru' || name === 'rnn';
  const context = v.context !== undefined ? positiveInt('context', v.context) : LM_DEFAULTS.context;
  const layers = v.layers !== undefined ? positiveInt('layers', v.layers) : rnn ? LM_DEFAULTS.rnn.layers : LM_DEFAULTS.gpt.layers;
  const width = v.width !== undefined ? positiveInt('width', v.width) : rnn ? LM_DEFAULTS.rnn.width : LM_DEFAULTS.gpt.width;
  const heads = v.heads !== undefined ? positiveInt('heads', v.heads) : LM_DEFAULTS.heads;
  if (name === 'gpt' && width % heads !== 0) throw new UsageError(`--heads ${heads} must divide --width ${width} (each head gets width / heads dimensions)`);
  let dropout = 0;
  if (v.dropout !== undefined) {
    dropout = Number(v.dropout);
    if (v.dropout.trim() === '' || !(dropout >= 0 && dropout < 1)) throw new UsageError(`--dropout must be a probability in [0, 1), got '${v.dropout}'`);
  }
  const steps = v.steps !== undefined ? positiveInt('steps', v.steps) : undefined;
  const timeLimit = v['time-limit'] !== undefined ? positiveNumber('time-limit', v['time-limit']) : undefined;
  const optimizer = oneOf('optimizer', v.optimizer ?? 'adamw', OPTIMIZER_NAMES);
  const lr = v.lr !== undefined ? positiveNumber('lr', v.lr) : optimizer === 'adamw' ? LM_LR[name] : OPTIMIZERS[optimizer].lr;
  let seed = 0;
  if (v.seed !== undefined) {
    if (!/^\d+$/.test(v.seed)) throw new UsageError(`--seed must be a non-negative integer, got '${v.seed}'`);
    seed = Number(v.seed);
  }
  const epochs = v.epochs !== undefined ? positiveInt('epochs', v.epochs) : steps === undefined && timeLimit === undefined ? 1 : 0;
  return {
    dataset,
    model: name,
    hidden: [],
    filters: [],
    activation: 'relu',
    batchNorm: false,
    optimizer,
    lr,
    lrSchedule: oneOf('lr-schedule', v['lr-schedule'] ?? 'cosine', ['constant', 'cosine'] as const),
    epochs,
    batchSize: v['batch-size'] !== undefined ? positiveInt(batchFlag(v), v['batch-size']) : LM_DEFAULTS.batch,
    validation: 0,
    seed,
    diagnosticsEvery: 0,
    ...ftrlFlags(v, optimizer, {}),
    lm: { context, layers, width, heads, dropout, ...(steps !== undefined ? { steps } : {}), ...(timeLimit !== undefined ? { timeLimit } : {}) },
  };
}
