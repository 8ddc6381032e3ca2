// The elementwise unary ops (Backend's UnaryOp list) and their loops on raw float arrays.
#pragma once

#include <cstddef>

namespace nabla {

enum class UnaryOp {
  Neg, Exp, Log, Sqrt, Abs, Sign, Square, Reciprocal,
  Sigmoid, Tanh, Relu, LeakyRelu, Elu, Gelu, PowScalar, Clamp,
};

// UnaryParams with the js backend's defaults filled in.
struct UnaryParams {
  double alpha;     // leakyRelu slope (default 0.01), elu alpha (default 1)
  double exponent;  // powScalar (default 1)
  double min;       // clamp bounds (default ∓∞)
  double max;
};

// out = op(x) for n elements; out may be x.
void unaryForward(UnaryOp op, const float* x, float* out, size_t n, const UnaryParams& p);

// out = dy · op'(x), reading x or the forward output y (whichever the op needs).
void unaryBackward(UnaryOp op, const float* x, const float* y, const float* dy, float* out, size_t n,
                   const UnaryParams& p);

}  // namespace nabla
