/** The optimizers `nabla train` offers by name, with the learning rate each starts from by default. */
import type { Tensor } from '../tensor.js';
import { SGD } from '../optim/sgd.js';
import { Adagrad } from '../optim/adagrad.js';
import { RMSprop } from '../optim/rmsprop.js';
import { Adam } from '../optim/adam.js';
import { AdamW } from '../optim/adamw.js';
import { Adadelta } from '../optim/adadelta.js';
import { FTRL } from '../optim/ftrl.js';
import type { TrainableOptimizer } from './callbacks/callback.js';

export const OPTIMIZERS = {
  sgd: { lr: 0.1, make: (p: Tensor[], lr: number) => new SGD(p, { lr }) },
  momentum: { lr: 0.01, make: (p: Tensor[], lr: number) => new SGD(p, { lr, momentum: 0.9 }) },
  nesterov: { lr: 0.01, make: (p: Tensor[], lr: number) => new SGD(p, { lr, momentum: 0.9, nesterov: true }) },
  adagrad: { lr: 0.01, make: (p: Tensor[], lr: number) => new Adagrad(p, { lr }) },
  rmsprop: { lr: 0.001, make: (p: Tensor[], lr: number) => new RMSprop(p, { lr }) },
  adam: { lr: 0.001, make: (p: Tensor[], lr: number) => new Adam(p, { lr }) },
  adamw: { lr: 0.001, make: (p: Tensor[], lr: number) => new AdamW(p, { lr }) },
  adadelta: { lr: 1.0, make: (p: Tensor[], lr: number) => new Adadelta(p, { lr }) },
  ftrl: { lr: 0.05, make: (p: Tensor[], lr: number, o?: FtrlExtras) => new FTRL(p, { lr, ...Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) }) },
} satisfies Record<string, { lr: number; make: (p: Tensor[], lr: number, o?: FtrlExtras) => TrainableOptimizer }>;

/** FTRL's options beyond lr that `nabla train` passes (--l1, --l2, --beta; the text runs' initialAccumulatorValue 0). */
export interface FtrlExtras {
  l1?: number;
  l2?: number;
  beta?: number;
  initialAccumulatorValue?: number;
}

export type OptimizerName = keyof typeof OPTIMIZERS;
export const OPTIMIZER_NAMES = Object.keys(OPTIMIZERS) as OptimizerName[];

export function makeOptimizer(name: OptimizerName, params: Tensor[], lr?: number, ftrl?: FtrlExtras): TrainableOptimizer {
  const entry = OPTIMIZERS[name];
  if (!entry) throw new Error(`optimizer: unknown '${String(name)}'; expected one of ${OPTIMIZER_NAMES.join(', ')}`);
  if (ftrl !== undefined && name !== 'ftrl') throw new Error(`optimizer: l1, l2, beta are FTRL's options, not ${name}'s`);
  return name === 'ftrl' ? OPTIMIZERS.ftrl.make(params, lr ?? entry.lr, ftrl) : entry.make(params, lr ?? entry.lr);
}
