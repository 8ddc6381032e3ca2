/**
 * Loads the native addon (native/build/Release/nabla.node, built at install by
 * scripts/build-native.mjs) and makes the native backend from it. In Node only: nothing here
 * imports a node: module at the top level, so browser bundles can include this file.
 */
import type { Backend } from '../backend.js';
import { NATIVE_KERNELS, nativeBackend, type NativeKernels } from './native-backend.js';

/** The addon's path relative to this file, which sits at the same depth in src/ and dist/. */
const ADDON_PATH = '../../../native/build/Release/nabla.node';

let failure: Error | null = null;

interface NodeProcess {
  versions?: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
}

function loadAddon(): NativeKernels {
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (!proc?.versions?.node) throw new Error('native backend: only available in Node');
  const nodeModule = proc.getBuiltinModule?.('node:module') as typeof import('node:module') | undefined;
  if (!nodeModule) throw new Error(`native backend: needs Node ≥ 20.16 (this is ${proc.versions.node})`);
  // OpenBLAS's idle workers spin (sched_yield) for 2^28 cycles after each threaded product before
  // sleeping, holding the other core while the addon's own threads (parallel.h) need it: 2^20
  // cycles (~0.4 ms) keeps them warm between the products of one step (read when libopenblas
  // loads, so set before the addon is required; a user's own setting wins).
  const env = (proc as { env?: Record<string, string | undefined> }).env;
  if (env && env.OPENBLAS_THREAD_TIMEOUT === undefined) env.OPENBLAS_THREAD_TIMEOUT = '20';
  let addon: Record<string, unknown>;
  try {
    addon = nodeModule.createRequire(import.meta.url)(ADDON_PATH) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = code === 'MODULE_NOT_FOUND' ? 'addon not built' : String((error as Error).message).split('\n')[0];
    throw new Error(`native backend: ${message}`);
  }
  for (const kernel of NATIVE_KERNELS) {
    if (typeof addon[kernel] !== 'function') throw new Error(`native backend: addon lacks '${kernel}' (a stale build)`);
  }
  return addon as unknown as NativeKernels;
}

/**
 * The native backend, or an Error saying why it cannot load. The first failure in Node prints
 * one line on stderr; later calls rethrow it silently.
 */
export function loadNativeBackend(): Backend {
  if (failure) throw failure;
  try {
    return nativeBackend(loadAddon());
  } catch (error) {
    failure = error as Error;
    const proc = (globalThis as { process?: NodeProcess & { stderr?: { write(s: string): void } } }).process;
    if (proc?.versions?.node && proc.stderr) {
      const reason = failure.message.replace(/^native backend: /, '');
      proc.stderr.write(
        `nabla: native backend unavailable (${reason}); using js. Install libopenblas-dev and run npm rebuild nabla\n`,
      );
    }
    throw failure;
  }
}
