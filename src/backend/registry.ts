/**
 * Which backend runs the kernels. Backends register themselves by name; the first use
 * picks NABLA_BACKEND when set, otherwise the best registered one (highest priority).
 */
import type { Backend } from './backend.js';

interface Entry {
  /** Returns the backend, or throws with the reason it cannot load here. */
  load: () => Backend;
  priority: number;
  loaded?: Backend;
}

const entries = new Map<string, Entry>();
let current: Backend | null = null;

export function registerBackend(name: string, load: () => Backend, priority = 0): void {
  entries.set(name, { load, priority });
}

export function availableBackends(): string[] {
  return [...entries.keys()];
}

function load(name: string, source = 'setBackend'): Backend {
  const entry = entries.get(name);
  if (!entry) {
    throw new Error(`${source}: unknown backend '${name}'; available: ${availableBackends().join(', ')}`);
  }
  entry.loaded ??= entry.load();
  return entry.loaded;
}

/** Switches every later kernel call to the named backend ('js' or 'native'). */
export function setBackend(name: string): void {
  if (typeof name !== 'string') throw new Error(`setBackend: backend name must be a string, got ${String(name)}`);
  current = load(name);
}

function envBackend(): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const value = proc?.env?.NABLA_BACKEND;
  return value === undefined || value === '' ? undefined : value;
}

function pickDefault(): Backend {
  const fromEnv = envBackend();
  if (fromEnv !== undefined) return load(fromEnv, 'NABLA_BACKEND');
  const ranked = [...entries.entries()].sort((a, b) => b[1].priority - a[1].priority);
  for (const [name] of ranked) {
    try {
      return load(name);
    } catch {
      // falls through to the next backend; a loader reports its own reason once
    }
  }
  throw new Error('nabla: no backend could be loaded');
}

/** The backend in use (loads the default on first call). */
export function backend(): Backend {
  current ??= pickDefault();
  return current;
}

/** The name of the backend in use. */
export function getBackend(): string {
  return backend().name;
}
