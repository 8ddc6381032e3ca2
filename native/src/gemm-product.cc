#include "gemm-product.h"

#include <cblas.h>

#include <algorithm>

#include "blas-threads.h"
#include "parallel.h"

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

namespace {

// C = beta · C + bias over rows [m0, m1) and columns [n0, n1) (beta 0 ignores what C held).
void addBias(const Product& p, int m0, int m1, int n0, int n1) {
  const float* bias = p.bias + n0;
  const size_t width = n1 - n0;
  for (int i = m0; i < m1; i++) {
    float* c = p.c + static_cast<size_t>(i) * p.n + n0;
    if (p.beta == 0) std::copy(bias, bias + width, c);
    else for (size_t j = 0; j < width; j++) c[j] = static_cast<float>(static_cast<double>(p.beta) * c[j] + bias[j]);
  }
}

// Rows [m0, m1) and columns [n0, n1) of C: the operands' blocks, addressed with the whole matrices'
// leading dimensions (those of the stored, untransposed row-major matrices).
void multiplyBlock(const Product& p, int m0, int m1, int n0, int n1) {
  float beta = p.beta;
  if (p.bias != nullptr) {
    addBias(p, m0, m1, n0, n1);
    beta = 1;
  }
  const int lda = p.transA ? p.m : p.k, ldb = p.transB ? p.k : p.n;
  const float* a = p.transA ? p.a + m0 : p.a + static_cast<size_t>(m0) * lda;
  const float* b = p.transB ? p.b + static_cast<size_t>(n0) * ldb : p.b + n0;
  cblas_sgemm(CblasRowMajor, p.transA ? CblasTrans : CblasNoTrans, p.transB ? CblasTrans : CblasNoTrans, m1 - m0, n1 - n0, p.k, p.alpha,
              a, lda, b, ldb, beta, p.c + static_cast<size_t>(m0) * p.n + n0, p.n);
}

}  // namespace

void multiply(const Product& p) {
  if (p.m == 0 || p.n == 0) return;
  if (p.k == 0 || p.alpha == 0) {
    if (p.bias != nullptr) addBias(p, 0, p.m, 0, p.n);
    else scaleProduct(p.c, static_cast<size_t>(p.m) * p.n, p.beta);
    return;
  }
  multiplyBlock(p, 0, p.m, 0, p.n);
}

namespace {

// Block edges on multiples of 16 rows or columns (OpenBLAS's micro-kernels' tile, so no part pays for
// edge tiles mid-matrix); the last edge is the size.
int edge(int size, int64_t t, int64_t parts) {
  if (t >= parts) return size;
  const int64_t at = (static_cast<int64_t>(size) * t / parts + 8) / 16 * 16;
  return static_cast<int>(std::min<int64_t>(size, at));
}

}  // namespace

// OpenBLAS 0.3.21's own threads split these products worse here: its caller spins in sched_yield
// for the other half (a fifth of a small MLP's main thread), and on the GPT's 2048×384×128 products
// its two threads took 1.33× as long as two one-thread calls on halves of C (DESIGN.md).
void multiplyThreaded(const Product& p) {
  const int64_t parts = threadCount();
  const double macs = static_cast<double>(p.m) * p.n * p.k;
  // Blocks of rows when each gets 32 or more: a block of C is then contiguous, written by one thread alone
  // (small-tanh's 300×784×64 weight gradient: 234 µs in blocks of columns, 167 in blocks of rows).
  // Blocks of columns when B is the largest operand, as a Linear's weight is in its forward (x·Wᵀ): each
  // thread then reads only its own rows of W, the rows the optimizer's two-thread pass later writes on that
  // same core. Cut by rows, both cores read all of W, and the update had to take every line of it back from
  // the other core: small-tanh's SGD step 175 → 100 µs, its whole step ~15% faster (DESIGN.md).
  const double sizeA = static_cast<double>(p.m) * p.k, sizeB = static_cast<double>(p.k) * p.n, sizeC = static_cast<double>(p.m) * p.n;
  const bool weightIsB = sizeB > sizeA && sizeB > sizeC && p.n >= 32 * parts;
  const bool byColumns = p.m < 32 * parts || weightIsB;
  const int split = byColumns ? p.n : p.m;
  if (parts < 2 || macs < kThreadedGemmMinWork || split < 32 * parts || p.k == 0 || p.alpha == 0) {
    SingleThreadedBlas small(1, macs);
    multiply(p);
    return;
  }
  const auto block = [&](int64_t t) {
    const int lo = edge(split, t, parts), hi = edge(split, t + 1, parts);
    if (hi <= lo) return;
    if (byColumns) multiplyBlock(p, 0, p.m, lo, hi);
    else multiplyBlock(p, lo, hi, 0, p.n);
  };
  // While gemmAsync's thread multiplies (the recurrent layers' weight gradients), the caller keeps to one
  // core, but still goes block by block: one call over all of C can round differently, and which thread was
  // busy must not change the result (the same seed gave an LSTM different bits from run to run).
  const bool oneCore = SingleThreadedBlas::active();
  SingleThreadedBlas single(parts, macs);
  if (oneCore) {
    for (int64_t t = 0; t < parts; t++) block(t);
    return;
  }
  parallelRun(parts, parts, [&](int64_t t, int64_t, int64_t) { block(t); });
}

}  // namespace nabla
