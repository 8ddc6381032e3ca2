/**
 * A model's architecture as plain JSON: the module tree with each module's type and constructor
 * options, so a saved model is rebuilt without the code that made it (like Keras's get_config).
 *
 *   { "type": "Sequential", "children": [{ "type": "Linear", "config": { "inFeatures": 784, … } }, …] }
 *
 * Every library module has an entry in MODULE_TYPES (a layer added later adds its own); a module
 * of any other class, or a subclass, is refused with its type and dotted name.
 */
import { Module } from '../nn/module.js';
import { Sequential } from '../nn/sequential.js';
import { Linear } from '../nn/linear.js';
import { Conv2d } from '../nn/conv2d.js';
import { BatchNorm1d, BatchNorm2d, type BatchNormBase } from '../nn/batch-norm.js';
import { LayerNorm } from '../nn/layer-norm.js';
import { AvgPool2d, MaxPool2d } from '../nn/pool.js';
import { Flatten } from '../nn/flatten.js';
import { Dropout } from '../nn/dropout.js';
import { Embedding, EmbeddingBag } from '../nn/embedding.js';
import { BagClassifier, SparseLogistic } from '../text/models.js';
import { CharRNN, type CharRnnCell } from '../text/char-rnn.js';
import { RNN } from '../nn/rnn.js';
import { LSTM } from '../nn/lstm.js';
import { GRU } from '../nn/gru.js';
import type { RecurrentBase } from '../nn/recurrent.js';
import { CharGPT } from '../text/char-gpt.js';
import { MultiheadAttention } from '../nn/multihead-attention.js';
import { TransformerEncoder, TransformerEncoderLayer, type TransformerEncoderLayerOptions } from '../nn/transformer-encoder.js';
import { ELU, GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh } from '../nn/activation-modules.js';

export interface ModuleSpec {
  type: string;
  config?: Record<string, unknown>;
  children?: ModuleSpec[];
}

type Config = Record<string, unknown>;

export interface ModuleType<M extends Module = Module> {
  ctor: new (...args: never[]) => M;
  /** The constructor options that rebuild this module (its tensors come from the weights). */
  config(m: M): Config;
  build(config: Config, children: Module[]): M;
  /** The module makes its child modules itself from its config (e.g. the text models): the spec records no children. */
  composite?: boolean;
}

const batchNormConfig = (m: BatchNormBase): Config => ({
  numFeatures: m.numFeatures, eps: m.eps, momentum: m.momentum, affine: m.affine, trackRunningStats: m.trackRunningStats,
});
const recurrentConfig = (m: RecurrentBase): Config => ({
  inputSize: m.inputSize, hiddenSize: m.hiddenSize, numLayers: m.numLayers, bias: m.bias, batchFirst: m.batchFirst,
  dropout: m.dropout, bidirectional: m.bidirectional,
});
const recurrentOptions = (c: Config) => ({
  numLayers: c.numLayers as number, bias: c.bias as boolean, batchFirst: c.batchFirst as boolean,
  dropout: c.dropout as number, bidirectional: c.bidirectional as boolean,
});
const none = (): Config => ({});
const num = (c: Config, key: string) => c[key] as number;

export const MODULE_TYPES: Record<string, ModuleType> = {};

/** Adds a module class to what saveModel/loadModel know; its name is the class name. */
export function registerModuleType<M extends Module>(name: string, type: ModuleType<M>): void {
  MODULE_TYPES[name] = type as unknown as ModuleType;
}

