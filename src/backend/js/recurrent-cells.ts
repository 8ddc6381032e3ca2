/**
 * The pointwise parts of an LSTM and a GRU time step (the products h·W_hhᵀ are gemms the layer
 * ops make): the reference loops, in double arithmetic rounded to float32 as each value is stored.
 */
import { sigmoid } from './unary.js';

export function lstmCell(gates: Float32Array, cPrev: Float32Array, batch: number, hidden: number, c: Float32Array, h: Float32Array): void {
  for (let b = 0; b < batch; b++) {
    const g0 = b * 4 * hidden;
    const row = b * hidden;
    for (let j = 0; j < hidden; j++) {
      const i = sigmoid(gates[g0 + j]);
      const f = sigmoid(gates[g0 + hidden + j]);
      const g = Math.tanh(gates[g0 + 2 * hidden + j]);
      const o = sigmoid(gates[g0 + 3 * hidden + j]);
      gates[g0 + j] = i;
      gates[g0 + hidden + j] = f;
      gates[g0 + 2 * hidden + j] = g;
      gates[g0 + 3 * hidden + j] = o;
      const cell = Math.fround(f * cPrev[row + j] + i * g);
      c[row + j] = cell;
      h[row + j] = o * Math.tanh(cell);
    }
  }
}

export function lstmCellBackward(
  gates: Float32Array, cPrev: Float32Array, c: Float32Array, dhOut: Float32Array, dh: Float32Array,
  dc: Float32Array, batch: number, hidden: number, dGates: Float32Array,
): void {
  for (let b = 0; b < batch; b++) {
    const g0 = b * 4 * hidden;
    const row = b * hidden;
    for (let j = 0; j < hidden; j++) {
      const i = gates[g0 + j];
      const f = gates[g0 + hidden + j];
      const g = gates[g0 + 2 * hidden + j];
      const o = gates[g0 + 3 * hidden + j];
      const tc = Math.tanh(c[row + j]);
      const dhTotal = dh[row + j] + dhOut[row + j];
      const dcTotal = dc[row + j] + dhTotal * o * (1 - tc * tc);
      dGates[g0 + j] = dcTotal * g * i * (1 - i);
      dGates[g0 + hidden + j] = dcTotal * cPrev[row + j] * f * (1 - f);
      dGates[g0 + 2 * hidden + j] = dcTotal * i * (1 - g * g);
      dGates[g0 + 3 * hidden + j] = dhTotal * tc * o * (1 - o);
      dc[row + j] = dcTotal * f;
    }
  }
}

export function gruCell(gates: Float32Array, hGates: Float32Array, hPrev: Float32Array, batch: number, hidden: number, h: Float32Array): void {
  for (let b = 0; b < batch; b++) {
    const g0 = b * 3 * hidden;
    const row = b * hidden;
    for (let j = 0; j < hidden; j++) {
      const r = sigmoid(gates[g0 + j] + hGates[g0 + j]);
      const z = sigmoid(gates[g0 + hidden + j] + hGates[g0 + hidden + j]);
      const n = Math.tanh(gates[g0 + 2 * hidden + j] + r * hGates[g0 + 2 * hidden + j]);
      gates[g0 + j] = r;
      gates[g0 + hidden + j] = z;
      gates[g0 + 2 * hidden + j] = n;
      h[row + j] = (1 - z) * n + z * hPrev[row + j];
    }
  }
}

export function gruCellBackward(
  gates: Float32Array, hGates: Float32Array, hPrev: Float32Array, dhOut: Float32Array, dh: Float32Array,
  batch: number, hidden: number, dGates: Float32Array, dhGates: Float32Array,
): void {
  for (let b = 0; b < batch; b++) {
    const g0 = b * 3 * hidden;
    const row = b * hidden;
    for (let j = 0; j < hidden; j++) {
      const r = gates[g0 + j];
      const z = gates[g0 + hidden + j];
      const n = gates[g0 + 2 * hidden + j];
      const dhTotal = dh[row + j] + dhOut[row + j];
      const dn = dhTotal * (1 - z) * (1 - n * n);
      const dz = dhTotal * (hPrev[row + j] - n) * z * (1 - z);
      const dr = dn * hGates[g0 + 2 * hidden + j] * r * (1 - r);
      dGates[g0 + j] = dr;
      dGates[g0 + hidden + j] = dz;
      dGates[g0 + 2 * hidden + j] = dn;
      dhGates[g0 + j] = dr;
      dhGates[g0 + hidden + j] = dz;
      dhGates[g0 + 2 * hidden + j] = dn * r;
      dh[row + j] = dhTotal * z;
    }
  }
}
