// softmax(x, rows, cols, out, log) and softmaxBackward(y, dy, rows, cols, out, log), over the
// last axis of x viewed as [rows, cols]. Sums run in double, as in the js backend.
#include "vector-math.h"
// (vector-math.h first: it must be the first to include <math.h>.)
#include "args.h"
#include "kernels.h"

namespace nabla {

namespace {

void softmaxRow(const float* x, int64_t cols, float* out, bool logSoftmax) {
  float m = -__builtin_inff();
  for (int64_t j = 0; j < cols; j++) m = x[j] > m ? x[j] : m;  // NaN is skipped, as in js
  double sum = 0;
#pragma omp simd reduction(+ : sum)
  for (int64_t j = 0; j < cols; j++) sum += expf(x[j] - m);
  if (logSoftmax) {
    const double lse = m + log(sum);
    for (int64_t j = 0; j < cols; j++) out[j] = static_cast<float>(x[j] - lse);
  } else {
    const double inv = 1.0 / sum;
    for (int64_t j = 0; j < cols; j++) out[j] = static_cast<float>(expf(x[j] - m) * inv);
  }
}

void softmaxBackwardRow(const float* y, const float* dy, int64_t cols, float* out, bool logSoftmax) {
  double s = 0;
  if (logSoftmax) {
    // dx = dy − softmax · Σ dy
#pragma omp simd reduction(+ : s)
    for (int64_t j = 0; j < cols; j++) s += dy[j];
    for (int64_t j = 0; j < cols; j++) out[j] = static_cast<float>(dy[j] - exp(static_cast<double>(y[j])) * s);
  } else {
    // dx = y · (dy − Σ dy·y)
#pragma omp simd reduction(+ : s)
    for (int64_t j = 0; j < cols; j++) s += static_cast<double>(dy[j]) * y[j];
    for (int64_t j = 0; j < cols; j++) out[j] = static_cast<float>(y[j] * (dy[j] - s));
  }
}

}  // namespace

Napi::Value Softmax(const Napi::CallbackInfo& info) {
  Args args(info, "softmax");
  const int64_t rows = args.size(1, "rows");
  const int64_t cols = args.size(2, "cols");
  const bool logSoftmax = args.boolean(4, "log");
  const uint64_t n = static_cast<uint64_t>(rows) * cols;
  const Floats x = args.floats(0, "x", n);
  const Floats out = args.floats(3, "out", n);
  for (int64_t r = 0; r < rows; r++) softmaxRow(x.data + r * cols, cols, out.data + r * cols, logSoftmax);
  return info.Env().Undefined();
}

Napi::Value SoftmaxBackward(const Napi::CallbackInfo& info) {
  Args args(info, "softmaxBackward");
  const int64_t rows = args.size(2, "rows");
  const int64_t cols = args.size(3, "cols");
  const bool logSoftmax = args.boolean(5, "log");
  const uint64_t n = static_cast<uint64_t>(rows) * cols;
  const Floats y = args.floats(0, "y", n);
  const Floats dy = args.floats(1, "dy", n);
  const Floats out = args.floats(4, "out", n);
  for (int64_t r = 0; r < rows; r++) {
    softmaxBackwardRow(y.data + r * cols, dy.data + r * cols, cols, out.data + r * cols, logSoftmax);
  }
  return info.Env().Undefined();
}

}  // namespace nabla
