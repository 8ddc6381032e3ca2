/** The networks `nabla train` builds: an MLP and a small CNN, with the lecture's placement of BatchNorm (after Linear/Conv, before the nonlinearity). */
import { Sequential } from '../nn/sequential.js';
import { Linear } from '../nn/linear.js';
import { BatchNorm1d, BatchNorm2d } from '../nn/batch-norm.js';
import { Conv2d } from '../nn/conv2d.js';
import { MaxPool2d } from '../nn/pool.js';
import { Flatten } from '../nn/flatten.js';
import { ReLU, Sigmoid, Tanh } from '../nn/activation-modules.js';
import type { Module } from '../nn/module.js';

export type ActivationName = 'relu' | 'sigmoid' | 'tanh';
export const ACTIVATIONS: ActivationName[] = ['relu', 'sigmoid', 'tanh'];

export function activationModule(name: ActivationName): Module {
  switch (name) {
    case 'relu': return new ReLU();
    case 'sigmoid': return new Sigmoid();
    case 'tanh': return new Tanh();
    default: throw new Error(`activation: unknown '${String(name)}'; expected one of ${ACTIVATIONS.join(', ')}`);
  }
}

export interface MlpSpec {
  inputs: number;
  hidden: number[];
  classes: number;
  activation: ActivationName;
  batchNorm: boolean;
}

/** Linear → [BatchNorm1d] → activation for each hidden width, then a Linear to the class logits. */
export function buildMlp(spec: MlpSpec): Sequential {
  const net = new Sequential();
  let width = spec.inputs;
  for (const h of spec.hidden) {
    net.append(new Linear(width, h));
    if (spec.batchNorm) net.append(new BatchNorm1d(h));
    net.append(activationModule(spec.activation));
    width = h;
  }
  net.append(new Linear(width, spec.classes));
  return net;
}

export interface CnnSpec {
  channels: number;
  height: number;
  width: number;
  /** Output channels of each conv block (3×3 conv, padding 1, then 2×2 max pooling). */
  filters: number[];
  classes: number;
  activation: ActivationName;
  batchNorm: boolean;
}

/** Conv → [BatchNorm2d] → activation → MaxPool blocks, then Flatten and a Linear to the logits. */
export function buildCnn(spec: CnnSpec): Sequential {
  const net = new Sequential();
  let c = spec.channels;
  let h = spec.height;
  let w = spec.width;
  for (const f of spec.filters) {
    net.append(new Conv2d(c, f, 3, { padding: 1 }));
    if (spec.batchNorm) net.append(new BatchNorm2d(f));
    net.append(activationModule(spec.activation));
    net.append(new MaxPool2d(2));
    c = f;
    h = Math.floor(h / 2);
    w = Math.floor(w / 2);
  }
  net.append(new Flatten());
  net.append(new Linear(c * h * w, spec.classes));
  return net;
}
