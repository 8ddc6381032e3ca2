/**
 * out[k·rowSize + j] = table[src[rows[k]·rowSize + j]] for k < count: byte rows gathered and
 * converted through a table. Checks its arguments like the native kernel, whose messages it shares.
 */
export function lookupRows(src: Uint8Array, rowSize: number, rows: Int32Array, count: number, table: Float32Array, out: Float32Array): void {
  if (rows.length < count) throw new Error(`lookupRows: rows has ${rows.length} elements, needs at least ${count}`);
  if (table.length < 256) throw new Error(`lookupRows: table has ${table.length} elements, needs at least 256`);
  if (out.length < count * rowSize) throw new Error(`lookupRows: out has ${out.length} elements, needs at least ${count * rowSize}`);
  for (let k = 0; k < count; k++) {
    const row = rows[k];
    if (row < 0) throw new Error(`lookupRows: rows[${k}] is ${row}, a row index must be ≥ 0`);
    if ((row + 1) * rowSize > src.length) throw new Error(`lookupRows: src has ${src.length} elements, needs at least ${(row + 1) * rowSize}`);
  }
  for (let k = 0; k < count; k++) {
    const from = src.subarray(rows[k] * rowSize, (rows[k] + 1) * rowSize);
    const to = out.subarray(k * rowSize, (k + 1) * rowSize);
    for (let j = 0; j < rowSize; j++) to[j] = table[from[j]];
  }
}
