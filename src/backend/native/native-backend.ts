/**
 * The native backend: the addon's kernels over the js backend. Kernels the addon does not
 * implement (and any kernel added to the interface later) run the js ones.
 */
import type { Backend } from '../backend.js';
import { jsBackend } from '../js/index.js';

/** The kernels the addon (native/src/addon.cc) exports, with the Backend signatures. */
export const NATIVE_KERNELS = ['gemm', 'unary', 'unaryBackward', 'binary', 'reduce', 'softmax', 'softmaxBackward'] as const;

export type NativeKernels = Pick<Backend, (typeof NATIVE_KERNELS)[number]>;

export function nativeBackend(addon: NativeKernels): Backend {
  return {
    ...jsBackend,
    name: 'native',
    gemm: addon.gemm,
    unary: addon.unary,
    unaryBackward: addon.unaryBackward,
    binary: addon.binary,
    reduce: addon.reduce,
    softmax: addon.softmax,
    softmaxBackward: addon.softmaxBackward,
  };
}
