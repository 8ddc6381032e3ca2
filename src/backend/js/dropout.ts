/**
 * Dropout's kernels: the counter-based keep mask (each element's draw a hash of the key and its index, see
 * Backend.dropoutMask), the fused inverted dropout, and its backward. Checks and messages as the native kernels'.
 */

function fail(kernel: string, message: string): never {
  throw new Error(`${kernel}: ${message}`);
}

function checkP(kernel: string, p: number): void {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) fail(kernel, `p must be a probability in [0, 1], got ${String(p)}`);
}

function checkKey(kernel: string, name: string, k: number): void {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k > 0xffffffff) fail(kernel, `${name} must be an integer in [0, 4294967295], got ${String(k)}`);
}

function checkLength(kernel: string, name: string, a: ArrayLike<number>, n: number): void {
  if (a.length < n) fail(kernel, `${name} has ${a.length} elements, needs at least ${n}`);
}

/** What a kept element is multiplied by: 1/(1 − p) as float32 (0 when p = 1). */
export function dropoutScale(p: number): number {
  return p === 1 ? 0 : Math.fround(1 / (1 - p));
}

/**
 * The smallest 32-bit draw r kept: float32(r/2³²) ≥ float32(p) exactly when r ≥ it (the rounding is
 * monotonic), so the loop compares integers. 2³² when nothing is kept.
 */
export function keepThreshold(p: number): number {
  const target = Math.fround(p);
  let lo = 0;
  let hi = 2 ** 32;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (Math.fround(mid / 2 ** 32) >= target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function dropoutMask(key0: number, key1: number, p: number, keep: Uint8Array): void {
  const kernel = 'dropoutMask';
  checkKey(kernel, 'key0', key0);
  checkKey(kernel, 'key1', key1);
  checkP(kernel, p);
  const threshold = keepThreshold(p);
  for (let i = 0; i < keep.length; i++) {
    let z = ((key0 + Math.imul(i + 1, 0x9e3779b9)) ^ key1) >>> 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;
    keep[i] = z >= threshold ? 1 : 0;
  }
}

export function dropout(key0: number, key1: number, p: number, x: Float32Array, out: Float32Array, keep: Uint8Array): void {
  checkP('dropout', p);
  checkLength('dropout', 'out', out, x.length);
  checkLength('dropout', 'keep', keep, x.length);
  dropoutMask(key0, key1, p, keep.length === x.length ? keep : keep.subarray(0, x.length));
  const scale = dropoutScale(p);
  for (let i = 0; i < x.length; i++) out[i] = x[i] * (keep[i] ? scale : 0); // x·0 as torch's x·mask: NaN stays NaN
}

export function dropoutBackward(dy: Float32Array, keep: Uint8Array, p: number, dx: Float32Array): void {
  checkP('dropoutBackward', p);
  checkLength('dropoutBackward', 'keep', keep, dy.length);
  checkLength('dropoutBackward', 'dx', dx, dy.length);
  const scale = dropoutScale(p);
  for (let i = 0; i < dy.length; i++) dx[i] = dy[i] * (keep[i] ? scale : 0);
}
