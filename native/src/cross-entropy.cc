// crossEntropy(logits, rows, cols, target, labelSmoothing, logProbs, loss) and
// crossEntropyBackward(logProbs, target, rows, cols, labelSmoothing, scale, out): fused softmax
// cross-entropy against class indices, as js/cross-entropy.ts (sums in double, glibc's expf).
#include "vector-math.h"
// (vector-math.h first: it must be the first to include <math.h>.)
#include "args.h"
#include "fields.h"
#include "kernels.h"

namespace nabla {

namespace {

void checkTargets(const Args& args, const Ints& target, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; r++) {
    if (target.data[r] < 0 || target.data[r] >= cols) {
      args.fail("target " + std::to_string(r) + " is class " + std::to_string(target.data[r]) + ", out of range for " +
                std::to_string(cols) + " classes");
    }
  }
}

}  // namespace

Napi::Value CrossEntropy(const Napi::CallbackInfo& info) {
  Args args(info, "crossEntropy");
  const int64_t rows = args.size(1, "rows");
  const int64_t cols = args.size(2, "cols");
  const double labelSmoothing = args.number(4, "labelSmoothing");
  const uint64_t n = static_cast<uint64_t>(rows) * cols;
  const Floats logits = args.floats(0, "logits", n);
  const Ints target = ints(args, info, 3, "target", rows);
  const Floats logProbs = args.floats(5, "logProbs", n);
  const Floats loss = args.floats(6, "loss", rows);
  checkTargets(args, target, rows, cols);

  const double onTarget = 1 - labelSmoothing;
  const double spread = labelSmoothing / cols;
  for (int64_t r = 0; r < rows; r++) {
    const float* x = logits.data + r * cols;
    float* lp = logProbs.data + r * cols;
    float m = -__builtin_inff();
    for (int64_t j = 0; j < cols; j++) m = x[j] > m ? x[j] : m;
    double sum = 0;
#pragma omp simd reduction(+ : sum)
    for (int64_t j = 0; j < cols; j++) sum += expf(x[j] - m);
    const double lse = m + log(sum);
    double sumLogProbs = 0;
    for (int64_t j = 0; j < cols; j++) {
      const double v = x[j] - lse;
      lp[j] = static_cast<float>(v);
      sumLogProbs += v;
    }
    // −Σ q·log p with q = (1 − ε)·onehot + ε/C
    loss.data[r] = static_cast<float>(-onTarget * lp[target.data[r]] - (spread == 0 ? 0 : spread * sumLogProbs));
  }
  return info.Env().Undefined();
}

Napi::Value CrossEntropyBackward(const Napi::CallbackInfo& info) {
  Args args(info, "crossEntropyBackward");
  const int64_t rows = args.size(2, "rows");
  const int64_t cols = args.size(3, "cols");
  const double labelSmoothing = args.number(4, "labelSmoothing");
  const uint64_t n = static_cast<uint64_t>(rows) * cols;
  const Floats logProbs = args.floats(0, "logProbs", n);
  const Ints target = ints(args, info, 1, "target", rows);
  const Floats scale = args.floats(5, "scale", rows);
  const Floats out = args.floats(6, "out", n);
  checkTargets(args, target, rows, cols);

  const double onTarget = 1 - labelSmoothing;
  const double spread = labelSmoothing / cols;
  for (int64_t r = 0; r < rows; r++) {
    const float* lp = logProbs.data + r * cols;
    float* o = out.data + r * cols;
    const double s = scale.data[r];
    // exp in double: p − 1 cancels on the target class, where expf's last bits would show.
    for (int64_t j = 0; j < cols; j++) o[j] = static_cast<float>(s * (exp(static_cast<double>(lp[j])) - spread));
    o[target.data[r]] = static_cast<float>(o[target.data[r]] - s * onTarget);
  }
  return info.Env().Undefined();
}

}  // namespace nabla
