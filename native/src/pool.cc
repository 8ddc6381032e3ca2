// maxPool2d / maxPool2dBackward / avgPool2d / avgPool2dBackward over `planes` planes, as
// js/pool.ts: max lets NaN win and pads with −∞; avg counts the padding in its divisor and sums in double.
#include <algorithm>
#include <limits>

#include "args.h"
#include "fields.h"
#include "kernels.h"
#include "max-pool.h"
#include "parallel.h"
#include "simd.h"

namespace nabla {

namespace {

// One output row of the 2×2, stride-2 window, branch-free so the compiler vectorizes it: strict >
// in tap order keeps the first of equal values. Returns false when the rows hold a NaN: the
// caller then rewrites the row by the general rule (a NaN wins and ends its window).
// AVX2 at most: rows are short (14 outputs for 28 pixels), too short for 16-wide AVX-512 vectors,
// whose clone ran them all in the scalar tail (1.6 vs 0.8 ms for the CNN's first pool).
NABLA_CLONES_AVX2
bool maxPoolRow2x2(const float* __restrict r0, const float* __restrict r1, int64_t outW, int32_t row, int32_t width, float* __restrict out,
                   int32_t* __restrict argmax) {
  int nan = 0;
  for (int64_t oj = 0; oj < outW; oj++) {
    const float a = r0[2 * oj], b = r0[2 * oj + 1], c = r1[2 * oj], d = r1[2 * oj + 1];
    nan |= (a != a) | (b != b) | (c != c) | (d != d);
    const int32_t j = row + 2 * static_cast<int32_t>(oj);
    float best = a;
    int32_t arg = j;
    if (b > best) { best = b; arg = j + 1; }
    if (c > best) { best = c; arg = j + width; }
    if (d > best) { best = d; arg = j + width + 1; }
    out[oj] = best;
    argmax[oj] = arg;
  }
  return nan == 0;
}

// The common 2×2 window without padding: every tap is in bounds, so no checks. Same rule as the
// general loop: taps in row-major order, a larger value or a NaN takes over, a NaN ends the window.
void maxPool2x2(const float* x, int64_t planes, const Window2d& w, float* out, int32_t* argmax) {
  const int64_t plane = w.height * w.width;
  for (int64_t p = 0; p < planes; p++) {
    const float* xp = x + p * plane;
    for (int64_t oi = 0; oi < w.outH; oi++) {
      const int64_t row = oi * w.strideH * w.width;
      const float* r0 = xp + row;
      const float* r1 = r0 + w.width;
      if (w.strideW == 2 && maxPoolRow2x2(r0, r1, w.outW, static_cast<int32_t>(row), static_cast<int32_t>(w.width), out, argmax)) {
        out += w.outW;
        argmax += w.outW;
        continue;
      }
      for (int64_t oj = 0; oj < w.outW; oj++) {
        const int64_t j = oj * w.strideW;
        const float a = r0[j], b = r0[j + 1], c = r1[j], d = r1[j + 1];
        float best = a;
        int64_t arg = row + j;
        if (a == a && b == b && c == c && d == d) {
          // No NaN (the usual case): strict > keeps the first of equal values, as the general rule.
          if (b > best) { best = b; arg = row + j + 1; }
          if (c > best) { best = c; arg = row + w.width + j; }
          if (d > best) { best = d; arg = row + w.width + j + 1; }
        } else {
          const int64_t taps[4] = {row + j, row + j + 1, row + w.width + j, row + w.width + j + 1};
          for (int t = 1; t < 4 && best == best; t++) {
            const float v = xp[taps[t]];
            if (v > best || v != v) {
              best = v;
              arg = taps[t];
            }
          }
        }
        *out++ = best;
        *argmax++ = static_cast<int32_t>(arg);
      }
    }
  }
}

// Any window: taps in row-major order, the padding skipped, a larger value or a NaN takes over.
void maxPoolGeneral(const float* x, int64_t planes, const Window2d& w, float* out, int32_t* argmax) {
  const int64_t plane = w.height * w.width;
  const int64_t outPlane = w.outH * w.outW;
  for (int64_t p = 0; p < planes; p++) {
    const float* xp = x + p * plane;
    for (int64_t oi = 0; oi < w.outH; oi++) {
      const int64_t i0 = oi * w.strideH - w.padH;
      for (int64_t oj = 0; oj < w.outW; oj++) {
        const int64_t j0 = oj * w.strideW - w.padW;
        float best = -std::numeric_limits<float>::infinity();
        int32_t arg = -1;
        bool nan = false;
        for (int64_t ki = 0; ki < w.kernelH && !nan; ki++) {
          const int64_t i = i0 + ki * w.dilationH;
          if (i < 0 || i >= w.height) continue;
          for (int64_t kj = 0; kj < w.kernelW; kj++) {
            const int64_t j = j0 + kj * w.dilationW;
            if (j < 0 || j >= w.width) continue;
            const float v = xp[i * w.width + j];
            if (v > best || v != v || arg < 0) {
              best = v;
              arg = static_cast<int32_t>(i * w.width + j);
              if (v != v) {
                nan = true;
                break;
              }
            }
          }
        }
        const int64_t o = p * outPlane + oi * w.outW + oj;
        out[o] = best;
        argmax[o] = arg;
      }
    }
  }
}

}  // namespace

void planeSizes(const Args& args, int64_t planes, const Window2d& w, uint64_t* in, uint64_t* out) {
  if (__builtin_mul_overflow(static_cast<uint64_t>(planes), static_cast<uint64_t>(w.height) * w.width, in) ||
      __builtin_mul_overflow(static_cast<uint64_t>(planes), static_cast<uint64_t>(w.outH) * w.outW, out)) {
    args.fail("sizes are too large");
  }
}

void maxPoolPlanes(const float* x, int64_t planes, const Window2d& w, float* out, int32_t* argmax) {
  if (w.kernelH == 2 && w.kernelW == 2 && w.padH == 0 && w.padW == 0 && w.dilationH == 1 && w.dilationW == 1) {
    maxPool2x2(x, planes, w, out, argmax);
  } else {
    maxPoolGeneral(x, planes, w, out, argmax);
  }
}

Napi::Value MaxPool2d(const Napi::CallbackInfo& info) {
  Args args(info, "maxPool2d");
  const int64_t planes = args.size(1, "planes");
  const Window2d w = readWindow(args, info, 2);
  uint64_t inSize = 0, outSize = 0;
  planeSizes(args, planes, w, &inSize, &outSize);
  const Floats x = args.floats(0, "x", inSize);
  const Floats out = args.floats(3, "out", outSize);
  const Ints argmax = ints(args, info, 4, "argmax", outSize);

  const int64_t plane = w.height * w.width;
  const int64_t outPlane = w.outH * w.outW;
  // Threaded over planes (each thread writes its own planes' outputs).
  parallelFor(planes, plane, [&](int64_t p0, int64_t p1) {
    maxPoolPlanes(x.data + p0 * plane, p1 - p0, w, out.data + p0 * outPlane, argmax.data + p0 * outPlane);
  });
  return info.Env().Undefined();
}

Napi::Value MaxPool2dBackward(const Napi::CallbackInfo& info) {
  Args args(info, "maxPool2dBackward");
  const int64_t planes = args.size(2, "planes");
  const Window2d w = readWindow(args, info, 3);
  uint64_t inSize = 0, outSize = 0;
  planeSizes(args, planes, w, &inSize, &outSize);
  const Floats dy = args.floats(0, "dy", outSize);
  const Ints argmax = ints(args, info, 1, "argmax", outSize);
  const Floats dx = args.floats(4, "dx", inSize);

  const int64_t plane = w.height * w.width;
  const int64_t outPlane = w.outH * w.outW;
  for (uint64_t o = 0; o < outSize; o++) {
    if (argmax.data[o] >= plane) args.fail("argmax " + std::to_string(argmax.data[o]) + " is outside its plane of " + std::to_string(plane));
  }
  parallelFor(planes, outPlane, [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; p++) {
      float* xp = dx.data + p * plane;
      const float* g = dy.data + p * outPlane;
      const int32_t* a = argmax.data + p * outPlane;
      for (int64_t o = 0; o < outPlane; o++) if (a[o] >= 0) xp[a[o]] += g[o];
    }
  });
  return info.Env().Undefined();
}

