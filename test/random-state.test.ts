import { describe, expect, it } from 'vitest';
import { getRngState, manualSeed, rand, setRngState } from '../src/index.js';

describe('setRngState', () => {
  it('restores a saved state: the same draws follow', () => {
    manualSeed(7);
    const saved = getRngState();
    const first = Array.from(rand([5]).data);
    setRngState(saved);
    expect(Array.from(rand([5]).data)).toEqual(first);
  });

  it('refuses the all-zero state, from which xoshiro128** only returns 0, and leaves the generator as it was', () => {
    manualSeed(3);
    const before = getRngState();
    expect(() => setRngState({ s: [0, 0, 0, 0], spare: null })).toThrow('setRngState: expected { s: four unsigned 32-bit integers, not all 0, spare: number | null }, got s = [0,0,0,0]');
    expect(getRngState()).toEqual(before);
  });

  it('refuses a spare that is not a finite number or null, naming it', () => {
    expect(() => setRngState({ s: [1, 2, 3, 4], spare: 'x' as never })).toThrow('got spare = "x"');
    expect(() => setRngState({ s: [1, 2, 3, 4], spare: NaN })).toThrow('got spare = NaN');
  });

  it('shows the words it refused', () => {
    expect(() => setRngState({ s: [1, 2, -3, 4], spare: null })).toThrow('got s = [1,2,-3,4]');
  });
});
