/** Test helpers: seeded random inputs and closeness assertions. */
import { expect } from 'vitest';
import { gradcheck, manualSeed, randn, type Tensor } from '../src/index.js';

/** Random inputs that require grad, seeded so failures reproduce. */
export function inputs(seed: number, ...shapes: number[][]): Tensor[] {
  manualSeed(seed);
  return shapes.map((s) => randn(s, { requiresGrad: true }));
}

/** Asserts fn's analytic gradients match central differences for random inputs of the given shapes. */
export function expectGradsOk(fn: (...xs: Tensor[]) => Tensor, ...shapes: number[][]): void {
  expect(gradcheck(fn, inputs(shapes.length * 7 + shapes.flat().length, ...shapes))).toBe(true);
}

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol = 1e-5, rtol = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`element ${i}: ${a} is not close to ${e} (atol ${atol}, rtol ${rtol})`);
    }
  }
}
