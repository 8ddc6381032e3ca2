/**
 * Walks every index of `size` in row-major order, calling `inner(offsets, n)` once per
 * innermost row with the starting offset of each operand (offsets[t] = base[t] + Σ i_d·strides[t][d])
 * and the row length n. The innermost stride of each operand is strides[t][last].
 */
export function forEachRow(
  size: readonly number[], strides: readonly (readonly number[])[], base: readonly number[],
  inner: (offsets: number[], n: number) => void,
): void {
  const nd = size.length;
  const operands = strides.length;
  const offsets = base.slice();
  if (nd === 0) {
    inner(offsets, 1);
    return;
  }
  for (const d of size) if (d === 0) return;
  const counter = new Array<number>(nd).fill(0);
  const n = size[nd - 1];
  for (;;) {
    inner(offsets, n);
    let d = nd - 2;
    while (d >= 0) {
      counter[d]++;
      for (let t = 0; t < operands; t++) offsets[t] += strides[t][d];
      if (counter[d] < size[d]) break;
      for (let t = 0; t < operands; t++) offsets[t] -= strides[t][d] * size[d];
      counter[d] = 0;
      d--;
    }
    if (d < 0) return;
  }
}