Napi::Value AvgPool2d(const Napi::CallbackInfo& info) {
  Args args(info, "avgPool2d");
  const int64_t planes = args.size(1, "planes");
  const Window2d w = readWindow(args, info, 2);
  uint64_t inSize = 0, outSize = 0;
  planeSizes(args, planes, w, &inSize, &outSize);
  const Floats x = args.floats(0, "x", inSize);
  const Floats out = args.floats(3, "out", outSize);

  const int64_t plane = w.height * w.width;
  const int64_t outPlane = w.outH * w.outW;
  const double scale = 1.0 / static_cast<double>(w.kernelH * w.kernelW);
  for (int64_t p = 0; p < planes; p++) {
    const float* xp = x.data + p * plane;
    for (int64_t oi = 0; oi < w.outH; oi++) {
      const int64_t i0 = std::max<int64_t>(oi * w.strideH - w.padH, 0);
      const int64_t i1 = std::min<int64_t>(oi * w.strideH - w.padH + w.kernelH, w.height);
      for (int64_t oj = 0; oj < w.outW; oj++) {
        const int64_t j0 = std::max<int64_t>(oj * w.strideW - w.padW, 0);
        const int64_t j1 = std::min<int64_t>(oj * w.strideW - w.padW + w.kernelW, w.width);
        double s = 0;
        for (int64_t i = i0; i < i1; i++) for (int64_t j = j0; j < j1; j++) s += xp[i * w.width + j];
        out.data[p * outPlane + oi * w.outW + oj] = static_cast<float>(s * scale);
      }
    }
  }
  return info.Env().Undefined();
}

