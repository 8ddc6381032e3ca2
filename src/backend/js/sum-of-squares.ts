/** Σ x² in double (clipGradNorm's 2-norm). x·x, not x ** 2: V8 calls pow for a variable exponent. */
export function sumOfSquares(x: Float32Array): number {
  let total = 0;
  for (let i = 0; i < x.length; i++) total += x[i] * x[i];
  return total;
}
