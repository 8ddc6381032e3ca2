// conv2d(x, images, channels, window, weight, outChannels, bias, out) and
// conv2dBackward(x, dy, images, channels, window, weight, outChannels, dx, dWeight, dBias), as
// js/conv2d.ts. Image by image: the image's columns are built in a per-thread scratch that stays
// in cache, multiplied right away (OpenBLAS on one thread, images spread over the addon's
// threads), and never stored for the batch. The backward builds them again rather than keeping
// them from the forward: rebuilding in cache costs less than writing and re-reading N·C·kH·kW·outH·outW
// values, and the batch's columns (14 MB in the benchmark's CNN) were one large allocation per step.
//
// dWeight and dBias sum over the images in fixed groups (each group's images in order, then the
// groups in order), so the result does not depend on the thread count.
#include <cblas.h>

#include <algorithm>
#include <vector>

#include "args.h"
#include "blas-threads.h"
#include "fields.h"
#include "im2col.h"
#include "kernels.h"
#include "parallel.h"

namespace nabla {

namespace {

constexpr int64_t kSumGroups = 16;

struct Conv {
  int64_t images, channels, outChannels, patch, positions, imageIn, imageOut;
  Window2d w;
};

Conv readConv(const Args& args, const Napi::CallbackInfo& info, size_t imagesAt) {
  Conv c{};
  c.images = args.size(imagesAt, "images");
  c.channels = args.size(imagesAt + 1, "channels");
  c.w = readWindow(args, info, imagesAt + 2);
  c.outChannels = args.size(imagesAt + 4, "outChannels");
  uint64_t patch = 0, positions = 0, imageIn = 0, imageOut = 0, all = 0;
  if (__builtin_mul_overflow(static_cast<uint64_t>(c.channels) * c.w.kernelH, static_cast<uint64_t>(c.w.kernelW), &patch) ||
      __builtin_mul_overflow(static_cast<uint64_t>(c.w.outH), static_cast<uint64_t>(c.w.outW), &positions) ||
      __builtin_mul_overflow(static_cast<uint64_t>(c.channels) * c.w.height, static_cast<uint64_t>(c.w.width), &imageIn) ||
      __builtin_mul_overflow(static_cast<uint64_t>(c.outChannels), positions, &imageOut) ||
      __builtin_mul_overflow(patch, positions, &all) || all > 2147483647ull ||
      __builtin_mul_overflow(imageIn, static_cast<uint64_t>(c.images), &all) ||
      __builtin_mul_overflow(imageOut, static_cast<uint64_t>(c.images), &all)) {
    args.fail("sizes are too large");
  }
  c.patch = static_cast<int64_t>(patch);
  c.positions = static_cast<int64_t>(positions);
  c.imageIn = static_cast<int64_t>(imageIn);
  c.imageOut = static_cast<int64_t>(imageOut);
  return c;
}

// One chunk's scratch for an image's columns (and their gradient), allocated by the caller before
// the threads start: a failed allocation is then an Error before any output is written, and nothing
// stays allocated after the call.
std::vector<std::vector<float>> scratch(int64_t chunks, int64_t buffers, int64_t size) {
  std::vector<std::vector<float>> s(chunks * buffers);
  for (std::vector<float>& v : s) v.resize(size);
  return s;
}

}  // namespace

Napi::Value Conv2d(const Napi::CallbackInfo& info) {
  Args args(info, "conv2d");
  const Conv c = readConv(args, info, 1);
  const Floats x = args.floats(0, "x", static_cast<uint64_t>(c.imageIn) * c.images);
  const Floats weight = args.floats(4, "weight", static_cast<uint64_t>(c.outChannels) * c.patch);
  const Floats bias = optionalFloats(args, info, 6, "bias", c.outChannels);
  const Floats out = args.floats(7, "out", static_cast<uint64_t>(c.imageOut) * c.images);
  if (c.images == 0 || c.imageOut == 0) return info.Env().Undefined();

  const int64_t chunks = parallelChunks(c.images, c.outChannels * c.patch * c.positions / 8);
  std::vector<std::vector<float>> buffers = scratch(chunks, 1, c.patch * c.positions);
  SingleThreadedBlas blas(chunks, static_cast<double>(c.outChannels) * c.patch * c.positions);
  parallelRun(chunks, c.images, [&](int64_t t, int64_t begin, int64_t end) {
    float* cols = buffers[t].data();
    for (int64_t i = begin; i < end; i++) {
      float* o = out.data + i * c.imageOut;
      if (bias.data) {
        for (int64_t ch = 0; ch < c.outChannels; ch++) std::fill(o + ch * c.positions, o + (ch + 1) * c.positions, bias.data[ch]);
      }
      if (c.patch == 0) {
        if (!bias.data) std::fill(o, o + c.imageOut, 0.0f);
        continue;
      }
      im2colLoop(x.data + i * c.imageIn, c.channels, c.w, cols);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(c.outChannels), static_cast<int>(c.positions),
                  static_cast<int>(c.patch), 1.0f, weight.data, static_cast<int>(c.patch), cols, static_cast<int>(c.positions),
                  bias.data ? 1.0f : 0.0f, o, static_cast<int>(c.positions));
    }
  });
  return info.Env().Undefined();
}

