/**
 * Node's built-in modules for the few library functions that touch files (MNIST, CSV, checkpoints).
 * They are fetched when called (process.getBuiltinModule, Node ≥ 20.16) rather than imported,
 * so the library's modules load unchanged in the browser, where these functions explain
 * that they need Node.
 */
import type * as Fs from 'node:fs';
import type * as Path from 'node:path';
import type * as NodeModule from 'node:module';
import type * as Crypto from 'node:crypto';

interface BuiltinHost {
  getBuiltinModule?: (id: string) => unknown;
}

function builtin<T>(id: string, caller: string): T {
  const proc = (globalThis as { process?: BuiltinHost }).process;
  const mod = proc?.getBuiltinModule?.(id);
  if (!mod) throw new Error(`${caller}: reads files, which needs Node.js ≥ 20.16 (not available in the browser)`);
  return mod as T;
}

export const nodeFs = (caller: string) => builtin<typeof Fs>('node:fs', caller);
export const nodePath = (caller: string) => builtin<typeof Path>('node:path', caller);
export const nodeModule = (caller: string) => builtin<typeof NodeModule>('node:module', caller);
export const nodeCrypto = (caller: string) => builtin<typeof Crypto>('node:crypto', caller);
