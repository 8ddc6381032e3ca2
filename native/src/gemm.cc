// gemm: row-major C[m×n] = alpha · op(A) · op(B) + beta · C through OpenBLAS's cblas_sgemm.
#include <cblas.h>

#include <algorithm>

#include "args.h"
#include "kernels.h"

namespace nabla {

Napi::Value Gemm(const Napi::CallbackInfo& info) {
  Args args(info, "gemm");
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

  if (m == 0 || n == 0) return info.Env().Undefined();
  if (k == 0 || alpha == 0) {
    // Nothing to multiply; BLAS would reject the leading dimension k = 0, so scale C here.
    const size_t cn = static_cast<size_t>(m) * n;
    if (beta == 0) std::fill(c.data, c.data + cn, 0.0f);
    else if (beta != 1) for (size_t i = 0; i < cn; i++) c.data[i] *= beta;
    return info.Env().Undefined();
  }
  // Leading dimensions of the stored (untransposed) row-major matrices.
  const int lda = static_cast<int>(transA ? m : k);
  const int ldb = static_cast<int>(transB ? k : n);
  cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
              static_cast<int>(m), static_cast<int>(n), static_cast<int>(k), alpha, a.data, lda, b.data, ldb,
              beta, c.data, static_cast<int>(n));
  return info.Env().Undefined();
}

}  // namespace nabla
