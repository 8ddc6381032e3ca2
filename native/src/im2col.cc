// One image's im2col and col2im loops (im2col.h), as js/im2col.ts: x [channels, height, width],
// cols [channels·kernelH·kernelW, outH·outW], 0 where a tap reads the padding. conv2d.cc runs
// them image by image.
#include "im2col.h"

#include <algorithm>

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

}  // namespace nabla