registerModuleType('Sequential', { ctor: Sequential, config: none, build: (_c, children) => new Sequential(...children) });
registerModuleType('Linear', {
  ctor: Linear,
  config: (m) => ({ inFeatures: m.inFeatures, outFeatures: m.outFeatures, bias: m.bias !== null }),
  build: (c) => new Linear(num(c, 'inFeatures'), num(c, 'outFeatures'), { bias: c.bias as boolean }),
});
registerModuleType('Conv2d', {
  ctor: Conv2d,
  config: (m) => ({ inChannels: m.inChannels, outChannels: m.outChannels, kernelSize: m.kernelSize, stride: m.stride, padding: m.padding, dilation: m.dilation, bias: m.bias !== null }),
  build: (c) => new Conv2d(num(c, 'inChannels'), num(c, 'outChannels'), c.kernelSize as [number, number], {
    stride: c.stride as [number, number], padding: c.padding as [number, number], dilation: c.dilation as [number, number], bias: c.bias as boolean,
  }),
});
for (const [name, ctor] of [['BatchNorm1d', BatchNorm1d], ['BatchNorm2d', BatchNorm2d]] as const) {
  registerModuleType(name, {
    ctor,
    config: batchNormConfig,
    build: (c) => new ctor(num(c, 'numFeatures'), { eps: num(c, 'eps'), momentum: num(c, 'momentum'), affine: c.affine as boolean, trackRunningStats: c.trackRunningStats as boolean }),
  });
}
registerModuleType('LayerNorm', {
  ctor: LayerNorm,
  config: (m) => ({ normalizedShape: m.normalizedShape.slice(), eps: m.eps, elementwiseAffine: m.elementwiseAffine }),
  build: (c) => new LayerNorm(c.normalizedShape as number[], { eps: num(c, 'eps'), elementwiseAffine: c.elementwiseAffine as boolean }),
});
for (const [name, ctor] of [['MaxPool2d', MaxPool2d], ['AvgPool2d', AvgPool2d]] as const) {
  registerModuleType(name, {
    ctor,
    config: (m) => ({ kernelSize: m.kernelSize, stride: m.stride, padding: m.padding }),
    build: (c) => new ctor(c.kernelSize as [number, number], { stride: c.stride as [number, number], padding: c.padding as [number, number] }),
  });
}
registerModuleType('Flatten', { ctor: Flatten, config: (m) => ({ startDim: m.startDim, endDim: m.endDim }), build: (c) => new Flatten(num(c, 'startDim'), num(c, 'endDim')) });
registerModuleType('Embedding', {
  ctor: Embedding,
  config: (m) => ({ numEmbeddings: m.numEmbeddings, embeddingDim: m.embeddingDim, paddingIdx: m.paddingIdx, sparse: m.sparse }),
  build: (c) => new Embedding(num(c, 'numEmbeddings'), num(c, 'embeddingDim'), { paddingIdx: c.paddingIdx as number | null, sparse: c.sparse as boolean }),
});
registerModuleType('EmbeddingBag', {
  ctor: EmbeddingBag,
  config: (m) => ({ numEmbeddings: m.numEmbeddings, embeddingDim: m.embeddingDim, mode: m.mode, paddingIdx: m.paddingIdx, sparse: m.sparse }),
  build: (c) => new EmbeddingBag(num(c, 'numEmbeddings'), num(c, 'embeddingDim'), {
    mode: c.mode as 'sum' | 'mean', paddingIdx: c.paddingIdx as number | null, sparse: c.sparse as boolean,
  }),
});
registerModuleType('RNN', {
  ctor: RNN,
  config: (m) => ({ ...recurrentConfig(m), nonlinearity: m.nonlinearity }),
  build: (c) => new RNN(num(c, 'inputSize'), num(c, 'hiddenSize'), { ...recurrentOptions(c), nonlinearity: c.nonlinearity as 'tanh' | 'relu' }),
});
for (const [name, ctor] of [['LSTM', LSTM], ['GRU', GRU]] as const) {
  registerModuleType(name, { ctor, config: recurrentConfig, build: (c) => new ctor(num(c, 'inputSize'), num(c, 'hiddenSize'), recurrentOptions(c)) });
}
registerModuleType('Dropout', { ctor: Dropout, config: (m) => ({ p: m.p }), build: (c) => new Dropout(num(c, 'p')) });
for (const [name, ctor] of [['ReLU', ReLU], ['Sigmoid', Sigmoid], ['Tanh', Tanh], ['GELU', GELU]] as const) {
  registerModuleType(name, { ctor, config: none, build: () => new ctor() });
}
registerModuleType('LeakyReLU', { ctor: LeakyReLU, config: (m) => ({ negativeSlope: m.negativeSlope }), build: (c) => new LeakyReLU(num(c, 'negativeSlope')) });
registerModuleType('ELU', { ctor: ELU, config: (m) => ({ alpha: m.alpha }), build: (c) => new ELU(num(c, 'alpha')) });
registerModuleType('Softmax', { ctor: Softmax, config: (m) => ({ axis: m.axis }), build: (c) => new Softmax(num(c, 'axis')) });
registerModuleType('LogSoftmax', { ctor: LogSoftmax, config: (m) => ({ axis: m.axis }), build: (c) => new LogSoftmax(num(c, 'axis')) });

// The text models (src/text/models.ts) build their EmbeddingBag/Linear children from these arguments.
registerModuleType('SparseLogistic', {
  ctor: SparseLogistic,
  composite: true,
  config: (m) => ({ buckets: m.buckets, classes: m.classes }),
  build: (c) => new SparseLogistic(num(c, 'buckets'), num(c, 'classes')),
});
registerModuleType('BagClassifier', {
  ctor: BagClassifier,
  composite: true,
  config: (m) => ({ buckets: m.buckets, hidden: m.hidden, classes: m.classes }),
  build: (c) => new BagClassifier(num(c, 'buckets'), num(c, 'hidden'), num(c, 'classes')),
});

