/** What the synthetic 2-D sets share: their result, option checks, and balanced class sizes. */
import { Tensor } from '../../tensor.js';
import { checkSeed } from '../rng-stream.js';
import { checkedByOwner, checkOptionsObject } from '../../optim/options.js';

/** The options each set takes besides noise and seed. */
const EXTRA_OPTIONS: Record<string, string[]> = { spiral: ['classes'], gaussians: ['classes'], circles: ['factor'] };

export interface Points {
  /** Coordinates, float32 [n, 2]. */
  x: Tensor;
  /** Class indices, grouped by class (0s first). */
  y: Int32Array;
}

export interface SyntheticOptions {
  noise?: number;
  /** Draw from a stream of its own seeded by this; without it, from the global generator (manualSeed). */
  seed?: number;
}

export function checkSynthetic(owner: string, n: number, options: SyntheticOptions & { classes?: number }, minClasses = 2): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${owner}: n must be a positive integer, got ${String(n)}`);
  const known = ['noise', 'seed', ...(EXTRA_OPTIONS[owner] ?? [])];
  checkOptionsObject(owner, options, Object.fromEntries(known.map((k) => [k, checkedByOwner])) as never);
  if (options.noise !== undefined && !(typeof options.noise === 'number' && options.noise >= 0 && Number.isFinite(options.noise))) {
    throw new Error(`${owner}: noise must be a finite number ≥ 0, got ${String(options.noise)}`);
  }
  if (options.classes !== undefined && (!Number.isInteger(options.classes) || options.classes < minClasses)) {
    throw new Error(`${owner}: classes must be an integer ≥ ${minClasses}, got ${String(options.classes)}`);
  }
  checkSeed(owner, options.seed);
}

/** n split into `classes` sizes differing by at most one, the larger ones first. */
export function classSizes(n: number, classes: number): number[] {
  return Array.from({ length: classes }, (_, k) => Math.floor(n / classes) + (k < n % classes ? 1 : 0));
}

/** numpy.linspace(start, stop, count, endpoint). */
export function linspace(start: number, stop: number, count: number, endpoint = true): Float64Array {
  const out = new Float64Array(count);
  const step = (stop - start) / (endpoint ? Math.max(count - 1, 1) : count);
  for (let i = 0; i < count; i++) out[i] = start + i * step;
  return out;
}

export function points(xy: Float32Array, y: Int32Array): Points {
  return { x: new Tensor(xy, [y.length, 2]), y };
}
