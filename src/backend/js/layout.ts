/** Layout kernels for the js backend: permutation and strided box copies. */
import { stridesOf } from '../../shape.js';
import { forEachRow } from './nd-loop.js';

export function permute(x: Float32Array, shape: readonly number[], perm: readonly number[], out: Float32Array): void {
  const inStrides = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]);
  const src = perm.map((p) => inStrides[p]);
  copyStrided(x, 0, src, out, 0, stridesOf(outShape), outShape, false);
}

export function copyStrided(
  x: Float32Array, xOffset: number, xStrides: readonly number[],
  out: Float32Array, outOffset: number, outStrides: readonly number[],
  size: readonly number[], accumulate: boolean,
): void {
  const last = size.length - 1;
  const ix = xStrides[last] ?? 0;
  const io = outStrides[last] ?? 0;
  forEachRow(size, [xStrides, outStrides], [xOffset, outOffset], (off, n) => {
    let px = off[0];
    let po = off[1];
    if (accumulate) for (let j = 0; j < n; j++, px += ix, po += io) out[po] += x[px];
    else if (ix === 1 && io === 1) out.set(x.subarray(px, px + n), po);
    else for (let j = 0; j < n; j++, px += ix, po += io) out[po] = x[px];
  });
}
