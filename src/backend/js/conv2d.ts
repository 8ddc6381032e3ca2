/**
 * conv2d and its backward for the js backend, image by image: the image's columns (im2col) go
 * into one scratch array reused across the images, then one gemm each. The backward builds the
 * columns again instead of keeping the batch's from the forward.
 */
import type { Window2d } from '../backend.js';
import { gemm } from './gemm.js';
import { im2col, col2im } from './im2col.js';

function sizes(channels: number, w: Window2d, outChannels: number) {
  const patch = channels * w.kernelH * w.kernelW;
  const positions = w.outH * w.outW;
  return { patch, positions, imageIn: channels * w.height * w.width, imageOut: outChannels * positions };
}

export function conv2d(
  x: Float32Array, images: number, channels: number, w: Window2d,
  weight: Float32Array, outChannels: number, bias: Float32Array | null, out: Float32Array,
): void {
  const { patch, positions, imageIn, imageOut } = sizes(channels, w, outChannels);
  const cols = new Float32Array(patch * positions);
  for (let i = 0; i < images; i++) {
    const o = out.subarray(i * imageOut, (i + 1) * imageOut);
    if (bias) for (let ch = 0; ch < outChannels; ch++) o.fill(bias[ch], ch * positions, (ch + 1) * positions);
    im2col(x.subarray(i * imageIn, (i + 1) * imageIn), channels, w, cols);
    gemm(false, false, outChannels, positions, patch, 1, weight, cols, bias ? 1 : 0, o);
  }
}

export function conv2dBackward(
  x: Float32Array, dy: Float32Array, images: number, channels: number, w: Window2d,
  weight: Float32Array, outChannels: number,
  dx: Float32Array | null, dWeight: Float32Array | null, dBias: Float32Array | null,
): void {
  const { patch, positions, imageIn, imageOut } = sizes(channels, w, outChannels);
  const cols = new Float32Array(patch * positions);
  const biasSums = new Float64Array(outChannels);
  dWeight?.fill(0);
  for (let i = 0; i < images; i++) {
    const dyi = dy.subarray(i * imageOut, (i + 1) * imageOut);
    if (dWeight) {
      im2col(x.subarray(i * imageIn, (i + 1) * imageIn), channels, w, cols);
      gemm(false, true, outChannels, patch, positions, 1, dyi, cols, 1, dWeight);
    }
    if (dBias) {
      for (let ch = 0; ch < outChannels; ch++) {
        let s = 0;
        for (let p = ch * positions; p < (ch + 1) * positions; p++) s += dyi[p];
        biasSums[ch] += s;
      }
    }
    if (dx) {
      const dxi = dx.subarray(i * imageIn, (i + 1) * imageIn);
      dxi.fill(0);
      gemm(true, false, patch, positions, outChannels, 1, weight, dyi, 0, cols);
      col2im(cols, channels, w, dxi);
    }
  }
  if (dBias) for (let ch = 0; ch < outChannels; ch++) dBias[ch] = biasSums[ch];
}
