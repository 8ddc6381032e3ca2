// Forward loops of the unary ops. Arithmetic follows the js backend (in double, rounded once to
// float); exp, log, tanh, expm1, erfc and pow are glibc's vectorized float functions.
#include "vector-math.h"
// (vector-math.h first: it must be the first to include <math.h>.)
#include "simd.h"
#include "unary-ops.h"

namespace nabla {

namespace {
constexpr float kSqrt1_2 = 0.70710678118654752f;
}

NABLA_CLONES
void unaryForward(UnaryOp op, const float* x, float* out, size_t n, const UnaryParams& p) {
  switch (op) {
    case UnaryOp::Neg: for (size_t i = 0; i < n; i++) out[i] = -x[i]; return;
    case UnaryOp::Exp: for (size_t i = 0; i < n; i++) out[i] = expf(x[i]); return;
    case UnaryOp::Log: for (size_t i = 0; i < n; i++) out[i] = logf(x[i]); return;
    case UnaryOp::Sqrt: for (size_t i = 0; i < n; i++) out[i] = sqrtf(x[i]); return;
    case UnaryOp::Abs: for (size_t i = 0; i < n; i++) out[i] = fabsf(x[i]); return;
    case UnaryOp::Sign:
      // Math.sign: ±0 and NaN map to themselves.
      for (size_t i = 0; i < n; i++) out[i] = x[i] > 0 ? 1.0f : x[i] < 0 ? -1.0f : x[i];
      return;
    case UnaryOp::Square: for (size_t i = 0; i < n; i++) out[i] = x[i] * x[i]; return;
    case UnaryOp::Reciprocal: for (size_t i = 0; i < n; i++) out[i] = 1.0f / x[i]; return;
    case UnaryOp::Sigmoid:
      // e^−|x| never overflows: σ(x) = 1/(1+e^−x) for x ≥ 0, e^x/(1+e^x) below.
      for (size_t i = 0; i < n; i++) {
        const float e = expf(-fabsf(x[i]));
        const float r = 1.0f / (1.0f + e);
        out[i] = x[i] >= 0 ? r : e * r;
      }
      return;
    case UnaryOp::Tanh: for (size_t i = 0; i < n; i++) out[i] = tanhf(x[i]); return;
    case UnaryOp::Relu: for (size_t i = 0; i < n; i++) out[i] = x[i] < 0 ? 0.0f : x[i]; return;  // NaN passes (PyTorch)
    case UnaryOp::LeakyRelu: {
      const double a = p.alpha;
      for (size_t i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : static_cast<float>(a * x[i]);
      return;
    }
    case UnaryOp::Elu: {
      const double a = p.alpha;
      for (size_t i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : static_cast<float>(a * expm1f(x[i]));
      return;
    }
    case UnaryOp::Gelu:
      // x·Φ(x) with Φ(x) = erfc(−x/√2)/2: no cancellation for negative x, unlike 1 + erf.
      for (size_t i = 0; i < n; i++) out[i] = 0.5f * x[i] * erfcf(-x[i] * kSqrt1_2);
      return;
    case UnaryOp::PowScalar: {
      const float e = static_cast<float>(p.exponent);
      if (p.exponent == 2) for (size_t i = 0; i < n; i++) out[i] = x[i] * x[i];
      else for (size_t i = 0; i < n; i++) out[i] = jsPow(x[i], e);
      return;
    }
    case UnaryOp::Clamp: {
      const double lo = p.min;
      const double hi = p.max;
      for (size_t i = 0; i < n; i++) {
        const double v = x[i];
        out[i] = static_cast<float>(v < lo ? lo : v > hi ? hi : v);
      }
      return;
    }
  }
}

}  // namespace nabla
