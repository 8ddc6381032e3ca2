/** Reductions over axes, arg-reductions, and the last-axis softmax for the js backend. */
import type { ReduceOp } from '../backend.js';
import { forEachRow } from './nd-loop.js';
import { stridesOf } from '../../shape.js';

export function reduce(op: ReduceOp, x: Float32Array, shape: readonly number[], axes: readonly number[], out: Float32Array): void {
  out.fill(op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity);
  if (x.length === 0) return;
  // Out strides over the input's index space: 0 along reduced axes.
  const inStrides = stridesOf(shape);
  const outStrides = new Array<number>(shape.length).fill(0);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (!axes.includes(d)) {
      outStrides[d] = s;
      s *= shape[d];
    }
  }
  const last = shape.length - 1;
  const lastReduced = last >= 0 && axes.includes(last);
  forEachRow(shape, [inStrides, outStrides], [0, 0], (off, n) => {
    const px = off[0];
    const po = off[1];
    if (lastReduced) {
      let acc = out[po];
      if (op === 'sum') for (let j = 0; j < n; j++) acc += x[px + j];
      else if (op === 'max') for (let j = 0; j < n; j++) { const v = x[px + j]; if (v > acc || Number.isNaN(v)) acc = v; }
      else for (let j = 0; j < n; j++) { const v = x[px + j]; if (v < acc || Number.isNaN(v)) acc = v; }
      out[po] = acc;
    } else if (op === 'sum') for (let j = 0; j < n; j++) out[po + j] += x[px + j];
    else if (op === 'max') for (let j = 0; j < n; j++) { const v = x[px + j]; if (v > out[po + j] || Number.isNaN(v)) out[po + j] = v; }
    else for (let j = 0; j < n; j++) { const v = x[px + j]; if (v < out[po + j] || Number.isNaN(v)) out[po + j] = v; }
  });
}

export function argReduce(op: 'max' | 'min', x: Float32Array, shape: readonly number[], axis: number, out: Int32Array): void {
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d];
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  const n = shape[axis] ?? 1;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let best = x[base];
      let arg = 0;
      // the first NaN wins, as in PyTorch (a NaN is both the largest and the smallest)
      for (let j = 1; j < n && !Number.isNaN(best); j++) {
        const v = x[base + j * inner];
        if (Number.isNaN(v) || (op === 'max' ? v > best : v < best)) { best = v; arg = j; }
      }
      out[o * inner + i] = arg;
    }
  }
}

export function softmax(x: Float32Array, rows: number, cols: number, out: Float32Array, log: boolean): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let m = -Infinity;
    for (let j = 0; j < cols; j++) if (x[o + j] > m) m = x[o + j];
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += Math.exp(x[o + j] - m);
    if (log) {
      const lse = m + Math.log(sum);
      for (let j = 0; j < cols; j++) out[o + j] = x[o + j] - lse;
    } else {
      for (let j = 0; j < cols; j++) out[o + j] = Math.exp(x[o + j] - m) / sum;
    }
  }
}

export function softmaxBackward(y: Float32Array, dy: Float32Array, rows: number, cols: number, out: Float32Array, log: boolean): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    if (log) {
      // d/dx of log-softmax: dx = dy − softmax · Σ dy
      let s = 0;
      for (let j = 0; j < cols; j++) s += dy[o + j];
      for (let j = 0; j < cols; j++) out[o + j] = dy[o + j] - Math.exp(y[o + j]) * s;
    } else {
      // dx = y · (dy − Σ dy·y)
      let s = 0;
      for (let j = 0; j < cols; j++) s += dy[o + j] * y[o + j];
      for (let j = 0; j < cols; j++) out[o + j] = y[o + j] * (dy[o + j] - s);
    }
  }
}
