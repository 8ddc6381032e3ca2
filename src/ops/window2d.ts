/** Options and output geometry shared by conv2d and the 2-D pools. */
import type { Tensor } from '../tensor.js';
import type { Window2d } from '../backend/backend.js';
import { formatShape } from '../shape.js';

/** A size given as one number for both spatial dimensions or as [height, width]. */
export type Size2 = number | [number, number];

/** [h, w] from a number or a pair, each an integer ≥ min, or an error naming the op and option. */
export function pair(op: string, option: string, value: Size2, min: number): [number, number] {
  const hw = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(hw) || hw.length !== 2 || hw.some((v) => typeof v !== 'number' || !Number.isInteger(v) || v < min)) {
    throw new Error(`${op}: ${option} must be an integer ≥ ${min} or a pair [h, w] of them, got ${JSON.stringify(value)}`);
  }
  return [hw[0], hw[1]];
}

/** Throws unless x is 4-D [N, C, H, W]. */
export function checkNCHW(op: string, x: Tensor): void {
  if (x.ndim !== 4) {
    throw new Error(`${op}: input must be 4-D [N, C, H, W], got shape ${formatShape(x.shape)}`);
  }
}

/**
 * The window over x's last two dimensions and the output size
 * ⌊(H + 2·pad − dilation·(k − 1) − 1) / stride⌋ + 1, or an error when the (dilated) kernel
 * does not fit in the padded input.
 */
export function window2d(
  op: string, shape: readonly number[], kernel: [number, number], stride: [number, number],
  padding: [number, number], dilation: [number, number],
): Window2d {
  const height = shape[shape.length - 2];
  const width = shape[shape.length - 1];
  const spanH = dilation[0] * (kernel[0] - 1) + 1;
  const spanW = dilation[1] * (kernel[1] - 1) + 1;
  const paddedH = height + 2 * padding[0];
  const paddedW = width + 2 * padding[1];
  if (spanH > paddedH || spanW > paddedW) {
    const what = dilation[0] === 1 && dilation[1] === 1 ? 'kernel' : 'dilated kernel';
    throw new Error(
      `${op}: ${what} ${spanH}x${spanW} is larger than the padded input ${paddedH}x${paddedW} (input ${formatShape(shape)}, padding ${padding[0]}x${padding[1]})`,
    );
  }
  return {
    height, width,
    kernelH: kernel[0], kernelW: kernel[1],
    strideH: stride[0], strideW: stride[1],
    padH: padding[0], padW: padding[1],
    dilationH: dilation[0], dilationW: dilation[1],
    outH: Math.floor((paddedH - spanH) / stride[0]) + 1,
    outW: Math.floor((paddedW - spanW) / stride[1]) + 1,
  };
}

/** Pools need every window to hold a real pixel: padding at most half the kernel (PyTorch's rule). */
export function checkPoolPadding(op: string, kernel: [number, number], padding: [number, number]): void {
  if (padding[0] > kernel[0] / 2 || padding[1] > kernel[1] / 2) {
    throw new Error(`${op}: padding ${padding[0]}x${padding[1]} must be at most half the kernel size ${kernel[0]}x${kernel[1]}`);
  }
}

/**
 * A pool's window over x: x is 4-D, kernelSize/stride (default: the kernel)/padding are valid
 * sizes, padding is at most half the kernel, and the window fits the padded input.
 */
export function poolWindow(
  op: string, x: Tensor, kernelSize: Size2, options: { stride?: Size2; padding?: Size2 },
): { win: Window2d; kernel: [number, number]; stride: [number, number]; padding: [number, number] } {
  checkNCHW(op, x);
  const kernel = pair(op, 'kernelSize', kernelSize, 1);
  const stride = pair(op, 'stride', options.stride ?? kernel, 1);
  const padding = pair(op, 'padding', options.padding ?? 0, 0);
  checkPoolPadding(op, kernel, padding);
  return { win: window2d(op, x.shape, kernel, stride, padding, [1, 1]), kernel, stride, padding };
}
