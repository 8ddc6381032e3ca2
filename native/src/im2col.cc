// im2col(x, channels, window, cols) and col2im(cols, channels, window, x) for one image, as
// js/im2col.ts: cols [channels·kernelH·kernelW, outH·outW], 0 where a tap reads the padding.
#include <algorithm>

#include "args.h"
#include "kernels.h"
#include "window2d.h"

namespace nabla {

namespace {

__attribute__((optimize("no-tree-loop-distribute-patterns")))
void im2colLoop(const float* x, int64_t channels, const Window2d& w, float* cols) {
  const int64_t plane = w.height * w.width;
  const int64_t outPlane = w.outH * w.outW;
  int64_t row = 0;
  for (int64_t c = 0; c < channels; c++) {
    const float* xc = x + c * plane;
    for (int64_t ki = 0; ki < w.kernelH; ki++) {
      for (int64_t kj = 0; kj < w.kernelW; kj++, row++) {
        float* r = cols + row * outPlane;
        // The output columns whose tap lands inside the row: j = oj·strideW − padW + kj·dilationW ∈ [0, width).
        const int64_t shift = kj * w.dilationW - w.padW;
        int64_t ojLo = 0;
        while (ojLo < w.outW && ojLo * w.strideW + shift < 0) ojLo++;
        int64_t ojHi = w.outW;
        while (ojHi > ojLo && (ojHi - 1) * w.strideW + shift >= w.width) ojHi--;
        for (int64_t oi = 0; oi < w.outH; oi++) {
          const int64_t i = oi * w.strideH - w.padH + ki * w.dilationH;
          float* ro = r + oi * w.outW;
          if (i < 0 || i >= w.height) {
            std::fill(ro, ro + w.outW, 0.0f);
            continue;
          }
          const float* xi = xc + i * w.width + shift;
          // Rows are short (an output row, 7 to 28 values here): plain loops, not memset/memcpy calls.
          for (int64_t oj = 0; oj < ojLo; oj++) ro[oj] = 0.0f;
          if (w.strideW == 1) for (int64_t oj = ojLo; oj < ojHi; oj++) ro[oj] = xi[oj];
          else for (int64_t oj = ojLo; oj < ojHi; oj++) ro[oj] = xi[oj * w.strideW];
          for (int64_t oj = ojHi; oj < w.outW; oj++) ro[oj] = 0.0f;
        }
      }
    }
  }
}

void col2imLoop(const float* cols, int64_t channels, const Window2d& w, float* x) {
  const int64_t plane = w.height * w.width;
  const int64_t outPlane = w.outH * w.outW;
  int64_t row = 0;
  for (int64_t c = 0; c < channels; c++) {
    float* xc = x + c * plane;
    for (int64_t ki = 0; ki < w.kernelH; ki++) {
      for (int64_t kj = 0; kj < w.kernelW; kj++, row++) {
        const float* r = cols + row * outPlane;
        const int64_t shift = kj * w.dilationW - w.padW;
        int64_t ojLo = 0;
        while (ojLo < w.outW && ojLo * w.strideW + shift < 0) ojLo++;
        int64_t ojHi = w.outW;
        while (ojHi > ojLo && (ojHi - 1) * w.strideW + shift >= w.width) ojHi--;
        for (int64_t oi = 0; oi < w.outH; oi++) {
          const int64_t i = oi * w.strideH - w.padH + ki * w.dilationH;
          if (i < 0 || i >= w.height) continue;
          const float* ro = r + oi * w.outW;
          float* xi = xc + i * w.width + shift;
          for (int64_t oj = ojLo; oj < ojHi; oj++) xi[oj * w.strideW] += ro[oj];
        }
      }
    }
  }
}

// Elements of one image and of its columns.
void sizes(const Args& args, int64_t channels, const Window2d& w, uint64_t* image, uint64_t* cols) {
  uint64_t plane = 0, patch = 0;
  if (__builtin_mul_overflow(static_cast<uint64_t>(w.height), static_cast<uint64_t>(w.width), &plane) ||
      __builtin_mul_overflow(plane, static_cast<uint64_t>(channels), image) ||
      __builtin_mul_overflow(static_cast<uint64_t>(channels) * w.kernelH, static_cast<uint64_t>(w.kernelW), &patch) ||
      __builtin_mul_overflow(patch, static_cast<uint64_t>(w.outH) * w.outW, cols)) {
    args.fail("sizes are too large");
  }
}

}  // namespace

Napi::Value Im2col(const Napi::CallbackInfo& info) {
  Args args(info, "im2col");
  const int64_t channels = args.size(1, "channels");
  const Window2d w = readWindow(args, info, 2);
  uint64_t image = 0, colsSize = 0;
  sizes(args, channels, w, &image, &colsSize);
  const Floats x = args.floats(0, "x", image);
  const Floats cols = args.floats(3, "cols", colsSize);
  im2colLoop(x.data, channels, w, cols.data);
  return info.Env().Undefined();
}

Napi::Value Col2im(const Napi::CallbackInfo& info) {
  Args args(info, "col2im");
  const int64_t channels = args.size(1, "channels");
  const Window2d w = readWindow(args, info, 2);
  uint64_t image = 0, colsSize = 0;
  sizes(args, channels, w, &image, &colsSize);
  const Floats cols = args.floats(0, "cols", colsSize);
  const Floats x = args.floats(3, "x", image);
  col2imLoop(cols.data, channels, w, x.data);
  return info.Env().Undefined();
}

}  // namespace nabla
