/** Fused LayerNorm kernels for the js backend (see Backend.layerNorm / layerNormBackward). */

/** values, or `cols` copies of fill when null (one loop then serves the affine and the plain case). */
function orFilled(values: Float32Array | null, cols: number, fill: number): Float32Array {
  return values ?? new Float32Array(cols).fill(fill);
}

/**
 * Per row of x [rows, cols]: the mean, then the biased variance around it (two passes in
 * float64, so a large mean does not cancel the variance), then the affine output.
 */
export function layerNorm(
  x: Float32Array, rows: number, cols: number, weight: Float32Array | null, bias: Float32Array | null,
  eps: number, out: Float32Array, mean: Float32Array, rstd: Float32Array,
): void {
  const w = orFilled(weight, cols, 1);
  const b = orFilled(bias, cols, 0);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let s = 0;
    for (let j = o; j < o + cols; j++) s += x[j];
    const mu = s / cols;
    let ss = 0;
    for (let j = o; j < o + cols; j++) {
      const d = x[j] - mu;
      ss += d * d;
    }
    const inv = 1 / Math.sqrt(ss / cols + eps);
    mean[r] = mu;
    rstd[r] = inv;
    for (let j = 0; j < cols; j++) out[o + j] = (x[o + j] - mu) * inv * w[j] + b[j];
  }
}

/**
 * dx row by row (its two sums Σ g and Σ g·x̂ in float64, g = dy·weight), and dWeight, dBias
 * summed over the rows in float64 accumulators.
 */
export function layerNormBackward(
  x: Float32Array, dy: Float32Array, rows: number, cols: number, weight: Float32Array | null,
  mean: Float32Array, rstd: Float32Array, dx: Float32Array | null, dWeight: Float32Array | null, dBias: Float32Array | null,
): void {
  const w = orFilled(weight, cols, 1);
  const sumDyXhat = dWeight ? new Float64Array(cols) : null;
  const sumDy = dBias ? new Float64Array(cols) : null;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    const mu = mean[r];
    const inv = rstd[r];
    if (dx) {
      let sumG = 0;
      let sumGXhat = 0;
      for (let j = 0; j < cols; j++) {
        const g = dy[o + j] * w[j];
        sumG += g;
        sumGXhat += g * (x[o + j] - mu) * inv;
      }
      const meanG = sumG / cols;
      const meanGXhat = sumGXhat / cols;
      for (let j = 0; j < cols; j++) {
        dx[o + j] = inv * (dy[o + j] * w[j] - meanG - (x[o + j] - mu) * inv * meanGXhat);
      }
    }
    if (sumDyXhat) for (let j = 0; j < cols; j++) sumDyXhat[j] += dy[o + j] * (x[o + j] - mu) * inv;
    if (sumDy) for (let j = 0; j < cols; j++) sumDy[j] += dy[o + j];
  }
  if (dWeight) dWeight.set(sumDyXhat!);
  if (dBias) dBias.set(sumDy!);
}
