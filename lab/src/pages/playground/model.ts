/**
 * The playground's network (Linear → [BatchNorm] → activation per hidden layer, then a Linear to the classes)
 * and its optimizers' labels; the optimizers themselves are `train.makeOptimizer`'s, as `nabla train` builds them.
 */
import { nn } from 'nabla';
import type { ActivationName, Layer, OptimizerName } from './state.js';

function activation(name: ActivationName): nn.Module | null {
  switch (name) {
    case 'relu': return new nn.ReLU();
    case 'tanh': return new nn.Tanh();
    case 'sigmoid': return new nn.Sigmoid();
    case 'leakyRelu': return new nn.LeakyReLU(0.01);
    case 'elu': return new nn.ELU();
    case 'gelu': return new nn.GELU();
    case 'linear': return null;
  }
}

export interface Network {
  model: nn.Sequential;
  /** The Linear layers in order, the last one the output layer (for the diagram's weights). */
  linears: nn.Linear[];
}

export function buildNetwork(inputs: number, layers: Layer[], batchNorm: boolean, classes: number): Network {
  const modules: nn.Module[] = [];
  const linears: nn.Linear[] = [];
  let fanIn = inputs;
  for (const layer of layers) {
    const linear = new nn.Linear(fanIn, layer.width);
    linears.push(linear);
    modules.push(linear);
    // As in the lecture: BatchNorm after the fully-connected layer, before the nonlinearity.
    if (batchNorm) modules.push(new nn.BatchNorm1d(layer.width));
    const act = activation(layer.activation);
    if (act) modules.push(act);
    fanIn = layer.width;
  }
  const out = new nn.Linear(fanIn, classes);
  linears.push(out);
  modules.push(out);
  return { model: new nn.Sequential(...modules), linears };
}

export const OPTIMIZER_LABELS: Record<OptimizerName, string> = {
  sgd: 'SGD', momentum: 'SGD + momentum 0.9', nesterov: 'Nesterov momentum 0.9', adagrad: 'Adagrad', rmsprop: 'RMSprop',
  adam: 'Adam', adamw: 'AdamW (weight decay 0.01)', adadelta: 'Adadelta', ftrl: 'FTRL (made for sparse linear models)',
};

