#include "gemm-product.h"

#include <cblas.h>

#include <algorithm>

namespace nabla {

Product readProduct(const Args& args) {
  const bool transA = args.boolean(0, "transA");
  const bool transB = args.boolean(1, "transB");
  const int64_t m = args.size(2, "m");
  const int64_t n = args.size(3, "n");
  const int64_t k = args.size(4, "k");
  const float alpha = static_cast<float>(args.number(5, "alpha"));
  const float beta = static_cast<float>(args.number(8, "beta"));
  const Floats a = args.floats(6, "a", static_cast<uint64_t>(m) * k);
  const Floats b = args.floats(7, "b", static_cast<uint64_t>(k) * n);
  const Floats c = args.floats(9, "c", static_cast<uint64_t>(m) * n);
  return {transA, transB, static_cast<int>(m), static_cast<int>(n), static_cast<int>(k), alpha, beta, a.data, b.data, c.data};
}

void scaleProduct(float* c, size_t count, float beta) {
  if (beta == 0) std::fill(c, c + count, 0.0f);
  else if (beta != 1) for (size_t i = 0; i < count; i++) c[i] *= beta;
}

void multiply(const Product& p) {
  if (p.m == 0 || p.n == 0) return;
  if (p.k == 0 || p.alpha == 0) {
    scaleProduct(p.c, static_cast<size_t>(p.m) * p.n, p.beta);
    return;
  }
  // Leading dimensions of the stored (untransposed) row-major matrices.
  cblas_sgemm(CblasRowMajor, p.transA ? CblasTrans : CblasNoTrans, p.transB ? CblasTrans : CblasNoTrans, p.m, p.n, p.k, p.alpha,
              p.a, p.transA ? p.m : p.k, p.b, p.transB ? p.k : p.n, p.beta, p.c, p.n);
}

}  // namespace nabla
