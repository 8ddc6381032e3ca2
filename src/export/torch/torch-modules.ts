/**
 * Each library module as the PyTorch module that computes the same function with the same
 * state-dict entries: the constructor call model.py's build_model() writes. A module of any other
 * class (a user's subclass, a custom layer) is refused with its type and dotted path.
 */
import type { Module } from '../../nn/module.js';
import type { Linear } from '../../nn/linear.js';
import type { Conv2d } from '../../nn/conv2d.js';
import type { BatchNormBase } from '../../nn/batch-norm.js';
import type { LayerNorm } from '../../nn/layer-norm.js';
import type { AvgPool2d, MaxPool2d } from '../../nn/pool.js';
import type { Flatten } from '../../nn/flatten.js';
import type { Dropout } from '../../nn/dropout.js';
import type { ELU, LeakyReLU, LogSoftmax, Softmax } from '../../nn/activation-modules.js';
import type { Embedding, EmbeddingBag } from '../../nn/embedding.js';
import type { RecurrentBase } from '../../nn/recurrent.js';
import type { RNN } from '../../nn/rnn.js';
import { moduleTypeName } from '../../serialize/module-spec.js';
import { pyFloat, pyInt, pyPair } from './python-literals.js';
import { MODEL_CLASSES } from './char-models-py.js';

/** A PyTorch constructor call: `nn.Linear` with its arguments, or a Sequential with its children. */
export interface TorchCall {
  cls: string;
  args: string[];
  children?: TorchCall[];
  /** The Python source of `cls` when model.py defines it (char-models-py.ts). */
  definition?: string;
}

type Translate<M extends Module> = (m: M, fail: (why: string) => never) => string[];
interface Entry {
  cls: string;
  args: Translate<Module>;
}

function entry<M extends Module>(cls: string, args: Translate<M>): Entry {
  return { cls, args: args as unknown as Translate<Module> };
}

const flag = (on: boolean, text: string) => (on ? [text] : []);

function pool(kind: 'max' | 'avg'): Translate<MaxPool2d | AvgPool2d> {
  return (m, fail) => {
    if (m.padding[0] > m.kernelSize[0] / 2 || m.padding[1] > m.kernelSize[1] / 2) {
      fail(`padding [${m.padding}] is more than half the kernel size [${m.kernelSize}], which PyTorch refuses`);
    }
    return [
      `kernel_size=${pyPair(m.kernelSize)}`, `stride=${pyPair(m.stride)}`,
      ...flag(m.padding[0] > 0 || m.padding[1] > 0, `padding=${pyPair(m.padding)}`),
      ...flag(kind === 'avg', 'count_include_pad=True'),
    ];
  };
}

const batchNorm: Translate<BatchNormBase> = (m) => [
  pyInt(m.numFeatures), `eps=${pyFloat(m.eps)}`, `momentum=${pyFloat(m.momentum)}`,
  ...flag(!m.affine, 'affine=False'), ...flag(!m.trackRunningStats, 'track_running_stats=False'),
];

/** nn.Embedding's and nn.EmbeddingBag's padding_idx and sparse (the weight is `weight` on both sides). */
const embeddingFlags = (m: Embedding | EmbeddingBag) => [
  ...flag(m.paddingIdx !== null, `padding_idx=${pyInt(m.paddingIdx ?? 0)}`), ...flag(m.sparse, 'sparse=True'),
];

/** nn.RNN's, nn.LSTM's and nn.GRU's arguments (their weights are named as nabla's, in snake_case). */
const recurrent: Translate<RecurrentBase> = (m) => [
  pyInt(m.inputSize), pyInt(m.hiddenSize), ...flag(m.numLayers !== 1, `num_layers=${pyInt(m.numLayers)}`),
  ...flag(!m.bias, 'bias=False'), ...flag(m.batchFirst, 'batch_first=True'), ...flag(m.dropout !== 0, `dropout=${pyFloat(m.dropout)}`),
  ...flag(m.bidirectional, 'bidirectional=True'),
];

/** The layers that return [output, state]: a Sequential cannot pass that on, in PyTorch as in nabla. */
const RECURRENT = new Set(['RNN', 'LSTM', 'GRU']);

