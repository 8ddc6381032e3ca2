// BatchNorm's loops and per-channel arithmetic (batch-norm.cc), shared by the batchNorm kernels
// and the fused BatchNorm→max-pool ones (batch-norm-max-pool.cc). x is viewed as [n, c, inner];
// each loop covers the channels [c0, c1). A: the activation fused after the BatchNorm (None, or
// the forward applies it as it writes and the backward turns dy into dy·f'(y) from the forward's
// output y as it reads dy: ReLU y > 0, sigmoid y(1 − y), tanh 1 − y², rounded to float as the
// unfused unaryBackward rounds its output).
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>

#include "parallel.h"

namespace nabla {

class Args;
class Fields;

enum class Activation { None, Relu, Sigmoid, Tanh };

// 'relu', 'sigmoid' or 'tanh' (`what` names the argument in the message); fails otherwise.
Activation parseActivation(const Args& args, const std::string& name, const std::string& what);

// params.activation of the forward kernels: absent or null → None.
Activation activationParam(const Args& args, const Fields& params);

// body(std::integral_constant<Activation, a>{}): the loops below instantiated for a.
template <class Body>
void withActivation(Activation a, Body&& body) {
  switch (a) {
    case Activation::None: body(std::integral_constant<Activation, Activation::None>{}); return;
    case Activation::Relu: body(std::integral_constant<Activation, Activation::Relu>{}); return;
    case Activation::Sigmoid: body(std::integral_constant<Activation, Activation::Sigmoid>{}); return;
    case Activation::Tanh: body(std::integral_constant<Activation, Activation::Tanh>{}); return;
  }
}

// out = x·scale + offset per channel (then max(·, 0) with Relu); A is None or Relu. (Sigmoid and
// tanh go through affineActivate, which keeps the unary kernel's blocks.)
template <Activation A>
void affine(const float* x, int64_t n, int64_t c, int64_t inner, const double* scale, const double* offset, float* out, int64_t c0, int64_t c1);

// out = act(x·scale + offset) for the flat values [begin, end) of x (a whole number of
// kUnaryBlock blocks, or up to the end), act sigmoid or tanh computed by the unary kernel's own
// loop on each block: the values of batchNorm followed by the unary op, bit for bit.
void affineActivate(Activation a, const float* x, int64_t c, int64_t inner, const double* scale, const double* offset,
                    float* out, int64_t begin, int64_t end);

// Σ dy and Σ dy·x̂ per channel, x̂ = (x − mean)·invStd, in double (written, not added).
template <Activation A>
void gradSums(const float* x, const float* dy, const float* y, int64_t n, int64_t c, int64_t inner, const float* mean,
              const float* invStd, double* sumDy, double* sumDyXhat, int64_t c0, int64_t c1);

// Training: dx = k·(dy − meanDy − x̂·meanDyXhat) per channel.
template <Activation A>
void inputGrad(const float* x, const float* dy, const float* y, int64_t n, int64_t c, int64_t inner, const float* mean,
               const float* invStd, const double* k, const double* meanDy, const double* meanDyXhat, float* dx, int64_t c0, int64_t c1);

// Eval: dx = k·dy.
template <Activation A>
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
