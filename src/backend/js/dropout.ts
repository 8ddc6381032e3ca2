/**
 * Dropout's kernels: the keep mask drawn from the generator's xoshiro128** state (src/random.ts's nextUint32,
 * inlined with the state in locals), the fused inverted dropout, and its backward. Checks and messages as the
 * native kernels'.
 */

function fail(kernel: string, message: string): never {
  throw new Error(`${kernel}: ${message}`);
}

function checkP(kernel: string, p: number): void {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) fail(kernel, `p must be a probability in [0, 1], got ${String(p)}`);
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

export function dropoutMask(state: Int32Array, p: number, keep: Uint8Array): void {
  const kernel = 'dropoutMask';
  checkP(kernel, p);
  if (!(state instanceof Int32Array)) fail(kernel, 'state must be an Int32Array');
  checkLength(kernel, 'state', state, 4);
  const threshold = keepThreshold(p);
  let s0 = state[0] >>> 0;
  let s1 = state[1] >>> 0;
  let s2 = state[2] >>> 0;
  let s3 = state[3] >>> 0;
  for (let i = 0; i < keep.length; i++) {
    const m = Math.imul(s1, 5) >>> 0;
    const r = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 = (s2 ^ s0) >>> 0;
    s3 = (s3 ^ s1) >>> 0;
    s1 = (s1 ^ s2) >>> 0;
    s0 = (s0 ^ s3) >>> 0;
    s2 = (s2 ^ t) >>> 0;
    s3 = ((s3 << 11) | (s3 >>> 21)) >>> 0;
    keep[i] = r >= threshold ? 1 : 0;
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}

export function dropout(state: Int32Array, p: number, x: Float32Array, out: Float32Array, keep: Uint8Array): void {
  checkP('dropout', p);
  checkLength('dropout', 'out', out, x.length);
  checkLength('dropout', 'keep', keep, x.length);
  dropoutMask(state, p, keep.length === x.length ? keep : keep.subarray(0, x.length));
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
