/** 2-D max and average pooling kernels for the js backend, over `planes` = batch·channels planes. */
import type { Window2d } from '../backend.js';

/** out[p, oi, oj] = max over the window (padding counts as −∞, NaN propagates); argmax = the winner's index in its plane. */
export function maxPool2d(x: Float32Array, planes: number, w: Window2d, out: Float32Array, argmax: Int32Array): void {
  const { height, width, kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, outH, outW } = w;
  if (kernelH === 2 && kernelW === 2 && padH === 0 && padW === 0 && dilationH === 1 && dilationW === 1) {
    maxPool2x2(x, planes, w, out, argmax);
    return;
  }
  const plane = height * width;
  const outPlane = outH * outW;
  for (let p = 0; p < planes; p++) {
    const xp = p * plane;
    for (let oi = 0; oi < outH; oi++) {
      for (let oj = 0; oj < outW; oj++) {
        let best = -Infinity;
        let arg = -1;
        for (let ki = 0; ki < kernelH; ki++) {
          const i = oi * strideH - padH + ki * dilationH;
          if (i < 0 || i >= height) continue;
          for (let kj = 0; kj < kernelW; kj++) {
            const j = oj * strideW - padW + kj * dilationW;
            if (j < 0 || j >= width) continue;
            const v = x[xp + i * width + j];
            if (v > best || Number.isNaN(v) || arg < 0) {
              best = v;
              arg = i * width + j;
              if (Number.isNaN(v)) break;
            }
          }
          if (Number.isNaN(best)) break;
        }
        const o = p * outPlane + oi * outW + oj;
        out[o] = best;
        argmax[o] = arg;
      }
    }
  }
}

/**
 * The common 2×2 window without padding: every tap is in bounds. Same rule as the general loop:
 * taps in row-major order, a larger value or a NaN takes over, a NaN ends the window.
 */
function maxPool2x2(x: Float32Array, planes: number, w: Window2d, out: Float32Array, argmax: Int32Array): void {
  const { height, width, strideH, strideW, outH, outW } = w;
  const plane = height * width;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const xp = p * plane;
    for (let oi = 0; oi < outH; oi++) {
      const row = oi * strideH * width;
      for (let oj = 0; oj < outW; oj++, o++) {
        const t0 = row + oj * strideW;
        const a = x[xp + t0], b = x[xp + t0 + 1], c = x[xp + t0 + width], d = x[xp + t0 + width + 1];
        let best = a;
        let arg = t0;
        if (a === a && b === b && c === c && d === d) {
          // No NaN (the usual case): strict > keeps the first of equal values.
          if (b > best) { best = b; arg = t0 + 1; }
          if (c > best) { best = c; arg = t0 + width; }
          if (d > best) { best = d; arg = t0 + width + 1; }
        } else if (a === a) {
          // The first NaN in tap order wins.
          if (b !== b) arg = t0 + 1;
          else if (c !== c) arg = t0 + width;
          else arg = t0 + width + 1;
          best = NaN;
        }
        out[o] = best;
        argmax[o] = arg;
      }
    }
  }
}

/** dx (accumulated into) += dy routed to each window's argmax. */
export function maxPool2dBackward(dy: Float32Array, argmax: Int32Array, planes: number, w: Window2d, dx: Float32Array): void {
  const plane = w.height * w.width;
  const outPlane = w.outH * w.outW;
  for (let p = 0; p < planes; p++) {
    const xp = p * plane;
    const op = p * outPlane;
    for (let o = 0; o < outPlane; o++) {
      const a = argmax[op + o];
      if (a >= 0) dx[xp + a] += dy[op + o];
    }
  }
}

/** out = window mean with zero padding counted in the divisor (PyTorch's count_include_pad=True). */
export function avgPool2d(x: Float32Array, planes: number, w: Window2d, out: Float32Array): void {
  const { height, width, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW } = w;
  const plane = height * width;
  const outPlane = outH * outW;
  const scale = 1 / (kernelH * kernelW);
  for (let p = 0; p < planes; p++) {
    const xp = p * plane;
    for (let oi = 0; oi < outH; oi++) {
      const i0 = Math.max(oi * strideH - padH, 0);
      const i1 = Math.min(oi * strideH - padH + kernelH, height);
      for (let oj = 0; oj < outW; oj++) {
        const j0 = Math.max(oj * strideW - padW, 0);
        const j1 = Math.min(oj * strideW - padW + kernelW, width);
        let s = 0;
        for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) s += x[xp + i * width + j];
        out[p * outPlane + oi * outW + oj] = s * scale;
      }
    }
  }
}

/** dx (accumulated into) += dy / (kernelH·kernelW) spread over each window's in-bounds pixels. */
export function avgPool2dBackward(dy: Float32Array, planes: number, w: Window2d, dx: Float32Array): void {
  const { height, width, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW } = w;
  const plane = height * width;
  const outPlane = outH * outW;
  const scale = 1 / (kernelH * kernelW);
  for (let p = 0; p < planes; p++) {
    const xp = p * plane;
    for (let oi = 0; oi < outH; oi++) {
      const i0 = Math.max(oi * strideH - padH, 0);
      const i1 = Math.min(oi * strideH - padH + kernelH, height);
      for (let oj = 0; oj < outW; oj++) {
        const j0 = Math.max(oj * strideW - padW, 0);
        const j1 = Math.min(oj * strideW - padW + kernelW, width);
        const g = dy[p * outPlane + oi * outW + oj] * scale;
        for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) dx[xp + i * width + j] += g;
      }
    }
  }
}