// The character model of `nabla train --model lstm | gru | rnn` (src/text/char-rnn.ts).
registerModuleType('CharRNN', {
  ctor: CharRNN,
  composite: true,
  config: (m) => ({ vocabSize: m.vocabSize, cell: m.cell, width: m.width, layers: m.layers, dropout: m.dropout }),
  build: (c) => new CharRNN(num(c, 'vocabSize'), { cell: c.cell as CharRnnCell, width: num(c, 'width'), layers: num(c, 'layers'), dropout: num(c, 'dropout') }),
});
// Attention and the transformer blocks build their children (projections, norms, the layers) themselves.
registerModuleType('MultiheadAttention', {
  ctor: MultiheadAttention,
  composite: true,
  config: (m) => ({ embedDim: m.embedDim, numHeads: m.numHeads, bias: m.inProjBias !== null, batchFirst: m.batchFirst, dropout: m.dropout }),
  build: (c) => new MultiheadAttention(num(c, 'embedDim'), num(c, 'numHeads'), { bias: c.bias as boolean, batchFirst: c.batchFirst as boolean, dropout: num(c, 'dropout') }),
});
const encoderLayerConfig = (m: TransformerEncoderLayer): Config => ({ dModel: m.dModel, nhead: m.nhead, ...m.options() });
const buildEncoderLayer = (c: Config) => {
  const { dModel, nhead, ...options } = c;
  return new TransformerEncoderLayer(dModel as number, nhead as number, options as TransformerEncoderLayerOptions);
};
registerModuleType('TransformerEncoderLayer', { ctor: TransformerEncoderLayer, composite: true, config: encoderLayerConfig, build: buildEncoderLayer });
registerModuleType('TransformerEncoder', {
  ctor: TransformerEncoder,
  composite: true,
  config: (m) => ({
    layer: encoderLayerConfig(m.layers.children()[0] as TransformerEncoderLayer),
    numLayers: m.numLayers,
    norm: m.norm === null ? null : MODULE_TYPES.LayerNorm.config(m.norm),
  }),
  build: (c) => new TransformerEncoder(buildEncoderLayer(c.layer as Config), num(c, 'numLayers'), {
    norm: c.norm === null ? null : (MODULE_TYPES.LayerNorm.build(c.norm as Config, []) as LayerNorm),
  }),
});
registerModuleType('CharGPT', {
  ctor: CharGPT,
  composite: true,
  config: (m) => ({ vocabSize: m.vocabSize, context: m.context, width: m.width, layers: m.numLayers, heads: m.heads, dropout: m.dropout }),
  build: (c) => new CharGPT(num(c, 'vocabSize'), { context: num(c, 'context'), width: num(c, 'width'), layers: num(c, 'layers'), heads: num(c, 'heads'), dropout: num(c, 'dropout') }),
});

/** The registered name of m's class (exactly that class, not a subclass), or null. */
export function moduleTypeName(m: Module): string | null {
  for (const [name, type] of Object.entries(MODULE_TYPES)) if (m.constructor === type.ctor) return name;
  return null;
}

/** The library modules' names, for error messages. */
export function knownModuleTypes(): string {
  return Object.keys(MODULE_TYPES).join(', ');
}

/** The spec of a module tree; throws, naming the module, when one is not a library module. */
export function moduleSpec(model: Module, owner = 'saveModel', path = ''): ModuleSpec {
  if (!(model instanceof Module)) throw new Error(`${owner}: expected a Module, got ${model === null ? 'null' : typeof model}`);
  const name = moduleTypeName(model);
  if (name === null) {
    const where = path ? `module '${path}'` : 'the model';
    throw new Error(`${owner}: ${where} is a ${model.typeName}, which can't be rebuilt from a file; only the library's modules can (${knownModuleTypes()}). Save its weights with stateDict() instead`);
  }
  const spec: ModuleSpec = { type: name };
  const config = MODULE_TYPES[name].config(model);
  if (Object.keys(config).length > 0) spec.config = config;
  const children = model.namedChildren();
  if (name !== 'Sequential' && children.length > 0 && !MODULE_TYPES[name].composite) {
    throw new Error(`${owner}: ${path ? `module '${path}'` : 'the model'} (${name}) has child modules added after construction, which can't be rebuilt`);
  }
  if (name === 'Sequential') spec.children = children.map(([child, m]) => moduleSpec(m, owner, path ? `${path}.${child}` : child));
  return spec;
}

/** Rebuilds the module tree of a spec (fresh weights; load them with loadStateDict). */
export function buildModule(spec: unknown, owner = 'loadModel', path = ''): Module {
  const where = path ? `module '${path}'` : 'the model';
  if (spec === null || typeof spec !== 'object') throw new Error(`${owner}: ${where}: expected a module spec { type, config, children }, got ${JSON.stringify(spec)}`);
  const { type, config = {}, children = [] } = spec as ModuleSpec;
  const entry = typeof type === 'string' ? MODULE_TYPES[type] : undefined;
  if (!entry) throw new Error(`${owner}: ${where} has unknown type ${JSON.stringify(type)}; known: ${knownModuleTypes()}`);
  if (!Array.isArray(children)) throw new Error(`${owner}: ${where} (${type}): children must be a list`);
  const built = children.map((c, i) => buildModule(c, owner, path ? `${path}.${i}` : String(i)));
  try {
    return entry.build(config, built);
  } catch (err) {
    throw new Error(`${owner}: ${where} (${type}): ${(err as Error).message}`);
  }
}
