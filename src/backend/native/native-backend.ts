/**
 * The native backend: the addon's kernels over the js backend. Kernels the addon does not
 * implement (and any kernel added to the interface later) run the js ones.
 */
import type { Backend } from '../backend.js';
import { jsBackend } from '../js/index.js';

/** The kernels the addon (native/src/addon.cc) exports, with the Backend signatures. */
export const NATIVE_KERNELS = [
  'gemm', 'gemmBatch', 'gemmAsync', 'gemmWait', 'unary', 'unaryBackward', 'binary', 'reduce', 'softmax', 'softmaxBackward',
  'batchNorm', 'batchNormBackward', 'batchNormMaxPool2d', 'batchNormMaxPool2dBackward', 'layerNorm', 'layerNormBackward', 'crossEntropy', 'crossEntropyBackward',
  'conv2d', 'conv2dBackward', 'maxPool2d', 'maxPool2dBackward', 'avgPool2d', 'avgPool2dBackward',
  'adamUpdate', 'sgdUpdate', 'copyStrided', 'firstNonFinite', 'sumOfSquares', 'uniqueRows', 'lookupRows', 'adviseHugePages',
  'embeddingBag', 'embeddingBagBackward', 'attention', 'attentionBackward', 'dropoutMask', 'dropout', 'dropoutBackward', 'sparseSgdUpdate', 'sparseAdagradUpdate', 'sparseFtrlUpdate', 'sparseAdamUpdate',
  'lstmCell', 'lstmCellBackward', 'gruCell', 'gruCellBackward',
] as const;

export type NativeKernels = Pick<Backend, (typeof NATIVE_KERNELS)[number]>;

export function nativeBackend(addon: NativeKernels): Backend {
  const own = Object.fromEntries(NATIVE_KERNELS.map((name) => [name, addon[name]])) as NativeKernels;
  return { ...jsBackend, name: 'native', ...own };
}
