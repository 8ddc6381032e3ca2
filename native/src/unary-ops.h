// The elementwise unary ops (Backend's UnaryOp list) and their loops on raw float arrays.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "parallel.h"

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

// Elementwise work in blocks of kUnaryBlock values (threaded when large): chunk edges fall on block
// edges, so every value is computed by the same code path (vector body or scalar tail) whatever the
// thread count. glibc's vector expf/tanhf do not round as the scalar ones do, so a value's result
// depends on its place in the block: the fused BatchNorm→sigmoid/tanh (batch-norm.cc) cuts its
// output into these same blocks to agree with the unary kernel bit for bit.
constexpr int64_t kUnaryBlock = 1024;

// Runs body(begin, length) over the blocks of [0, n).
template <class Body>
void byBlocks(size_t n, Body&& body) {
  const int64_t blocks = (static_cast<int64_t>(n) + kUnaryBlock - 1) / kUnaryBlock;
  parallelFor(blocks, kUnaryBlock, [&](int64_t b0, int64_t b1) {
    const size_t begin = static_cast<size_t>(b0 * kUnaryBlock);
    const size_t end = std::min(static_cast<size_t>(b1 * kUnaryBlock), n);
    body(begin, end - begin);
  });
}

}  // namespace nabla
