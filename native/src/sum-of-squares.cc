// sumOfSquares(x) → Σ x² in double (clipGradNorm's 2-norm). Blocks of 2^14 values are summed each in
// double, on the addon's threads, and the blocks' sums added in order: the same bits on any thread count.
#include <algorithm>
#include <vector>

#include "args.h"
#include "kernels.h"
#include "parallel.h"
#include "simd.h"

namespace nabla {

namespace {

constexpr int64_t kBlock = 1 << 14;

NABLA_CLONES
double blockSum(const float* x, int64_t n) {
  double s = 0;
#pragma omp simd reduction(+ : s)
  for (int64_t i = 0; i < n; i++) s += static_cast<double>(x[i]) * x[i];
  return s;
}

}  // namespace

Napi::Value SumOfSquares(const Napi::CallbackInfo& info) {
  Args args(info, "sumOfSquares");
  const Floats x = args.floats(0, "x", 0);
  const int64_t n = static_cast<int64_t>(x.length);
  const int64_t blocks = (n + kBlock - 1) / kBlock;
  std::vector<double> sums(blocks);
  parallelFor(blocks, kBlock, [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; b++) sums[b] = blockSum(x.data + b * kBlock, std::min(kBlock, n - b * kBlock));
  });
  double total = 0;
  for (double s : sums) total += s;
  return Napi::Number::New(info.Env(), total);
}

}  // namespace nabla
