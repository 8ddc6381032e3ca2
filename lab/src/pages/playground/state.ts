/**
 * The playground's whole state, as kept in the URL hash (TensorFlow Playground's idea): a link
 * reproduces the data, the network, the optimizer and the seed, hence the same run.
 */
import { readBool, readChoice, readNumber } from '../../ui/url-state.js';

export const DATASETS = ['spiral', 'moons', 'circles', 'xor', 'gaussians'] as const;
export type DatasetName = (typeof DATASETS)[number];

export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'leakyRelu', 'elu', 'gelu', 'linear'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

export const OPTIMIZERS = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'adamw', 'adadelta', 'ftrl'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** A learning rate that trains these small networks well with each optimizer. */
export const DEFAULT_LR: Record<OptimizerName, number> = {
  sgd: 0.1, momentum: 0.03, nesterov: 0.03, adagrad: 0.1, rmsprop: 0.01, adam: 0.01, adamw: 0.01, adadelta: 1, ftrl: 0.3,
};

export const MAX_LAYERS = 6;
export const MAX_WIDTH = 16;

export interface Layer {
  width: number;
  activation: ActivationName;
}

export interface PlaygroundState {
  dataset: DatasetName;
  /** The data set's noise parameter, 0 … 0.5. */
  noise: number;
  /** Percentage of the points used for training (the rest is the test set). */
  trainPercent: number;
  layers: Layer[];
  batchNorm: boolean;
  optimizer: OptimizerName;
  lr: number;
  batchSize: number;
  seed: number;
}

export const DEFAULT_STATE: PlaygroundState = {
  dataset: 'spiral',
  noise: 0.1,
  trainPercent: 50,
  layers: [{ width: 8, activation: 'relu' }, { width: 8, activation: 'relu' }],
  batchNorm: false,
  optimizer: 'adam',
  lr: DEFAULT_LR.adam,
  batchSize: 16,
  seed: 1,
};

function readLayers(params: URLSearchParams): Layer[] {
  const widths = params.get('layers');
  if (widths === null) return DEFAULT_STATE.layers.map((l) => ({ ...l }));
  const ws = widths === '' ? [] : widths.split(',').map(Number);
  if (ws.length > MAX_LAYERS || ws.some((w) => !Number.isInteger(w) || w < 1 || w > MAX_WIDTH)) return DEFAULT_STATE.layers.map((l) => ({ ...l }));
  const acts = (params.get('acts') ?? '').split(',');
  return ws.map((width, i) => ({
    width,
    activation: (ACTIVATIONS as readonly string[]).includes(acts[i]) ? (acts[i] as ActivationName) : 'relu',
  }));
}

export function readState(params: URLSearchParams): PlaygroundState {
  const optimizer = readChoice(params, 'opt', OPTIMIZERS, DEFAULT_STATE.optimizer);
  return {
    dataset: readChoice(params, 'data', DATASETS, DEFAULT_STATE.dataset),
    noise: readNumber(params, 'noise', DEFAULT_STATE.noise, 0, 0.5),
    trainPercent: Math.round(readNumber(params, 'train', DEFAULT_STATE.trainPercent, 10, 90)),
    layers: readLayers(params),
    batchNorm: readBool(params, 'bn', DEFAULT_STATE.batchNorm),
    optimizer,
    lr: readNumber(params, 'lr', DEFAULT_LR[optimizer], 1e-5, 10),
    batchSize: Math.round(readNumber(params, 'batch', DEFAULT_STATE.batchSize, 1, 128)),
    seed: Math.round(readNumber(params, 'seed', DEFAULT_STATE.seed, 0, 2 ** 31 - 1)),
  };
}

export function toHash(s: PlaygroundState): Record<string, string | number> {
  return {
    data: s.dataset,
    noise: s.noise,
    train: s.trainPercent,
    layers: s.layers.map((l) => l.width).join(','),
    acts: s.layers.map((l) => l.activation).join(','),
    bn: s.batchNorm ? 1 : 0,
    opt: s.optimizer,
    lr: s.lr,
    batch: s.batchSize,
    seed: s.seed,
  };
}
