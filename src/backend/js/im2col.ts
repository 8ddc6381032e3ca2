/**
 * im2col / col2im for one image, for the js conv2d kernels (js/conv2d.ts): the layout change
 * that turns a convolution into one gemm.
 */
import type { Window2d } from '../backend.js';

/**
 * Image x [channels, height, width] → cols [channels·kernelH·kernelW, outH·outW]: row (c, ki, kj)
 * holds, for every output position, the input value its kernel tap reads (0 where the tap falls
 * in the padding).
 */
export function im2col(x: Float32Array, channels: number, w: Window2d, cols: Float32Array): void {
  const { height, width, kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, outH, outW } = w;
  const plane = height * width;
  const outPlane = outH * outW;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const xc = c * plane;
    for (let ki = 0; ki < kernelH; ki++) {
      for (let kj = 0; kj < kernelW; kj++, row++) {
        const r = row * outPlane;
        for (let oi = 0; oi < outH; oi++) {
          const i = oi * strideH - padH + ki * dilationH;
          const ro = r + oi * outW;
          if (i < 0 || i >= height) {
            cols.fill(0, ro, ro + outW);
            continue;
          }
          const xi = xc + i * width;
          for (let oj = 0; oj < outW; oj++) {
            const j = oj * strideW - padW + kj * dilationW;
            cols[ro + oj] = j >= 0 && j < width ? x[xi + j] : 0;
          }
        }
      }
    }
  }
}

/** The adjoint of im2col: adds each column entry back onto the input pixel it was read from (x is accumulated into). */
export function col2im(cols: Float32Array, channels: number, w: Window2d, x: Float32Array): void {
  const { height, width, kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, outH, outW } = w;
  const plane = height * width;
  const outPlane = outH * outW;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const xc = c * plane;
    for (let ki = 0; ki < kernelH; ki++) {
      for (let kj = 0; kj < kernelW; kj++, row++) {
        const r = row * outPlane;
        for (let oi = 0; oi < outH; oi++) {
          const i = oi * strideH - padH + ki * dilationH;
          if (i < 0 || i >= height) continue;
          const ro = r + oi * outW;
          const xi = xc + i * width;
          for (let oj = 0; oj < outW; oj++) {
            const j = oj * strideW - padW + kj * dilationW;
            if (j >= 0 && j < width) x[xi + j] += cols[ro + oj];
          }
        }
      }
    }
  }
}
