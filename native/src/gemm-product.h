// One product C[m×n] = alpha · op(A) · op(B) + beta · C (+ bias, gemm only) (row-major) as gemm and gemmAsync take it:
// read from a call's arguments (transA, transB, m, n, k, alpha, a, b, beta, c) and run through
// OpenBLAS's cblas_sgemm.
#pragma once

#include <cstddef>
#include <cstdint>

#include "args.h"

namespace nabla {

struct Product {
  bool transA, transB;
  int m, n, k;
  float alpha, beta;
  const float* a;
  const float* b;
  float* c;
  // A row of n values added to every row of C (a Linear layer's bias), or null: cuBLASLt's bias epilogue.
  // Each thread writes it into its own block of C just before multiplying into that block.
  const float* bias = nullptr;
};

// The product of arguments 0–9, each array checked to hold its operand (messages name `args`' kernel).
Product readProduct(const Args& args);

// C = beta · C over count values (beta 0 writes zeros, so a NaN in C does not survive): a product
// with nothing to multiply.
void scaleProduct(float* c, size_t count, float beta);

// C = alpha · op(A) · op(B) + beta · C (+ bias); with nothing to multiply (k = 0 or alpha = 0, where BLAS would
// reject the leading dimension) C is scaled here. On the calling thread, with OpenBLAS's current thread count.
void multiply(const Product& p);

// multiply for gemm: a product of at least kThreadedGemmMinWork multiply-adds is cut into blocks of C's
// rows (of columns when there are fewer than 32 rows a thread; at multiples of 16), one per addon thread, each an OpenBLAS call on
// one thread; a smaller one runs on one thread. Each value of C is computed by one call, over all of k.
void multiplyThreaded(const Product& p);

}  // namespace nabla
