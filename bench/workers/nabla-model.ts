/** The benchmark's models and optimizers in nabla (mirrored by the PyTorch and TensorFlow.js workers). */
import { nn, optim, text } from '../../src/index.js';
import { CharGPT } from '../../src/text/char-gpt.js';
import { hiddenActivations, usesBatchNorm, type Activation, type Workload } from '../workloads.js';

function activation(name: Activation): nn.Module {
  return name === 'relu' ? new nn.ReLU() : name === 'sigmoid' ? new nn.Sigmoid() : new nn.Tanh();
}

export function buildModel(w: Workload): nn.Module {
  if (w.kind === 'gpt') return new CharGPT(w.vocab, { context: w.context, width: w.width, layers: w.layers, heads: w.heads, dropout: w.dropout });
  if (w.kind === 'lstm') {
    if (w.width !== w.hidden) throw new Error('bench: nabla\'s CharRNN has one width (embedding = hidden)');
    return new text.CharRNN(w.vocab, { cell: 'lstm', width: w.width, layers: w.layers });
  }
  if (w.kind === 'mlp') {
    const layers: nn.Module[] = [];
    const activations = hiddenActivations(w);
    let inputs = 784;
    w.hidden.forEach((h, i) => {
      layers.push(new nn.Linear(inputs, h));
      if (usesBatchNorm(w)) layers.push(new nn.BatchNorm1d(h));
      layers.push(activation(activations[i]));
      inputs = h;
    });
    layers.push(new nn.Linear(inputs, 10));
    return new nn.Sequential(...layers);
  }
  const [c1, c2] = w.channels;
  return new nn.Sequential(
    new nn.Conv2d(1, c1, 3, { padding: 1 }), new nn.BatchNorm2d(c1), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(c1, c2, 3, { padding: 1 }), new nn.BatchNorm2d(c2), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Linear(c2 * 7 * 7, 10),
  );
}

export function buildOptimizer(w: Workload, net: nn.Module): optim.Adam | optim.AdamW | optim.SGD {
  const spec = w.optimizer;
  if (spec.name === 'adamw') return new optim.AdamW(net.parameters(), { lr: spec.lr });
  return spec.name === 'adam'
    ? new optim.Adam(net.parameters(), { lr: spec.lr })
    : new optim.SGD(net.parameters(), { lr: spec.lr, momentum: spec.momentum });
}
