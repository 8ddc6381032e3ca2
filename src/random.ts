/**
 * The seeded random generator behind rand, randn, dropout, shuffling and initialization:
 * xoshiro128** (32-bit state words, exact in JavaScript), seeded through splitmix32.
 * Its state can be read and restored, so checkpoints resume bit-for-bit.
 */

export interface RngState {
  s: [number, number, number, number];
  /** The second normal of the last Box–Muller pair, if unused. */
  spare: number | null;
}

let s = new Uint32Array(4);
let spare: number | null = null;

function splitmix32(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Seeds the global generator (like torch.manual_seed). */
export function manualSeed(seed: number): void {
  if (typeof seed !== 'number' || !Number.isFinite(seed) || !Number.isInteger(seed)) {
    throw new Error(`manualSeed: seed must be an integer, got ${String(seed)}`);
  }
  const next = splitmix32(seed ^ Math.floor(seed / 2 ** 32));
  s = new Uint32Array([next(), next(), next(), next()]);
  if (s[0] === 0 && s[1] === 0 && s[2] === 0 && s[3] === 0) s[0] = 1;
  spare = null;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** A uniform 32-bit unsigned integer. */
export function nextUint32(): number {
  const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
  const t = (s[1] << 9) >>> 0;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11);
  return result;
}

/** A uniform number in [0, 1) with 32 random bits. */
export function uniform(): number {
  return nextUint32() / 4294967296;
}

/** A standard normal (Box–Muller, the pair's second value kept for the next call). */
export function normal(): number {
  if (spare !== null) {
    const v = spare;
    spare = null;
    return v;
  }
  let u = uniform();
  while (u === 0) u = uniform();
  const v = uniform();
  const r = Math.sqrt(-2 * Math.log(u));
  spare = r * Math.sin(2 * Math.PI * v);
  return r * Math.cos(2 * Math.PI * v);
}

/** A uniform integer in [0, n). */
export function randomInt(n: number): number {
  return Math.floor(uniform() * n);
}

export function getRngState(): RngState {
  return { s: [s[0], s[1], s[2], s[3]], spare };
}

export function setRngState(state: RngState): void {
  const expected = 'setRngState: expected { s: four unsigned 32-bit integers, not all 0, spare: number | null }';
  if (!state || !Array.isArray(state.s) || state.s.length !== 4 || state.s.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)) {
    throw new Error(`${expected}, got s = ${JSON.stringify(state?.s)}`);
  }
  // xoshiro's all-zero state is a fixed point: the generator would return 0 forever.
  if (state.s.every((w) => w === 0)) throw new Error(`${expected}, got s = [0,0,0,0]`);
  if (state.spare != null && (typeof state.spare !== 'number' || !Number.isFinite(state.spare))) {
    throw new Error(`${expected}, got spare = ${typeof state.spare === 'number' ? state.spare : JSON.stringify(state.spare) ?? String(state.spare)}`);
  }
  s = new Uint32Array(state.s);
  spare = state.spare ?? null;
}

manualSeed(Date.now() % 2 ** 31);
