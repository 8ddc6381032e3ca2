/** im2col / col2im for the js backend: the layout change that turns a convolution into one gemm. */
import type { Window2d } from '../backend.js';

/**
 * Images x [images, channels, height, width] → cols [images, channels·kernelH·kernelW, outH·outW]:
 * row (c, ki, kj) of an image's columns holds, for every output position, the input value its
 * kernel tap reads (0 where the tap falls in the padding).
 */
export function im2col(x: Float32Array, channels: number, w: Window2d, cols: Float32Array, images = 1): void {
  const { height, width, kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, outH, outW } = w;
  const plane = height * width;
  const outPlane = outH * outW;
  for (let n = 0; n < images; n++) {
    let row = 0;
    for (let c = 0; c < channels; c++) {
      const xc = (n * channels + c) * plane;
      for (let ki = 0; ki < kernelH; ki++) {
        for (let kj = 0; kj < kernelW; kj++, row++) {
          const r = (n * channels * kernelH * kernelW + row) * outPlane;
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
}

/** The adjoint of im2col: adds each column entry back onto the input pixel it was read from (x is accumulated into). */
export function col2im(cols: Float32Array, channels: number, w: Window2d, x: Float32Array, images = 1): void {
  const { height, width, kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, outH, outW } = w;
  const plane = height * width;
  const outPlane = outH * outW;
  for (let n = 0; n < images; n++) {
    let row = 0;
    for (let c = 0; c < channels; c++) {
      const xc = (n * channels + c) * plane;
      for (let ki = 0; ki < kernelH; ki++) {
        for (let kj = 0; kj < kernelW; kj++, row++) {
          const r = (n * channels * kernelH * kernelW + row) * outPlane;
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
}
