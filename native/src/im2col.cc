// im2col(x, channels, window, cols, images = 1) and col2im(cols, channels, window, x, images = 1),
// as js/im2col.ts: x [images, channels, height, width], cols [images, channels·kernelH·kernelW,
// outH·outW] (one image's columns after the other), 0 where a tap reads the padding. Threaded
// over images (each thread writes its own images' columns, or its own images).
#include <algorithm>

#include "im2col.h"

#include "args.h"
#include "kernels.h"
#include "parallel.h"

namespace nabla {

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

namespace {

// Elements of the images and of their columns.
void sizes(const Args& args, int64_t images, int64_t channels, const Window2d& w, uint64_t* image, uint64_t* cols) {
  uint64_t plane = 0, patch = 0, one = 0, positions = 0;
  if (__builtin_mul_overflow(static_cast<uint64_t>(w.height), static_cast<uint64_t>(w.width), &plane) ||
      __builtin_mul_overflow(plane, static_cast<uint64_t>(channels), &one) ||
      __builtin_mul_overflow(one, static_cast<uint64_t>(images), image) ||
      __builtin_mul_overflow(static_cast<uint64_t>(channels) * w.kernelH, static_cast<uint64_t>(w.kernelW), &patch) ||
      __builtin_mul_overflow(static_cast<uint64_t>(w.outH) * w.outW, static_cast<uint64_t>(images), &positions) ||
      __builtin_mul_overflow(patch, positions, cols)) {
    args.fail("sizes are too large");
  }
}

// The optional images argument (1 when absent).
int64_t imagesArg(const Args& args, const Napi::CallbackInfo& info, size_t i) {
  return info.Length() > i && !info[i].IsUndefined() ? args.size(i, "images") : 1;
}

}  // namespace

Napi::Value Im2col(const Napi::CallbackInfo& info) {
  Args args(info, "im2col");
  const int64_t channels = args.size(1, "channels");
  const Window2d w = readWindow(args, info, 2);
  const int64_t images = imagesArg(args, info, 4);
  uint64_t image = 0, colsSize = 0;
  sizes(args, images, channels, w, &image, &colsSize);
  const Floats x = args.floats(0, "x", image);
  const Floats cols = args.floats(3, "cols", colsSize);
  const int64_t imageIn = channels * w.height * w.width;
  const int64_t patchCols = channels * w.kernelH * w.kernelW * w.outH * w.outW;
  parallelFor(images, patchCols, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; i++) im2colLoop(x.data + i * imageIn, channels, w, cols.data + i * patchCols);
  });
  return info.Env().Undefined();
}

Napi::Value Col2im(const Napi::CallbackInfo& info) {
  Args args(info, "col2im");
  const int64_t channels = args.size(1, "channels");
  const Window2d w = readWindow(args, info, 2);
  const int64_t images = imagesArg(args, info, 4);
  uint64_t image = 0, colsSize = 0;
  sizes(args, images, channels, w, &image, &colsSize);
  const Floats cols = args.floats(0, "cols", colsSize);
  const Floats x = args.floats(3, "x", image);
  const int64_t imageIn = channels * w.height * w.width;
  const int64_t patchCols = channels * w.kernelH * w.kernelW * w.outH * w.outW;
  parallelFor(images, patchCols, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; i++) col2imLoop(cols.data + i * patchCols, channels, w, x.data + i * imageIn);
  });
  return info.Env().Undefined();
}

}  // namespace nabla
