/** Elementwise binary kernels with broadcasting, and `where`, for the js backend. */
import type { BinaryOp } from '../backend.js';
import { forEachRow } from './nd-loop.js';
import { broadcastStrides } from '../../shape.js';

const FN: Record<BinaryOp, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  pow: (x, y) => Math.pow(x, y),
  maximum: (x, y) => (x >= y || Number.isNaN(x) ? x : y),
  minimum: (x, y) => (x <= y || Number.isNaN(x) ? x : y),
  eq: (x, y) => (x === y ? 1 : 0),
  gt: (x, y) => (x > y ? 1 : 0),
  ge: (x, y) => (x >= y ? 1 : 0),
  lt: (x, y) => (x < y ? 1 : 0),
  le: (x, y) => (x <= y ? 1 : 0),
};

/** Same-length operands: the common case gets a loop without a call per element. */
function flat(op: BinaryOp, a: Float32Array, b: Float32Array, out: Float32Array, n: number): void {
  switch (op) {
    case 'add': for (let i = 0; i < n; i++) out[i] = a[i] + b[i]; return;
    case 'sub': for (let i = 0; i < n; i++) out[i] = a[i] - b[i]; return;
    case 'mul': for (let i = 0; i < n; i++) out[i] = a[i] * b[i]; return;
    case 'div': for (let i = 0; i < n; i++) out[i] = a[i] / b[i]; return;
    default: {
      const f = FN[op];
      for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
    }
  }
}

function withScalarB(op: BinaryOp, a: Float32Array, y: number, out: Float32Array, n: number): void {
  switch (op) {
    case 'add': for (let i = 0; i < n; i++) out[i] = a[i] + y; return;
    case 'sub': for (let i = 0; i < n; i++) out[i] = a[i] - y; return;
    case 'mul': for (let i = 0; i < n; i++) out[i] = a[i] * y; return;
    case 'div': for (let i = 0; i < n; i++) out[i] = a[i] / y; return;
    default: {
      const f = FN[op];
      for (let i = 0; i < n; i++) out[i] = f(a[i], y);
    }
  }
}

export function binary(
  op: BinaryOp, a: Float32Array, aShape: readonly number[], b: Float32Array, bShape: readonly number[],
  out: Float32Array, outShape: readonly number[],
): void {
  const n = out.length;
  if (a.length === n && b.length === n) return flat(op, a, b, out, n);
  if (b.length === 1 && a.length === n) return withScalarB(op, a, b[0], out, n);
  const f = FN[op];
  if (a.length === 1 && b.length === n) {
    const x = a[0];
    for (let i = 0; i < n; i++) out[i] = f(x, b[i]);
    return;
  }
  const sa = broadcastStrides(aShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  const so = broadcastStrides(outShape, outShape);
  const last = outShape.length - 1;
  const ia = sa[last] ?? 0;
  const ib = sb[last] ?? 0;
  forEachRow(outShape, [sa, sb, so], [0, 0, 0], (off, len) => {
    let pa = off[0];
    let pb = off[1];
    const po = off[2];
    for (let j = 0; j < len; j++, pa += ia, pb += ib) out[po + j] = f(a[pa], b[pb]);
  });
}

export function where(
  cond: Float32Array, condShape: readonly number[], a: Float32Array, aShape: readonly number[],
  b: Float32Array, bShape: readonly number[], out: Float32Array, outShape: readonly number[],
): void {
  const sc = broadcastStrides(condShape, outShape);
  const sa = broadcastStrides(aShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  const so = broadcastStrides(outShape, outShape);
  const last = outShape.length - 1;
  const ic = sc[last] ?? 0;
  const ia = sa[last] ?? 0;
  const ib = sb[last] ?? 0;
  forEachRow(outShape, [sc, sa, sb, so], [0, 0, 0, 0], (off, len) => {
    let pc = off[0];
    let pa = off[1];
    let pb = off[2];
    const po = off[3];
    for (let j = 0; j < len; j++, pc += ic, pa += ia, pb += ib) out[po + j] = cond[pc] !== 0 ? a[pa] : b[pb];
  });
}
