/** nn.functional: losses, dropout, and the layers' functions (like torch.nn.functional). */
export { crossEntropy, type CrossEntropyOptions, type ClassIndices } from '../../ops/cross-entropy.js';
export { nllLoss } from './nll-loss.js';
export { binaryCrossEntropy } from './binary-cross-entropy.js';
export { binaryCrossEntropyWithLogits } from './binary-cross-entropy-with-logits.js';
export { mseLoss } from './mse-loss.js';
export { l1Loss } from './l1-loss.js';
export { dropout } from './dropout.js';
export type { Reduction, LossOptions } from './reduction.js';
export { linear } from '../../ops/linear.js';
export { relu } from '../../ops/relu.js';
export { sigmoid } from '../../ops/sigmoid.js';
export { tanh } from '../../ops/tanh.js';
export { leakyRelu } from '../../ops/leaky-relu.js';
export { elu } from '../../ops/elu.js';
export { gelu } from '../../ops/gelu.js';
export { softmax } from '../../ops/softmax.js';
export { logSoftmax } from '../../ops/log-softmax.js';
export { layerNorm } from '../../ops/layer-norm.js';
