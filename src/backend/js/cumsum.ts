/** Running sums along an axis for the js backend (see Backend.cumsum). */

/** x as [outer, size, inner]: one float64 accumulator per inner position, carried along the axis. */
export function cumsum(x: Float32Array, outer: number, size: number, inner: number, reverse: boolean, out: Float32Array): void {
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    const base = o * size * inner;
    for (let step = 0; step < size; step++) {
      const at = base + (reverse ? size - 1 - step : step) * inner;
      for (let k = 0; k < inner; k++) {
        acc[k] += x[at + k];
        out[at + k] = acc[k];
      }
    }
  }
}
