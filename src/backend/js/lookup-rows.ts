/** out[k·rowSize + j] = table[src[rows[k]·rowSize + j]] for k < count: byte rows gathered and converted through a table. */
export function lookupRows(src: Uint8Array, rowSize: number, rows: Int32Array, count: number, table: Float32Array, out: Float32Array): void {
  for (let k = 0; k < count; k++) {
    const from = src.subarray(rows[k] * rowSize, (rows[k] + 1) * rowSize);
    const to = out.subarray(k * rowSize, (k + 1) * rowSize);
    for (let j = 0; j < rowSize; j++) to[j] = table[from[j]];
  }
}
