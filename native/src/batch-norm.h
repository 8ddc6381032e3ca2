// BatchNorm's loops and per-channel arithmetic (batch-norm.cc), shared by the batchNorm kernels
// and the fused BatchNorm→max-pool ones (batch-norm-max-pool.cc). x is viewed as [n, c, inner];
// each loop covers the channels [c0, c1). Relu: the fused BatchNorm→ReLU (the forward clamps at
// 0; the backward takes dy only where the forward's output y > 0).
#pragma once

#include <cstdint>

#include "parallel.h"

namespace nabla {

// out = x·scale + offset per channel (then max(·, 0) with Relu).
template <bool Relu>
void affine(const float* x, int64_t n, int64_t c, int64_t inner, const double* scale, const double* offset, float* out, int64_t c0, int64_t c1);

// Σ dy and Σ dy·x̂ per channel, x̂ = (x − mean)·invStd, in double (written, not added).
template <bool Relu>
void gradSums(const float* x, const float* dy, const float* y, int64_t n, int64_t c, int64_t inner, const float* mean,
              const float* invStd, double* sumDy, double* sumDyXhat, int64_t c0, int64_t c1);

// Training: dx = k·(dy − meanDy − x̂·meanDyXhat) per channel.
template <bool Relu>
void inputGrad(const float* x, const float* dy, const float* y, int64_t n, int64_t c, int64_t inner, const float* mean,
               const float* invStd, const double* k, const double* meanDy, const double* meanDyXhat, float* dx, int64_t c0, int64_t c1);

// Eval: dx = k·dy.
template <bool Relu>
void scaledGrad(const float* dy, const float* y, int64_t n, int64_t c, int64_t inner, const double* k, float* dx, int64_t c0, int64_t c1);

// Training: the batch statistics (float64 sums shifted by each channel's first value, threaded over
// channels) and the running statistics updated in place; eval: the running statistics. Writes mean,
// invStd and each channel's y = x·scale + offset.
void channelStatistics(const float* x, int64_t n, int64_t c, int64_t inner, const float* weight, const float* bias,
                       float* runningMean, float* runningVar, bool training, double momentum, double eps,
                       float* mean, float* invStd, double* scale, double* offset);

// From Σ dy and Σ dy·x̂ over count values per channel: dBias and dWeight (when non-null), and the
// backward's k = invStd·γ, mean(dy) and mean(dy·x̂).
void gradientTerms(const double* sumDy, const double* sumDyXhat, int64_t c, int64_t count, const float* weight,
                   const float* invStd, float* dWeight, float* dBias, double* k, double* meanDy, double* meanDyXhat);

// Runs body(c0, c1) over channel ranges, threaded when the planes are large (inner > 1: each
// channel's values are summed in the same order whichever thread has it). Rows of BatchNorm1d
// (inner = 1) interleave the channels, so that layout stays on one thread.
template <class Body>
void byChannels(int64_t n, int64_t c, int64_t inner, Body&& body) {
  if (inner == 1) body(int64_t{0}, c);
  else parallelFor(c, n * inner, body);
}

}  // namespace nabla
