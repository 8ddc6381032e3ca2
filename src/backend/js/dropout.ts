/** Dropout's mask from the generator's xoshiro128** state (src/random.ts's nextUint32, inlined with the state in locals). */

export function dropoutMask(state: Int32Array, p: number, out: Float32Array): void {
  if (!(state instanceof Int32Array) || state.length < 4) throw new Error('dropoutMask: state must be an Int32Array of 4 words');
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new Error(`dropoutMask: p must be a probability in [0, 1], got ${String(p)}`);
  const threshold = Math.fround(p);
  const keep = p === 1 ? 0 : Math.fround(1 / (1 - p));
  let s0 = state[0] >>> 0;
  let s1 = state[1] >>> 0;
  let s2 = state[2] >>> 0;
  let s3 = state[3] >>> 0;
  for (let i = 0; i < out.length; i++) {
    const m = Math.imul(s1, 5) >>> 0;
    const r = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 = (s2 ^ s0) >>> 0;
    s3 = (s3 ^ s1) >>> 0;
    s1 = (s1 ^ s2) >>> 0;
    s0 = (s0 ^ s3) >>> 0;
    s2 = (s2 ^ t) >>> 0;
    s3 = ((s3 << 11) | (s3 >>> 21)) >>> 0;
    out[i] = Math.fround(r / 4294967296) >= threshold ? keep : 0;
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}