/** The library's module types (module-spec.ts's names) that have a PyTorch equivalent. */
const TORCH_MODULES: Record<string, Entry> = {
  Linear: entry<Linear>('nn.Linear', (m) => [pyInt(m.inFeatures), pyInt(m.outFeatures), ...flag(m.bias === null, 'bias=False')]),
  Conv2d: entry<Conv2d>('nn.Conv2d', (m) => [
    pyInt(m.inChannels), pyInt(m.outChannels), `kernel_size=${pyPair(m.kernelSize)}`, `stride=${pyPair(m.stride)}`,
    ...flag(m.padding[0] > 0 || m.padding[1] > 0, `padding=${pyPair(m.padding)}`),
    ...flag(m.dilation[0] !== 1 || m.dilation[1] !== 1, `dilation=${pyPair(m.dilation)}`),
    ...flag(m.bias === null, 'bias=False'),
  ]),
  BatchNorm1d: entry('nn.BatchNorm1d', batchNorm),
  BatchNorm2d: entry('nn.BatchNorm2d', batchNorm),
  LayerNorm: entry<LayerNorm>('nn.LayerNorm', (m) => [
    m.normalizedShape.length === 1 ? pyInt(m.normalizedShape[0]) : `(${m.normalizedShape.map(pyInt).join(', ')})`,
    `eps=${pyFloat(m.eps)}`, ...flag(!m.elementwiseAffine, 'elementwise_affine=False'),
  ]),
  MaxPool2d: entry('nn.MaxPool2d', pool('max')),
  AvgPool2d: entry('nn.AvgPool2d', pool('avg')),
  Flatten: entry<Flatten>('nn.Flatten', (m) => [`start_dim=${pyInt(m.startDim)}`, `end_dim=${pyInt(m.endDim)}`]),
  Dropout: entry<Dropout>('nn.Dropout', (m) => [`p=${pyFloat(m.p)}`]),
  ReLU: entry('nn.ReLU', () => []),
  Sigmoid: entry('nn.Sigmoid', () => []),
  Tanh: entry('nn.Tanh', () => []),
  // nabla's gelu is the exact form x·Φ(x) with erf, PyTorch's default (approximate='none').
  GELU: entry('nn.GELU', () => []),
  LeakyReLU: entry<LeakyReLU>('nn.LeakyReLU', (m) => [`negative_slope=${pyFloat(m.negativeSlope)}`]),
  ELU: entry<ELU>('nn.ELU', (m) => [`alpha=${pyFloat(m.alpha)}`]),
  Softmax: entry<Softmax>('nn.Softmax', (m) => [`dim=${pyInt(m.axis)}`]),
  LogSoftmax: entry<LogSoftmax>('nn.LogSoftmax', (m) => [`dim=${pyInt(m.axis)}`]),
  Embedding: entry<Embedding>('nn.Embedding', (m) => [pyInt(m.numEmbeddings), pyInt(m.embeddingDim), ...embeddingFlags(m)]),
  RNN: entry<RNN>('nn.RNN', (m, fail) => [...recurrent(m, fail), ...flag(m.nonlinearity === 'relu', "nonlinearity='relu'")]),
  LSTM: entry('nn.LSTM', recurrent),
  GRU: entry('nn.GRU', recurrent),
  EmbeddingBag: entry<EmbeddingBag>('nn.EmbeddingBag', (m) => [
    pyInt(m.numEmbeddings), pyInt(m.embeddingDim), `mode='${m.mode}'`, ...embeddingFlags(m),
  ]),
};

/** The module types whose input is integer ids, not float features. */
const ID_MODULES = new Set(['Embedding', 'EmbeddingBag']);

/**
 * The type name of the model's first leaf module when it takes integer ids (an Embedding or
 * EmbeddingBag), else null: such a model's input is ids, which are never standardized.
 */
export function idsInputModule(model: Module): string | null {
  const first = model.modules().find((m) => m.namedChildren().length === 0);
  const name = first ? moduleTypeName(first) : null;
  return name !== null && ID_MODULES.has(name) ? name : null;
}

/** The PyTorch modules exportTorch writes, for error messages. */
export function exportableTypes(): string {
  return ['Sequential', ...Object.keys(TORCH_MODULES), ...Object.keys(MODEL_CLASSES)].join(', ');
}

/** The PyTorch constructor call of a module tree; throws, naming the module, on one without an equivalent. */
export function torchCall(m: Module, path = ''): TorchCall {
  const where = path ? `module '${path}'` : 'the model';
  const name = moduleTypeName(m);
  const fail = (why: string): never => {
    throw new Error(`exportTorch: ${where} (${name ?? m.typeName}): ${why}`);
  };
  if (name === 'Sequential') {
    const children = m.namedChildren().map(([child, c]) => {
      const where = path ? `${path}.${child}` : child;
      const type = moduleTypeName(c);
      if (type !== null && RECURRENT.has(type)) {
        throw new Error(`exportTorch: module '${where}' (${type}) returns [output, state], which a Sequential cannot pass on; export the ${type} as the model itself`);
      }
      return torchCall(c, where);
    });
    return { cls: 'nn.Sequential', args: [], children };
  }
  const defined = name === null ? undefined : MODEL_CLASSES[name];
  if (defined) return { cls: defined.cls, args: defined.args(m), definition: defined.definition };
  const known = name === null ? undefined : TORCH_MODULES[name];
  if (!known) {
    return fail(`a ${m.typeName} has no PyTorch equivalent that exportTorch knows; it exports the library's modules (${exportableTypes()})`);
  }
  if (m.namedChildren().length > 0) fail('has child modules added after construction, which PyTorch\'s module would not have');
  return { cls: known.cls, args: known.args(m, fail) };
}

/** The class definitions model.py must hold for a call tree, each once. */
export function definitions(call: TorchCall): string[] {
  const out = new Set<string>();
  const walk = (c: TorchCall) => {
    if (c.definition) out.add(c.definition);
    c.children?.forEach(walk);
  };
  walk(call);
  return [...out];
}

/** The call as Python source, children one per line, indented under their Sequential. */
export function formatCall(call: TorchCall, indent = ''): string {
  if (!call.children) return `${call.cls}(${call.args.join(', ')})`;
  if (call.children.length === 0) return `${call.cls}()`;
  const inner = `${indent}    `;
  return `${call.cls}(\n${call.children.map((c) => `${inner}${formatCall(c, inner)},\n`).join('')}${indent})`;
}
