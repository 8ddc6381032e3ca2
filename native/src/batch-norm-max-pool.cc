// batchNormMaxPool2d(x, n, c, weight, bias, runningMean, runningVar, params, window, out, argmax, mean, invStd)
// and batchNormMaxPool2dBackward(x, dy, argmax, out, n, c, window, weight, mean, invStd, training, dx, dWeight, dBias),
// as js/batch-norm-max-pool.ts: maxPool2d(relu?(batchNorm(x))) without the normalized batch in
// memory. The forward normalizes one plane at a time into a per-chunk scratch that stays in cache
// and pools it from there; the backward routes the pooled gradient into such a plane, then runs
// BatchNorm's backward loops on it. The arithmetic is the unfused kernels', plane by plane.
#include <algorithm>
#include <atomic>
#include <string>
#include <vector>

#include "args.h"
#include "batch-norm.h"
#include "fields.h"
#include "kernels.h"
#include "max-pool.h"
#include "parallel.h"
#include "window2d.h"

namespace nabla {

namespace {

// Runs body(plane, c0, c1) over channel ranges as byChannels does, each chunk with its own
// plane-sized scratch, allocated here before the threads start (a failed allocation is an Error
// before any output is written).
template <class Body>
void byChannelsWithPlane(int64_t n, int64_t c, int64_t planeSize, Body&& body) {
  const int64_t chunks = planeSize == 1 ? std::min<int64_t>(c, 1) : parallelChunks(c, n * planeSize);
  std::vector<std::vector<float>> planes(chunks, std::vector<float>(planeSize));
  parallelRun(chunks, c, [&](int64_t t, int64_t c0, int64_t c1) { body(planes[t].data(), c0, c1); });
}


// One plane's gradient before the pool: dy routed to each window's winner (the order of
// maxPool2dBackward), skipping windows whose output the ReLU zeroed (out ≤ 0). Returns false on
// an argmax outside the plane (that entry skipped).
bool routePlane(const float* dy, const int32_t* argmax, const float* out, int64_t outPlane, int64_t planeSize, float* g) {
  std::fill(g, g + planeSize, 0.0f);
  bool ok = true;
  for (int64_t o = 0; o < outPlane; o++) {
    const int32_t a = argmax[o];
    if (a < 0) continue;
    if (a >= planeSize) {
      ok = false;
      continue;
    }
    if (out && out[o] <= 0) continue;
    g[a] += dy[o];
  }
  return ok;
}

}  // namespace

Napi::Value BatchNormMaxPool2d(const Napi::CallbackInfo& info) {
  Args args(info, "batchNormMaxPool2d");
  const int64_t n = args.size(1, "n");
  const int64_t c = args.size(2, "c");
  const Fields params(args, info, 7, "params");
  const bool training = params.boolean("training");
  const double momentum = params.number("momentum");
  const double eps = params.number("eps");
  // Only the ReLU is fused with the pool (sigmoid and tanh: batchNorm's own activation, then the pool).
  const Activation activation = activationParam(args, params);
  if (activation != Activation::None && activation != Activation::Relu) args.fail("params.activation must be 'relu' or absent");
  const bool relu = activation == Activation::Relu;
  const Window2d w = readWindow(args, info, 8);
  uint64_t inSize = 0, outSize = 0;
  planeSizes(args, n * c, w, &inSize, &outSize);
  const Floats x = args.floats(0, "x", inSize);
  const Floats weight = optionalFloats(args, info, 3, "weight", c);
  const Floats bias = optionalFloats(args, info, 4, "bias", c);
  const Floats runningMean = optionalFloats(args, info, 5, "runningMean", c);
  const Floats runningVar = optionalFloats(args, info, 6, "runningVar", c);
  const Floats out = args.floats(9, "out", outSize);
  const Ints argmax = ints(args, info, 10, "argmax", outSize);
  const Floats mean = args.floats(11, "mean", c);
  const Floats invStd = args.floats(12, "invStd", c);
  if (!training && (!runningMean.data || !runningVar.data)) args.fail("eval mode needs runningMean and runningVar");

  const int64_t planeSize = w.height * w.width;
  const int64_t outPlane = w.outH * w.outW;
  std::vector<double> work(2 * c);
  double* scale = work.data();
  double* offset = scale + c;
  channelStatistics(x.data, n, c, planeSize, weight.data, bias.data, runningMean.data, runningVar.data, training, momentum,
                    eps, mean.data, invStd.data, scale, offset);
  byChannelsWithPlane(n, c, planeSize, [&](float* y, int64_t c0, int64_t c1) {
    for (int64_t ch = c0; ch < c1; ch++) {
      for (int64_t b = 0; b < n; b++) {
        const int64_t p = b * c + ch;
        if (relu) affine<Activation::Relu>(x.data + p * planeSize, 1, 1, planeSize, scale + ch, offset + ch, y, 0, 1);
        else affine<Activation::None>(x.data + p * planeSize, 1, 1, planeSize, scale + ch, offset + ch, y, 0, 1);
        maxPoolPlanes(y, 1, w, out.data + p * outPlane, argmax.data + p * outPlane);
      }
    }
  });
  return info.Env().Undefined();
}

Napi::Value BatchNormMaxPool2dBackward(const Napi::CallbackInfo& info) {
  Args args(info, "batchNormMaxPool2dBackward");
  const int64_t n = args.size(4, "n");
  const int64_t c = args.size(5, "c");
  const Window2d w = readWindow(args, info, 6);
  const bool training = args.boolean(10, "training");
  uint64_t inSize = 0, outSize = 0;
  planeSizes(args, n * c, w, &inSize, &outSize);
  const Floats x = args.floats(0, "x", inSize);
  const Floats dy = args.floats(1, "dy", outSize);
  const Ints argmax = ints(args, info, 2, "argmax", outSize);
  // The forward's pooled output when it had the ReLU (its zeros mark the windows the ReLU cut), else null.
  const Floats reluOut = optionalFloats(args, info, 3, "reluOut", outSize);
  const Floats weight = optionalFloats(args, info, 7, "weight", c);
  const Floats mean = args.floats(8, "mean", c);
  const Floats invStd = args.floats(9, "invStd", c);
  const Floats dx = optionalFloats(args, info, 11, "dx", inSize);
  const Floats dWeight = optionalFloats(args, info, 12, "dWeight", c);
  const Floats dBias = optionalFloats(args, info, 13, "dBias", c);

  const int64_t planeSize = w.height * w.width;
  const int64_t outPlane = w.outH * w.outW;
  const auto planeGrad = [&](int64_t p, float* g) {
    return routePlane(dy.data + p * outPlane, argmax.data + p * outPlane, reluOut.data ? reluOut.data + p * outPlane : nullptr,
                      outPlane, planeSize, g);
  };
  std::vector<double> work(5 * c, 0.0);
  double* sumDy = work.data();
  double* sumDyXhat = sumDy + c;
  double* k = sumDyXhat + c;
  double* meanDy = k + c;
  double* meanDyXhat = meanDy + c;
  // Nothing is written before every argmax has been checked (here, while summing).
  std::atomic<bool> valid{true};
  byChannelsWithPlane(n, c, planeSize, [&](float* g, int64_t c0, int64_t c1) {
    for (int64_t ch = c0; ch < c1; ch++) {
      for (int64_t b = 0; b < n; b++) {
        const int64_t p = b * c + ch;
        if (!planeGrad(p, g)) valid = false;
        double s = 0, sx = 0;
        gradSums<Activation::None>(x.data + p * planeSize, g, nullptr, 1, 1, planeSize, mean.data + ch, invStd.data + ch, &s, &sx, 0, 1);
        sumDy[ch] += s;
        sumDyXhat[ch] += sx;
      }
    }
  });
  if (!valid) {
    for (uint64_t o = 0; o < outSize; o++) {
      if (argmax.data[o] >= planeSize) {
        args.fail("argmax " + std::to_string(argmax.data[o]) + " is outside its plane of " + std::to_string(planeSize));
      }
    }
  }
  gradientTerms(sumDy, sumDyXhat, c, n * planeSize, weight.data, invStd.data, dWeight.data, dBias.data, k, meanDy, meanDyXhat);
  if (!dx.data) return info.Env().Undefined();
  byChannelsWithPlane(n, c, planeSize, [&](float* g, int64_t c0, int64_t c1) {
    for (int64_t ch = c0; ch < c1; ch++) {
      for (int64_t b = 0; b < n; b++) {
        const int64_t p = b * c + ch;
        planeGrad(p, g);
        float* dxp = dx.data + p * planeSize;
        if (training) {
          inputGrad<Activation::None>(x.data + p * planeSize, g, nullptr, 1, 1, planeSize, mean.data + ch, invStd.data + ch, k + ch, meanDy + ch,
                           meanDyXhat + ch, dxp, 0, 1);
        } else {
          scaledGrad<Activation::None>(g, nullptr, 1, 1, planeSize, k + ch, dxp, 0, 1);
        }
      }
    }
  });
  return info.Env().Undefined();
}

}  // namespace nabla
