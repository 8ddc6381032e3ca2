// gemm: row-major C[m×n] = alpha · op(A) · op(B) + beta · C (+ bias, a row added to every row of C)
// through OpenBLAS's cblas_sgemm.

#include <algorithm>
#include <string>
#include <vector>

#include "args.h"
#include "blas-threads.h"
#include "gemm-product.h"
#include "kernels.h"
#include "parallel.h"

namespace nabla {

Napi::Value Gemm(const Napi::CallbackInfo& info) {
  Args args(info, "gemm");
  Product p = readProduct(args);
  if (info.Length() > 10 && !info[10].IsUndefined() && !info[10].IsNull()) p.bias = args.floats(10, "bias", p.n).data;
  multiplyThreaded(p);
  return info.Env().Undefined();
}

namespace {

constexpr int64_t kSumGroups = 16;

}  // namespace

// gemmBatch(transA, transB, m, n, k, alpha, a, aStride, b, bStride, beta, c, cStride, count): the
// products run on parallelFor's threads, each an OpenBLAS call on one thread (SingleThreadedBlas).
// With cStride = 0 the products are summed in up to 16 fixed groups of consecutive products, each
// into its own buffer, and the buffers added into beta·C in order: the same bits on any thread count.
Napi::Value GemmBatch(const Napi::CallbackInfo& info) {
  Args args(info, "gemmBatch");
  const bool transA = args.boolean(0, "transA");
  const bool transB = args.boolean(1, "transB");
  const int64_t m = args.size(2, "m");
  const int64_t n = args.size(3, "n");
  const int64_t k = args.size(4, "k");
  const float alpha = static_cast<float>(args.number(5, "alpha"));
  const int64_t aStride = args.size(7, "aStride");
  const int64_t bStride = args.size(9, "bStride");
  const float beta = static_cast<float>(args.number(10, "beta"));
  const int64_t cStride = args.size(12, "cStride");
  const int64_t count = args.size(13, "count");
  const uint64_t mn = static_cast<uint64_t>(m) * n;
  // The last product's operand ends at (count − 1)·stride + its size.
  const auto span = [&](int64_t stride, uint64_t size) -> uint64_t {
    if (count == 0) return 0;
    uint64_t last = 0, total = 0;
    if (__builtin_mul_overflow(static_cast<uint64_t>(count - 1), static_cast<uint64_t>(stride), &last) ||
        __builtin_add_overflow(last, size, &total)) {
      args.fail("sizes are too large");
    }
    return total;
  };
  const uint64_t aSpan = span(aStride, static_cast<uint64_t>(m) * k);
  const uint64_t bSpan = span(bStride, static_cast<uint64_t>(k) * n);
  const uint64_t cSpan = cStride == 0 ? mn : span(cStride, mn);
  const Floats a = args.floats(6, "a", aSpan);
  const Floats b = args.floats(8, "b", bSpan);
  const Floats c = args.floats(11, "c", cSpan);
  // Overlapping outputs would be written by several threads at once.
  if (cStride != 0 && static_cast<uint64_t>(cStride) < mn) {
    args.fail("cStride must be 0 (sum the products) or at least m·n = " + std::to_string(mn) + ", got " + std::to_string(cStride));
  }

  if (m == 0 || n == 0) return info.Env().Undefined();
  if (count == 0) {
    if (cStride == 0) scaleProduct(c.data, mn, beta);
    return info.Env().Undefined();
  }
  if (k == 0 || alpha == 0) {
    if (cStride == 0) scaleProduct(c.data, mn, beta);
    else for (int64_t i = 0; i < count; i++) scaleProduct(c.data + i * cStride, mn, beta);
    return info.Env().Undefined();
  }
  const auto product = [&](int64_t i, float productBeta, float* out) {
    multiply({transA, transB, static_cast<int>(m), static_cast<int>(n), static_cast<int>(k), alpha, productBeta,
              a.data + i * aStride, b.data + i * bStride, out});
  };
  if (cStride != 0) {
    const int64_t chunks = parallelChunks(count, m * n * k);
    SingleThreadedBlas blas(chunks, static_cast<double>(m) * n * k);
    parallelRun(chunks, count, [&](int64_t, int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; i++) product(i, beta, c.data + i * cStride);
    });
    return info.Env().Undefined();
  }
  // Summed: the products in fixed groups (each group's in order, then the groups in order into C),
  // so the sum does not depend on the thread count; at most 64 MB of partial sums.
  const int64_t groups = std::max<int64_t>(1, std::min<int64_t>({count, kSumGroups, static_cast<int64_t>((1u << 24) / std::max<uint64_t>(mn, 1))}));
  std::vector<std::vector<float>> partial(groups, std::vector<float>(mn));
  const int64_t chunks = parallelChunks(groups, m * n * k * (count / groups));
  SingleThreadedBlas blas(chunks, static_cast<double>(m) * n * k);
  parallelRun(chunks, groups, [&](int64_t, int64_t groupBegin, int64_t groupEnd) {
    for (int64_t g = groupBegin; g < groupEnd; g++) {
      const int64_t begin = count * g / groups, end = count * (g + 1) / groups;
      for (int64_t i = begin; i < end; i++) product(i, i == begin ? 0.0f : 1.0f, partial[g].data());
    }
  });
  scaleProduct(c.data, mn, beta);
  for (const std::vector<float>& p : partial) for (uint64_t j = 0; j < mn; j++) c.data[j] += p[j];
  return info.Env().Undefined();
}

}  // namespace nabla
