/** The index of the first NaN or ±Infinity in x, or −1. (v − v is NaN exactly for those.) */
export function firstNonFinite(x: Float32Array): number {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v - v !== 0) return i;
  }
  return -1;
}