Napi::Value Conv2dBackward(const Napi::CallbackInfo& info) {
  Args args(info, "conv2dBackward");
  const Conv c = readConv(args, info, 2);
  const Floats x = args.floats(0, "x", static_cast<uint64_t>(c.imageIn) * c.images);
  const Floats dy = args.floats(1, "dy", static_cast<uint64_t>(c.imageOut) * c.images);
  const Floats weight = args.floats(5, "weight", static_cast<uint64_t>(c.outChannels) * c.patch);
  const Floats dx = optionalFloats(args, info, 7, "dx", static_cast<uint64_t>(c.imageIn) * c.images);
  const Floats dWeight = optionalFloats(args, info, 8, "dWeight", static_cast<uint64_t>(c.outChannels) * c.patch);
  const Floats dBias = optionalFloats(args, info, 9, "dBias", c.outChannels);

  const int64_t weightSize = c.outChannels * c.patch;
  const int64_t groups = std::min(c.images, kSumGroups);
  // Each group's dWeight, then its dBias (in double: sums over many positions).
  std::vector<float> groupWeight(dWeight.data ? groups * weightSize : 0, 0.0f);
  std::vector<double> groupBias(dBias.data ? groups * c.outChannels : 0, 0.0);
  const int64_t cost = c.outChannels * c.patch * c.positions * (c.images / std::max<int64_t>(groups, 1)) / 4;
  const int64_t chunks = parallelChunks(groups, cost);
  std::vector<std::vector<float>> buffers = scratch(chunks, 2, c.patch * c.positions);
  {
    SingleThreadedBlas blas(chunks, static_cast<double>(c.outChannels) * c.patch * c.positions);
    parallelRun(chunks, groups, [&](int64_t t, int64_t groupBegin, int64_t groupEnd) {
      float* cols = buffers[2 * t].data();
      float* dcols = buffers[2 * t + 1].data();
      for (int64_t g = groupBegin; g < groupEnd; g++) {
        const int64_t begin = c.images * g / groups, end = c.images * (g + 1) / groups;
        for (int64_t i = begin; i < end; i++) {
          const float* dyi = dy.data + i * c.imageOut;
          if (dWeight.data && c.patch > 0 && c.positions > 0) {
            im2colLoop(x.data + i * c.imageIn, c.channels, c.w, cols);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(c.outChannels), static_cast<int>(c.patch),
                        static_cast<int>(c.positions), 1.0f, dyi, static_cast<int>(c.positions), cols,
                        static_cast<int>(c.positions), i == begin ? 0.0f : 1.0f, groupWeight.data() + g * weightSize,
                        static_cast<int>(c.patch));
          }
          if (dBias.data) {
            double* b = groupBias.data() + g * c.outChannels;
            for (int64_t ch = 0; ch < c.outChannels; ch++) {
              const float* row = dyi + ch * c.positions;
              double s = 0;
#pragma omp simd reduction(+ : s)
              for (int64_t p = 0; p < c.positions; p++) s += row[p];
              b[ch] += s;
            }
          }
          if (dx.data) {
            float* dxi = dx.data + i * c.imageIn;
            std::fill(dxi, dxi + c.imageIn, 0.0f);
            if (c.patch > 0 && c.positions > 0 && c.outChannels > 0) {
              cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, static_cast<int>(c.patch), static_cast<int>(c.positions),
                          static_cast<int>(c.outChannels), 1.0f, weight.data, static_cast<int>(c.patch), dyi,
                          static_cast<int>(c.positions), 0.0f, dcols, static_cast<int>(c.positions));
              col2imLoop(dcols, c.channels, c.w, dxi);
            }
          }
        }
      }
    });
  }
  if (dWeight.data) {
    std::fill(dWeight.data, dWeight.data + weightSize, 0.0f);
    if (c.positions > 0) {
      for (int64_t g = 0; g < groups; g++) {
        const float* p = groupWeight.data() + g * weightSize;
        for (int64_t j = 0; j < weightSize; j++) dWeight.data[j] += p[j];
      }
    }
  }
  if (dBias.data) {
    for (int64_t ch = 0; ch < c.outChannels; ch++) {
      double s = 0;
      for (int64_t g = 0; g < groups; g++) s += groupBias[g * c.outChannels + ch];
      dBias.data[ch] = static_cast<float>(s);
    }
  }
  return info.Env().Undefined();
}

}  // namespace nabla