Napi::Value AvgPool2dBackward(const Napi::CallbackInfo& info) {
  Args args(info, "avgPool2dBackward");
  const int64_t planes = args.size(1, "planes");
  const Window2d w = readWindow(args, info, 2);
  uint64_t inSize = 0, outSize = 0;
  planeSizes(args, planes, w, &inSize, &outSize);
  const Floats dy = args.floats(0, "dy", outSize);
  const Floats dx = args.floats(3, "dx", inSize);

  const int64_t plane = w.height * w.width;
  const int64_t outPlane = w.outH * w.outW;
  const double scale = 1.0 / static_cast<double>(w.kernelH * w.kernelW);
  for (int64_t p = 0; p < planes; p++) {
    float* xp = dx.data + p * plane;
    for (int64_t oi = 0; oi < w.outH; oi++) {
      const int64_t i0 = std::max<int64_t>(oi * w.strideH - w.padH, 0);
      const int64_t i1 = std::min<int64_t>(oi * w.strideH - w.padH + w.kernelH, w.height);
      for (int64_t oj = 0; oj < w.outW; oj++) {
        const int64_t j0 = std::max<int64_t>(oj * w.strideW - w.padW, 0);
        const int64_t j1 = std::min<int64_t>(oj * w.strideW - w.padW + w.kernelW, w.width);
        const double g = dy.data[p * outPlane + oi * w.outW + oj] * scale;
        for (int64_t i = i0; i < i1; i++) for (int64_t j = j0; j < j1; j++) xp[i * w.width + j] = static_cast<float>(xp[i * w.width + j] + g);
      }
    }
  }
  return info.Env().Undefined();
}

}  // namespace nabla
