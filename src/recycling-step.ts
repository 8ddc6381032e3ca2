/**
 * Output arrays recycled from one training step to the next, for loops that know what outlives a step.
 *
 * A step of the character GPT makes ~160 MB of activations and gradients in ~100 large Float32Arrays, all
 * dead once the optimizer has stepped. Made fresh every step, they have V8 scavenge every ~16–32 MB of
 * ArrayBuffers ("external memory pressure") and mark-compact every other step. A library loop that owns
 * everything a step makes (fitCharModel) runs each step in `recyclingStep(held, step)`: the large arrays
 * `uninitializedFloats` hands out inside it go, when the step returns, to free lists by length, and the next
 * step's outputs of the same length are taken from there. Not recycled: any array whose buffer is still held
 * by `held()`'s tensors (the parameters, their gradients, the module's buffers), checked, not assumed; every
 * array of a step that threw (an error may carry its tensors). Optimizer state never comes from here
 * (`longLivedFloats`). Outside such a step nothing changes: every array is fresh, and held only by its tensors.
 */
import { Tensor } from './tensor.js';
import type { Module } from './nn/module.js';

/** Free arrays by length. */
const free = new Map<number, Float32Array[]>();
/** The arrays handed out in the running step; null outside one. */
let handedOut: Float32Array[] | null = null;
let reused = 0;

/**
 * In a recycling step: a free array of `size` floats (contents unspecified), else `allocate()`'s; either way
 * recycled when the step ends. Outside one: `allocate()`'s, as it is.
 */
export function stepFloats(size: number, allocate: () => Float32Array): Float32Array {
  if (handedOut === null) return allocate();
  const recycled = free.get(size)?.pop();
  if (recycled !== undefined) reused++;
  const array = recycled ?? allocate();
  handedOut.push(array);
  return array;
}

/** A loop's steps over one model, recycled or run as they are (the loop's `recycleArrays` option). */
export interface StepRecycler {
  /** Runs one step: in recyclingStep when on, leaving alone the model's parameters, their gradients and its buffers. */
  run<T extends number | boolean | void>(step: () => T): T;
  /** After the loop's last step (or between phases): drops the free arrays when on. */
  release(): void;
}

export function stepRecycler(model: Module, enabled: boolean): StepRecycler {
  if (!enabled) return { run: (step) => step(), release: () => {} };
  const params = model.parameters();
  const held = () => [...params, ...params.map((p) => p.grad), ...model.buffers()];
  return { run: (step) => recyclingStep(held, step), release: releaseRecycled };
}

/**
 * Runs one training step whose large outputs are recycled afterwards (see above). `held` is called when the
 * step has returned and gives what must keep its values; the step's own result must be plain data (a
 * number or boolean), never a tensor. Nested, the inner call is part of the outer step.
 */
export function recyclingStep<T extends number | boolean | void>(held: () => Iterable<Tensor | null | undefined>, step: () => T): T {
  if (handedOut !== null) return step();
  const arrays: Float32Array[] = [];
  handedOut = arrays;
  let result: T;
  try {
    result = step();
  } finally {
    handedOut = null;
  }
  const kept = new Set<ArrayBufferLike>();
  for (const t of held()) if (t instanceof Tensor) kept.add(t.data.buffer);
  for (const a of arrays) {
    if (kept.has(a.buffer)) continue;
    let list = free.get(a.length);
    if (list === undefined) free.set(a.length, (list = []));
    list.push(a);
  }
  return result;
}

/** Drops the free arrays (for the collector): after a loop's last step. */
export function releaseRecycled(): void {
  free.clear();
}

/** How many arrays were taken from the free lists, and how many are free now (for tests and the profile). */
export function recyclingStats(): { reused: number; free: number } {
  let n = 0;
  for (const list of free.values()) n += list.length;
  return { reused, free: n };
}
