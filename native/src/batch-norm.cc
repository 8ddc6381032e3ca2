// batchNorm(x, n, c, inner, weight, bias, runningMean, runningVar, params, out, mean, invStd) and
// batchNormBackward(x, dy, n, c, inner, weight, mean, invStd, training, dx, dWeight, dBias, activation,
// activationOut): the fused BatchNorm kernels of the js backend (js/batch-norm.ts) with the same
// float64 arithmetic, optionally with a ReLU, sigmoid or tanh fused after the normalization.
// x is [n, c, inner]; with inner = 1 (BatchNorm1d on [N, C]) the loops run along rows, across
// channels, so they stream through memory and vectorize instead of striding by c.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "batch-norm.h"

#include "args.h"
#include "fields.h"
#include "kernels.h"
#include "simd.h"
#include "unary-ops.h"

namespace nabla {

namespace {

// Σ (x − shift) and Σ (x − shift)² per channel, in double.
NABLA_CLONES
void channelSums(const float* x, int64_t n, int64_t c, int64_t inner, const double* shift, double* s, double* ss, int64_t c0, int64_t c1) {
  for (int64_t ch = c0; ch < c1; ch++) s[ch] = ss[ch] = 0;
  if (inner == 1) {
    for (int64_t b = 0; b < n; b++) {
      const float* row = x + b * c;
      for (int64_t ch = 0; ch < c; ch++) {
        const double d = row[ch] - shift[ch];
        s[ch] += d;
        ss[ch] += d * d;
      }
    }
    return;
  }
  for (int64_t b = 0; b < n; b++) {
    for (int64_t ch = c0; ch < c1; ch++) {
      const float* xp = x + (b * c + ch) * inner;
      const double sh = shift[ch];
      double a = 0, aa = 0;
#pragma omp simd reduction(+ : a, aa)
      for (int64_t i = 0; i < inner; i++) {
        const double d = xp[i] - sh;
        a += d;
        aa += d * d;
      }
      s[ch] += a;
      ss[ch] += aa;
    }
  }
}

// max(v, 0) with Relu (as the relu kernel: NaN stays NaN), v itself without.
template <Activation A>
inline float activate(float v) {
  static_assert(A == Activation::None || A == Activation::Relu, "sigmoid and tanh: affineActivate");
  return A == Activation::Relu && v < 0 ? 0.0f : v;
}

}  // namespace

Activation parseActivation(const Args& args, const std::string& name, const std::string& what) {
  if (name == "relu") return Activation::Relu;
  if (name == "sigmoid") return Activation::Sigmoid;
  if (name == "tanh") return Activation::Tanh;
  args.fail(what + " must be 'relu', 'sigmoid' or 'tanh', got '" + name + "'");
}

Activation activationParam(const Args& args, const Fields& params) {
  std::string name;
  return params.optionalString("activation", &name) ? parseActivation(args, name, "params.activation") : Activation::None;
}

template <Activation A>
NABLA_CLONES
void affine(const float* x, int64_t n, int64_t c, int64_t inner, const double* scale, const double* offset, float* out, int64_t c0, int64_t c1) {
  if (inner == 1) {
    for (int64_t b = 0; b < n; b++) {
      const float* row = x + b * c;
      float* o = out + b * c;
      for (int64_t ch = 0; ch < c; ch++) o[ch] = activate<A>(static_cast<float>(row[ch] * scale[ch] + offset[ch]));
    }
    return;
  }
  for (int64_t b = 0; b < n; b++) {
    for (int64_t ch = c0; ch < c1; ch++) {
      const int64_t at = (b * c + ch) * inner;
      const double sc = scale[ch], of = offset[ch];
      for (int64_t i = 0; i < inner; i++) out[at + i] = activate<A>(static_cast<float>(x[at + i] * sc + of));
    }
  }
}

NABLA_CLONES
void affineActivate(Activation a, const float* x, int64_t c, int64_t inner, const double* scale, const double* offset,
                    float* out, int64_t begin, int64_t end) {
  const double inf = std::numeric_limits<double>::infinity();
  const UnaryParams params{0.01, 1.0, -inf, inf};
  const UnaryOp op = a == Activation::Sigmoid ? UnaryOp::Sigmoid : UnaryOp::Tanh;
  alignas(64) float pre[kUnaryBlock];
  for (int64_t b0 = begin; b0 < end; b0 += kUnaryBlock) {
    const int64_t b1 = std::min(b0 + kUnaryBlock, end);
    // The block's pre-activations, a run of values at a time: along a row across the channels
    // (inner = 1), or within one channel's plane.
    for (int64_t i = b0; i < b1;) {
      if (inner == 1) {
        const int64_t ch0 = i % c;
        const int64_t len = std::min(b1 - i, c - ch0);
        const float* xs = x + i;
        const double* sc = scale + ch0;
        const double* of = offset + ch0;
        float* p = pre + (i - b0);
        for (int64_t j = 0; j < len; j++) p[j] = static_cast<float>(xs[j] * sc[j] + of[j]);
        i += len;
      } else {
        const int64_t ch = (i / inner) % c;
        const int64_t len = std::min(b1 - i, inner - i % inner);
        const double sc = scale[ch], of = offset[ch];
        const float* xs = x + i;
        float* p = pre + (i - b0);
        for (int64_t j = 0; j < len; j++) p[j] = static_cast<float>(xs[j] * sc + of);
        i += len;
      }
    }
    unaryForward(op, pre, out + b0, static_cast<size_t>(b1 - b0), params);
  }
}

namespace {

// The upstream gradient of the fused activation, from the forward's output y, as the unfused
// unaryBackward computes it (in double, rounded once to float): ReLU dy where y > 0, else 0
// (y ≤ 0 ⇔ the pre-activation ≤ 0; NaN passes dy); sigmoid dy·y(1 − y); tanh dy·(1 − y²). dy
// itself without an activation.
template <Activation A>
inline double upstream(const float* dy, const float* y, int64_t i) {
  if constexpr (A == Activation::Relu) {
    return y[i] <= 0 ? 0.0 : static_cast<double>(dy[i]);
  } else if constexpr (A == Activation::Sigmoid) {
    const double s = y[i];
    return static_cast<float>(dy[i] * s * (1.0 - s));
  } else if constexpr (A == Activation::Tanh) {
    const double t = y[i];
    return static_cast<float>(dy[i] * (1.0 - t * t));
  } else {
    return static_cast<double>(dy[i]);
  }
}

}  // namespace

// Σ dy and Σ dy·x̂ per channel, x̂ = (x − mean)·invStd, in double.
template <Activation A>
NABLA_CLONES
void gradSums(const float* x, const float* dy, const float* y, int64_t n, int64_t c, int64_t inner, const float* mean, const float* invStd,
              double* sumDy, double* sumDyXhat, int64_t c0, int64_t c1) {
  for (int64_t ch = c0; ch < c1; ch++) sumDy[ch] = sumDyXhat[ch] = 0;
  if (inner == 1) {
    for (int64_t b = 0; b < n; b++) {
      const float* xr = x + b * c;
      const float* gr = dy + b * c;
      const float* yr = A != Activation::None ? y + b * c : nullptr;
      for (int64_t ch = 0; ch < c; ch++) {
        const double g = upstream<A>(gr, yr, ch);
        sumDy[ch] += g;
        sumDyXhat[ch] += g * (xr[ch] - static_cast<double>(mean[ch])) * invStd[ch];
      }
    }
    return;
  }
  for (int64_t b = 0; b < n; b++) {
    for (int64_t ch = c0; ch < c1; ch++) {
      const int64_t at = (b * c + ch) * inner;
      const double mu = mean[ch], inv = invStd[ch];
      double a = 0, ax = 0;
#pragma omp simd reduction(+ : a, ax)
      for (int64_t i = 0; i < inner; i++) {
        const double g = upstream<A>(dy, y, at + i);
        a += g;
        ax += g * (x[at + i] - mu) * inv;
      }
      sumDy[ch] += a;
      sumDyXhat[ch] += ax;
    }
  }
}

// dx = k·(dy − meanDy − x̂·meanDyXhat) per channel (meanDy = meanDyXhat = 0 in eval).
template <Activation A>
NABLA_CLONES
void inputGrad(const float* x, const float* dy, const float* y, int64_t n, int64_t c, int64_t inner, const float* mean, const float* invStd,
               const double* k, const double* meanDy, const double* meanDyXhat, float* dx, int64_t c0, int64_t c1) {
  if (inner == 1) {
    for (int64_t b = 0; b < n; b++) {
      const float* xr = x + b * c;
      const float* gr = dy + b * c;
      const float* yr = A != Activation::None ? y + b * c : nullptr;
      float* o = dx + b * c;
      for (int64_t ch = 0; ch < c; ch++) {
        const double xhat = (xr[ch] - static_cast<double>(mean[ch])) * invStd[ch];
        o[ch] = static_cast<float>(k[ch] * (upstream<A>(gr, yr, ch) - meanDy[ch] - xhat * meanDyXhat[ch]));
      }
    }
    return;
  }
  for (int64_t b = 0; b < n; b++) {
    for (int64_t ch = c0; ch < c1; ch++) {
      const int64_t at = (b * c + ch) * inner;
      const double mu = mean[ch], inv = invStd[ch], kk = k[ch], md = meanDy[ch], mdx = meanDyXhat[ch];
      for (int64_t i = 0; i < inner; i++) {
        const double xhat = (x[at + i] - mu) * inv;
        dx[at + i] = static_cast<float>(kk * (upstream<A>(dy, y, at + i) - md - xhat * mdx));
      }
    }
  }
}

// In eval dx = k·dy.
template <Activation A>
NABLA_CLONES
void scaledGrad(const float* dy, const float* y, int64_t n, int64_t c, int64_t inner, const double* k, float* dx, int64_t c0, int64_t c1) {
  for (int64_t b = 0; b < n; b++) {
    for (int64_t ch = c0; ch < c1; ch++) {
      const int64_t at = (b * c + ch) * inner;
      const double kk = k[ch];
      for (int64_t i = 0; i < inner; i++) dx[at + i] = static_cast<float>(kk * upstream<A>(dy, y, at + i));
    }
  }
}

template void affine<Activation::None>(const float*, int64_t, int64_t, int64_t, const double*, const double*, float*, int64_t, int64_t);
template void affine<Activation::Relu>(const float*, int64_t, int64_t, int64_t, const double*, const double*, float*, int64_t, int64_t);
#define NABLA_BACKWARD_LOOPS(A)                                                                                              \
  template void gradSums<A>(const float*, const float*, const float*, int64_t, int64_t, int64_t, const float*, const float*, \
                            double*, double*, int64_t, int64_t);                                                              \
  template void inputGrad<A>(const float*, const float*, const float*, int64_t, int64_t, int64_t, const float*, const float*, \
                             const double*, const double*, const double*, float*, int64_t, int64_t);                         \
  template void scaledGrad<A>(const float*, const float*, int64_t, int64_t, int64_t, const double*, float*, int64_t, int64_t);
NABLA_BACKWARD_LOOPS(Activation::None)
NABLA_BACKWARD_LOOPS(Activation::Relu)
NABLA_BACKWARD_LOOPS(Activation::Sigmoid)
NABLA_BACKWARD_LOOPS(Activation::Tanh)
#undef NABLA_BACKWARD_LOOPS

void channelStatistics(const float* x, int64_t n, int64_t c, int64_t inner, const float* weight, const float* bias,
                       float* runningMean, float* runningVar, bool training, double momentum, double eps,
                       float* mean, float* invStd, double* scale, double* offset) {
  const int64_t count = n * inner;
  std::vector<double> sums(2 * c);
  double* s = sums.data();
  double* ss = s + c;
  if (training) {
    // Shifted by each channel's first value, so a large mean does not cancel the variance away.
    for (int64_t ch = 0; ch < c; ch++) scale[ch] = count > 0 ? x[ch * inner] : 0;
    byChannels(n, c, inner, [&](int64_t c0, int64_t c1) { channelSums(x, n, c, inner, scale, s, ss, c0, c1); });
  }
  for (int64_t ch = 0; ch < c; ch++) {
    double mu, variance;
    if (training) {
      const double dm = s[ch] / count;
      mu = scale[ch] + dm;
      variance = ss[ch] / count - dm * dm;
      if (variance < 0) variance = 0;  // rounding; NaN stays NaN, as with Math.max
      if (runningMean) runningMean[ch] = static_cast<float>((1 - momentum) * runningMean[ch] + momentum * mu);
      if (runningVar) {
        const double correction = static_cast<double>(count) / (count - 1);
        runningVar[ch] = static_cast<float>((1 - momentum) * runningVar[ch] + momentum * variance * correction);
      }
    } else {
      mu = runningMean[ch];
      variance = runningVar[ch];
    }
    const double inv = 1 / std::sqrt(variance + eps);
    mean[ch] = static_cast<float>(mu);
    invStd[ch] = static_cast<float>(inv);
    scale[ch] = inv * (weight ? weight[ch] : 1.0);
    offset[ch] = (bias ? bias[ch] : 0.0) - mu * scale[ch];
  }
}

void gradientTerms(const double* sumDy, const double* sumDyXhat, int64_t c, int64_t count, const float* weight,
                   const float* invStd, float* dWeight, float* dBias, double* k, double* meanDy, double* meanDyXhat) {
  for (int64_t ch = 0; ch < c; ch++) {
    if (dBias) dBias[ch] = static_cast<float>(sumDy[ch]);
    if (dWeight) dWeight[ch] = static_cast<float>(sumDyXhat[ch]);
    k[ch] = static_cast<double>(invStd[ch]) * (weight ? weight[ch] : 1.0);
    meanDy[ch] = sumDy[ch] / count;
    meanDyXhat[ch] = sumDyXhat[ch] / count;
  }
}

Napi::Value BatchNorm(const Napi::CallbackInfo& info) {
  Args args(info, "batchNorm");
  const int64_t n = args.size(1, "n");
  const int64_t c = args.size(2, "c");
  const int64_t inner = args.size(3, "inner");
  const Fields params(args, info, 8, "params");
  const bool training = params.boolean("training");
  const double momentum = params.number("momentum");
  const double eps = params.number("eps");
  const Activation activation = activationParam(args, params);
  uint64_t size = 0;
  if (__builtin_mul_overflow(static_cast<uint64_t>(n) * c, static_cast<uint64_t>(inner), &size)) args.fail("n·c·inner is too large");
  const Floats x = args.floats(0, "x", size);
  const Floats weight = optionalFloats(args, info, 4, "weight", c);
  const Floats bias = optionalFloats(args, info, 5, "bias", c);
  const Floats runningMean = optionalFloats(args, info, 6, "runningMean", c);
  const Floats runningVar = optionalFloats(args, info, 7, "runningVar", c);
  const Floats out = args.floats(9, "out", size);
  const Floats mean = args.floats(10, "mean", c);
  const Floats invStd = args.floats(11, "invStd", c);
  if (!training && (!runningMean.data || !runningVar.data)) args.fail("eval mode needs runningMean and runningVar");

  std::vector<double> work(2 * c);
  double* scale = work.data();
  double* offset = scale + c;
  channelStatistics(x.data, n, c, inner, weight.data, bias.data, runningMean.data, runningVar.data, training, momentum, eps,
                    mean.data, invStd.data, scale, offset);
  if (activation == Activation::Sigmoid || activation == Activation::Tanh) {
    // Threaded over the unary kernel's blocks (the activation costs more than the affine).
    byBlocks(size, [&](size_t i, size_t len) {
      affineActivate(activation, x.data, c, inner, scale, offset, out.data, static_cast<int64_t>(i), static_cast<int64_t>(i + len));
    });
  } else {
    byChannels(n, c, inner, [&](int64_t c0, int64_t c1) {
      if (activation == Activation::Relu) affine<Activation::Relu>(x.data, n, c, inner, scale, offset, out.data, c0, c1);
      else affine<Activation::None>(x.data, n, c, inner, scale, offset, out.data, c0, c1);
    });
  }
  return info.Env().Undefined();
}

Napi::Value BatchNormBackward(const Napi::CallbackInfo& info) {
  Args args(info, "batchNormBackward");
  const int64_t n = args.size(2, "n");
  const int64_t c = args.size(3, "c");
  const int64_t inner = args.size(4, "inner");
  const bool training = args.boolean(8, "training");
  uint64_t size = 0;
  if (__builtin_mul_overflow(static_cast<uint64_t>(n) * c, static_cast<uint64_t>(inner), &size)) args.fail("n·c·inner is too large");
  const Floats x = args.floats(0, "x", size);
  const Floats dy = args.floats(1, "dy", size);
  const Floats weight = optionalFloats(args, info, 5, "weight", c);
  const Floats mean = args.floats(6, "mean", c);
  const Floats invStd = args.floats(7, "invStd", c);
  const Floats dx = optionalFloats(args, info, 9, "dx", size);
  const Floats dWeight = optionalFloats(args, info, 10, "dWeight", c);
  const Floats dBias = optionalFloats(args, info, 11, "dBias", c);
  // The activation fused in the forward (null: none) and that forward's output: dy is the
  // activation's upstream gradient, turned into BatchNorm's as it is read.
  Activation activation = Activation::None;
  if (!info[12].IsNull()) activation = parseActivation(args, args.string(12, "activation"), "activation");
  const Floats activationOut = activation == Activation::None ? Floats{nullptr, 0} : args.floats(13, "activationOut", size);
  if (activation == Activation::None && !info[13].IsNull() && !info[13].IsUndefined()) {
    args.fail("activationOut must be null without an activation");
  }
  const float* y = activationOut.data;

  const int64_t count = n * inner;
  std::vector<double> work(5 * c);
  double* sumDy = work.data();
  double* sumDyXhat = sumDy + c;
  double* k = sumDyXhat + c;
  double* meanDy = k + c;
  double* meanDyXhat = meanDy + c;
  withActivation(activation, [&](auto a) {
    byChannels(n, c, inner, [&](int64_t c0, int64_t c1) {
      gradSums<decltype(a)::value>(x.data, dy.data, y, n, c, inner, mean.data, invStd.data, sumDy, sumDyXhat, c0, c1);
    });
  });
  gradientTerms(sumDy, sumDyXhat, c, count, weight.data, invStd.data, dWeight.data, dBias.data, k, meanDy, meanDyXhat);
  if (!dx.data) return info.Env().Undefined();
  withActivation(activation, [&](auto a) {
    constexpr Activation A = decltype(a)::value;
    byChannels(n, c, inner, [&](int64_t c0, int64_t c1) {
      if (training) inputGrad<A>(x.data, dy.data, y, n, c, inner, mean.data, invStd.data, k, meanDy, meanDyXhat, dx.data, c0, c1);
      else scaledGrad<A>(dy.data, y, n, c, inner, k, dx.data, c0, c1);
    });
  });
  return info.Env().Undefined();
}

}  // namespace nabla
