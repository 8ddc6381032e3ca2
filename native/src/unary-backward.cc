// Backward loops of the unary ops: out = dy · op'(x), from x or the forward output y, computed as
// the js backend does (in double, rounded once to float).
#include "vector-math.h"
// (vector-math.h first: it must be the first to include <math.h>.)
#include "simd.h"
#include "unary-ops.h"

namespace nabla {

namespace {
constexpr float kInvSqrt2Pi = 0.39894228040143267794f;
}

NABLA_CLONES
void unaryBackward(UnaryOp op, const float* x, const float* y, const float* dy, float* out, size_t n,
                   const UnaryParams& p) {
  switch (op) {
    case UnaryOp::Neg: for (size_t i = 0; i < n; i++) out[i] = -dy[i]; return;
    case UnaryOp::Exp: for (size_t i = 0; i < n; i++) out[i] = dy[i] * y[i]; return;
    case UnaryOp::Log: for (size_t i = 0; i < n; i++) out[i] = dy[i] / x[i]; return;
    case UnaryOp::Sqrt: for (size_t i = 0; i < n; i++) out[i] = (0.5f * dy[i]) / y[i]; return;
    case UnaryOp::Abs:
      for (size_t i = 0; i < n; i++) out[i] = dy[i] * (x[i] > 0 ? 1.0f : x[i] < 0 ? -1.0f : 0.0f);  // sgn(NaN) = 0
      return;
    case UnaryOp::Sign: for (size_t i = 0; i < n; i++) out[i] = 0.0f; return;
    case UnaryOp::Square: for (size_t i = 0; i < n; i++) out[i] = 2.0f * x[i] * dy[i]; return;
    case UnaryOp::Reciprocal:
      for (size_t i = 0; i < n; i++) out[i] = static_cast<float>(-static_cast<double>(dy[i]) * y[i] * y[i]);
      return;
    case UnaryOp::Sigmoid:
      for (size_t i = 0; i < n; i++) {
        const double s = y[i];
        out[i] = static_cast<float>(dy[i] * s * (1.0 - s));
      }
      return;
    case UnaryOp::Tanh:
      for (size_t i = 0; i < n; i++) {
        const double t = y[i];
        out[i] = static_cast<float>(dy[i] * (1.0 - t * t));
      }
      return;
    case UnaryOp::Relu:
      // Each loop reads dy[i] unconditionally: a load inside one branch stops the vectorizer.
      for (size_t i = 0; i < n; i++) {
        const float g = dy[i];
        out[i] = x[i] <= 0 ? 0.0f : g;  // NaN takes g (PyTorch's threshold_backward)
      }
      return;
    case UnaryOp::LeakyRelu: {
      const double a = p.alpha;
      for (size_t i = 0; i < n; i++) {
        const float g = dy[i];
        out[i] = x[i] > 0 ? g : static_cast<float>(a * g);
      }
      return;
    }
    case UnaryOp::Elu: {
      const double a = p.alpha;
      for (size_t i = 0; i < n; i++) {
        const float g = dy[i];
        const float scaled = static_cast<float>(g * (y[i] + a));
        out[i] = x[i] <= 0 ? scaled : g;
      }
      return;
    }
    case UnaryOp::Gelu:
      // Φ(x) + x·φ(x), with Φ(x) read off the forward's output y = x·Φ(x) rather than computed again
      // (an erfc less a value); near 0, where y/x keeps fewer digits, Φ(x) = 1/2 + x·φ(0) + O(x³).
      // In float, unlike the other ops: y carries a float's rounding anyway, and where the two terms cancel
      // (x ≈ −0.75) the result is as good as its terms' ~1e-8, in double or not.
      for (size_t i = 0; i < n; i++) {
        const float v = x[i];
        const float cdf = fabsf(v) >= 1e-3f ? y[i] / v : 0.5f + kInvSqrt2Pi * v;
        const float pdf = kInvSqrt2Pi * expf(-0.5f * v * v);
        out[i] = dy[i] * (cdf + v * pdf);
      }
      return;
    case UnaryOp::PowScalar: {
      const double e = p.exponent;
      if (e == 0) {
        for (size_t i = 0; i < n; i++) out[i] = 0.0f;
        return;
      }
      const float em1 = static_cast<float>(e - 1);
      for (size_t i = 0; i < n; i++) out[i] = static_cast<float>(dy[i] * e * jsPow(x[i], em1));
      return;
    }
    case UnaryOp::Clamp: {
      const double lo = p.min;
      const double hi = p.max;
      for (size_t i = 0; i < n; i++) {
        const double v = x[i];
        const float g = dy[i];
        out[i] = v >= lo && v <= hi ? g : 0.0f;
      }
      return;
    }
  }
}

}  // namespace nabla
