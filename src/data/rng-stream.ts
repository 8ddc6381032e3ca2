/**
 * A seeded random stream of its own, for shuffling and synthetic data that must be
 * reproducible without disturbing the global generator (src/random.ts). It reuses that
 * generator: `run` swaps this stream's state in, runs, and swaps the global state back.
 */
import { getRngState, manualSeed, randomInt, setRngState, type RngState } from '../random.js';

export function checkSeed(owner: string, seed: unknown): void {
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isInteger(seed))) {
    throw new Error(`${owner}: seed must be an integer, got ${String(seed)}`);
  }
}

export class RngStream {
  private state: RngState;

  constructor(seed: number, owner = 'RngStream') {
    checkSeed(owner, seed);
    const saved = getRngState();
    try {
      manualSeed(seed);
      this.state = getRngState();
    } finally {
      setRngState(saved);
    }
  }

  /** The stream's state (a copy), e.g. for a checkpoint. */
  getState(): RngState {
    return { s: [...this.state.s] as RngState['s'], spare: this.state.spare };
  }

  /** Continues from a state getState() returned. */
  setState(state: RngState): void {
    this.state = { s: [...state.s] as RngState['s'], spare: state.spare };
  }

  /** Runs fn with this stream as the generator behind uniform(), normal(), randomInt(). */
  run<T>(fn: () => T): T {
    const saved = getRngState();
    setRngState(this.state);
    try {
      return fn();
    } finally {
      this.state = getRngState();
      setRngState(saved);
    }
  }
}

/** Runs fn with a fresh stream seeded by `seed`, or with the global generator when no seed is given. */
export function withSeed<T>(owner: string, seed: number | undefined, fn: () => T): T {
  return seed === undefined ? fn() : new RngStream(seed, owner).run(fn);
}

/** A uniformly random permutation of 0…n−1 (Fisher–Yates) from the current generator. */
export function randomPermutation(n: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
