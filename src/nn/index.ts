/** nn: modules (layers), the functional losses, and initializers. */
export { Module, type LoadStateDictOptions, type LoadStateDictResult } from './module.js';
export { Sequential } from './sequential.js';
export { Linear, type LinearOptions } from './linear.js';
export { ReLU, Sigmoid, Tanh, LeakyReLU, ELU, GELU, Softmax, LogSoftmax } from './activation-modules.js';
export { Flatten } from './flatten.js';
export { BatchNorm1d, BatchNorm2d, type BatchNormModuleOptions } from './batch-norm.js';
export { LayerNorm, type LayerNormOptions } from './layer-norm.js';
export { Conv2d, type Conv2dModuleOptions } from './conv2d.js';
export { MaxPool2d, AvgPool2d } from './pool.js';
export { Dropout } from './dropout.js';
export { Embedding, EmbeddingBag, type EmbeddingOptions, type EmbeddingBagOptions } from './embedding.js';
export { RNN, type RnnOptions } from './rnn.js';
export { LSTM, type LstmOptions } from './lstm.js';
export { GRU } from './gru.js';
export type { RecurrentOptions } from './recurrent.js';
export * as functional from './functional/index.js';
export * as init from './init.js';
export { MultiheadAttention, type MultiheadAttentionOptions, type MultiheadAttentionForwardOptions } from './multihead-attention.js';
export {
  TransformerEncoderLayer, TransformerEncoder, type TransformerEncoderLayerOptions, type TransformerEncoderLayerForwardOptions,
  type TransformerEncoderOptions, type TransformerEncoderForwardOptions, type TransformerActivation,
} from './transformer-encoder.js';
