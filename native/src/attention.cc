// attention(q, k, v, params, mask, maskIndex, dropout, out, probs) and
// attentionBackward(q, k, v, params, probs, dropout, out, dOut, dq, dk, dv): scaled dot-product
// attention per (batch item, head), as js/attention.ts computes it (its messages too).
//
// Forward of one item: S = scale·q·kᵀ (OpenBLAS, written straight into its slot of probs), then
// each row in one pass over cache-resident values: + mask, max, exp, sum (double), normalize; then
// out = (P ∘ dropout)·v. Backward: dV = P̃ᵀ·dO, dP = dO·vᵀ, dS = P ∘ (dP ∘ dropout − rowsum(dO ∘ O)),
// dQ = scale·dS·k, dK = scale·dSᵀ·q. The operands are read and written in place through their views
// (lda = rowStride), so MultiheadAttention's packed projections need no copies. The items run on the
// addon's threads, each product on one OpenBLAS thread; each chunk has its own L×S scratch.
#include "vector-math.h"
// (vector-math.h first: it must be the first to include <math.h>.)
#include <cblas.h>

#include <algorithm>
#include <string>
#include <vector>

#include "args.h"
#include "blas-threads.h"
#include "dropout.h"
#include "fields.h"
#include "kernels.h"
#include "parallel.h"
#include "simd.h"

namespace nabla {

namespace {

struct View {
  int64_t offset, batchStride, headStride, rowStride;
  int64_t at(int64_t b, int64_t h) const { return offset + b * batchStride + h * headStride; }
};

struct Problem {
  int64_t batch, heads, L, S, E, Ev;
  float scale;
  bool causal;
  float keepScale;  // a kept weight's factor under dropout
  View q, k, v, out;
  int64_t items() const { return batch * heads; }
};

View readView(const Args& args, const Fields& params, const char* name, int64_t cols) {
  const Fields f = params.child(name);
  View view{f.size("offset"), f.size("batchStride"), f.size("headStride"), f.size("rowStride")};
  if (view.rowStride < cols) {
    args.fail(std::string("params.") + name + ".rowStride " + std::to_string(view.rowStride) + " is less than its rows' length " + std::to_string(cols));
  }
  return view;
}

Problem readProblem(const Args& args, const Napi::CallbackInfo& info, size_t i) {
  const Fields params(args, info, i, "params");
  Problem p;
  p.batch = params.size("batch");
  p.heads = params.size("heads");
  p.L = params.size("targetLength");
  p.S = params.size("sourceLength");
  p.E = params.size("headDim");
  p.Ev = params.size("valueDim");
  p.scale = static_cast<float>(params.number("scale"));
  p.causal = params.boolean("causal");
  const double dropoutP = params.number("dropoutP");
  if (!(dropoutP >= 0 && dropoutP <= 1)) args.fail("params.dropoutP must be a probability in [0, 1], got " + std::to_string(dropoutP));
  p.keepScale = dropoutScale(dropoutP);
  p.q = readView(args, params, "q", p.E);
  p.k = readView(args, params, "k", p.E);
  p.v = readView(args, params, "v", p.Ev);
  p.out = readView(args, params, "out", p.Ev);
  return p;
}

// a·b, failing (instead of wrapping around) past 2^63.
uint64_t product(const Args& args, uint64_t a, uint64_t b) {
  uint64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r) || r > (uint64_t{1} << 63)) args.fail("sizes are too large");
  return r;
}

// Elements a view spans: its last index + 1 (0 when it holds none).
uint64_t span(const Args& args, const Problem& p, const View& view, int64_t rows, int64_t cols) {
  if (p.batch == 0 || p.heads == 0 || rows == 0 || cols == 0) return 0;
  // Each term < 2^62 (a size and a stride are < 2^31): their sum fits.
  return static_cast<uint64_t>(view.offset) + product(args, p.batch - 1, view.batchStride) +
         product(args, p.heads - 1, view.headStride) + product(args, rows - 1, view.rowStride) + cols;
}

// One row of probabilities in place: x = scores + mask over the first `cols` entries, softmax,
// zeros after them (the causal part). Sum in double, as softmax.cc.
NABLA_CLONES
void softmaxRow(float* row, const float* mask, int64_t cols, int64_t S) {
  float m = -__builtin_inff();
  if (mask != nullptr) {
    for (int64_t j = 0; j < cols; j++) row[j] += mask[j];
  }
  for (int64_t j = 0; j < cols; j++) m = row[j] > m ? row[j] : m;  // NaN is skipped, as in js
  // The exponentials in a loop of their own: it vectorizes (glibc's vector expf), the double sum after it too.
#pragma omp simd
  for (int64_t j = 0; j < cols; j++) row[j] = expf(row[j] - m);
  double sum = 0;
#pragma omp simd reduction(+ : sum)
  for (int64_t j = 0; j < cols; j++) sum += row[j];
  const double inv = 1.0 / sum;
  for (int64_t j = 0; j < cols; j++) row[j] = static_cast<float>(row[j] * inv);
  std::fill(row + cols, row + S, 0.0f);
}

// dS = P ∘ (dP ∘ dropout − Σ_c dO·O) for one row, in place over dP (dropout: keep ? keepScale : 0).
NABLA_CLONES
void scoreGradientRow(const float* P, const uint8_t* keep, float keepScale, float* dP, double rowDot, int64_t S) {
  const float d = static_cast<float>(rowDot);
  if (keep == nullptr) {
    for (int64_t j = 0; j < S; j++) dP[j] = P[j] * (dP[j] - d);
  } else {
    for (int64_t j = 0; j < S; j++) dP[j] = P[j] * (dP[j] * (keep[j] ? keepScale : 0.0f) - d);
  }
}

double dot(const float* a, const float* b, int64_t n) {
  double s = 0;
#pragma omp simd reduction(+ : s)
  for (int64_t c = 0; c < n; c++) s += static_cast<double>(a[c]) * b[c];
  return s;
}

void gemm(bool transA, bool transB, int64_t m, int64_t n, int64_t k, float alpha, const float* a, int64_t lda,
          const float* b, int64_t ldb, float* c, int64_t ldc) {
  if (m == 0 || n == 0) return;
  if (k == 0) {
    for (int64_t i = 0; i < m; i++) std::fill(c + i * ldc, c + i * ldc + n, 0.0f);
    return;
  }
  cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, static_cast<int>(m),
              static_cast<int>(n), static_cast<int>(k), alpha, a, static_cast<int>(lda), b, static_cast<int>(ldb), 0.0f, c,
              static_cast<int>(ldc));
}

struct Forward {
  const Problem& p;
  const float *q, *k, *v, *mask;
  const uint8_t* dropout;
  const int32_t* maskIndex;
  float *out, *probs;

  void item(int64_t b, int64_t h, float* scratch) const {
    const int64_t L = p.L, S = p.S, n = b * p.heads + h;
    const float* qi = q + p.q.at(b, h);
    const float* ki = k + p.k.at(b, h);
    float* P = probs + n * L * S;
    gemm(false, true, L, S, p.E, p.scale, qi, p.q.rowStride, ki, p.k.rowStride, P, S);
    const float* m = mask == nullptr ? nullptr : mask + static_cast<int64_t>(maskIndex[n]) * L * S;
    for (int64_t i = 0; i < L; i++) {
      softmaxRow(P + i * S, m == nullptr ? nullptr : m + i * S, p.causal ? std::min(i + 1, S) : S, S);
    }
    const float* weights = P;
    if (dropout != nullptr) {
      applyKeep(P, dropout + n * L * S, p.keepScale, scratch, static_cast<size_t>(L * S));
      weights = scratch;
    }
    gemm(false, false, L, p.Ev, S, 1.0f, weights, S, v + p.v.at(b, h), p.v.rowStride, out + p.out.at(b, h), p.out.rowStride);
  }
};

struct Backward {
  const Problem& p;
  const float *q, *k, *v, *probs, *out, *dOut;
  const uint8_t* dropout;
  float *dq, *dk, *dv;

  // scratch: L×S for dP/dS, and L×S more for P ∘ dropout when there is dropout.
  void item(int64_t b, int64_t h, float* scratch) const {
    const int64_t L = p.L, S = p.S, n = b * p.heads + h;
    const float* P = probs + n * L * S;
    const uint8_t* keep = dropout == nullptr ? nullptr : dropout + n * L * S;
    const float* dO = dOut + p.out.at(b, h);
    const float* O = out + p.out.at(b, h);
    const float* vi = v + p.v.at(b, h);
    float* dP = scratch;
    if (dv != nullptr) {
      const float* weights = P;
      if (keep != nullptr) {
        applyKeep(P, keep, p.keepScale, scratch + L * S, static_cast<size_t>(L * S));
        weights = scratch + L * S;
      }
      gemm(true, false, S, p.Ev, L, 1.0f, weights, S, dO, p.out.rowStride, dv + p.v.at(b, h), p.v.rowStride);
    }
    if (dq == nullptr && dk == nullptr) return;
    gemm(false, true, L, S, p.Ev, 1.0f, dO, p.out.rowStride, vi, p.v.rowStride, dP, S);
    for (int64_t i = 0; i < L; i++) {
      const double rowDot = dot(dO + i * p.out.rowStride, O + i * p.out.rowStride, p.Ev);
      scoreGradientRow(P + i * S, keep == nullptr ? nullptr : keep + i * S, p.keepScale, dP + i * S, rowDot, S);
    }
    if (dq != nullptr) {
      gemm(false, false, L, p.E, S, p.scale, dP, S, k + p.k.at(b, h), p.k.rowStride, dq + p.q.at(b, h), p.q.rowStride);
    }
    if (dk != nullptr) {
      gemm(true, false, S, p.E, L, p.scale, dP, S, q + p.q.at(b, h), p.q.rowStride, dk + p.k.at(b, h), p.k.rowStride);
    }
  }
};

// Runs item(b, h, scratch) for every item on the addon's threads, each chunk with its own scratch.
template <class Kernel>
void forEachItem(const Problem& p, const Kernel& kernel, int64_t scratchPerChunk) {
  const int64_t items = p.items();
  if (items == 0) return;
  const double macs = static_cast<double>(p.L) * p.S * (p.E + p.Ev);
  const int64_t chunks = parallelChunks(items, static_cast<int64_t>(std::min(macs, 1e12)));
  std::vector<float> scratch(static_cast<size_t>(std::max<int64_t>(chunks, 1) * scratchPerChunk));
  SingleThreadedBlas blas(chunks, macs);
  parallelRun(chunks, items, [&](int64_t chunk, int64_t begin, int64_t end) {
    float* mine = scratch.data() + chunk * scratchPerChunk;
    for (int64_t n = begin; n < end; n++) kernel.item(n / p.heads, n % p.heads, mine);
  });
}

}  // namespace

Napi::Value Attention(const Napi::CallbackInfo& info) {
  Args args(info, "attention");
  const Problem p = readProblem(args, info, 3);
  const uint64_t LS = product(args, p.L, p.S);
  const uint64_t items = product(args, p.batch, p.heads);
  const uint64_t itemsLS = product(args, items, LS);
  const bool hasMask = !info[4].IsNull();
  if (hasMask && info[5].IsNull()) args.fail("a mask needs its maskIndex");
  const Ints maskIndex = hasMask ? ints(args, info, 5, "maskIndex", items) : Ints{nullptr, 0};
  // The mask holds matrices [L, S] up to the largest one an item reads.
  int64_t largest = -1;
  for (uint64_t n = 0; hasMask && n < items; n++) {
    if (maskIndex.data[n] < 0) args.fail("maskIndex[" + std::to_string(n) + "] is " + std::to_string(maskIndex.data[n]) + ", must be ≥ 0");
    largest = std::max<int64_t>(largest, maskIndex.data[n]);
  }
  const Floats mask = optionalFloats(args, info, 4, "mask", product(args, static_cast<uint64_t>(largest + 1), LS));
  const Floats q = args.floats(0, "q", span(args, p, p.q, p.L, p.E));
  const Floats k = args.floats(1, "k", span(args, p, p.k, p.S, p.E));
  const Floats v = args.floats(2, "v", span(args, p, p.v, p.S, p.Ev));
  const Bytes dropout = info[6].IsNull() ? Bytes{nullptr, 0} : bytes(args, info, 6, "dropout", itemsLS);
  const Floats out = args.floats(7, "out", span(args, p, p.out, p.L, p.Ev));
  const Floats probs = args.floats(8, "probs", itemsLS);
  const Forward kernel{p, q.data, k.data, v.data, mask.data, dropout.data, maskIndex.data, out.data, probs.data};
  forEachItem(p, kernel, dropout.data == nullptr ? 0 : static_cast<int64_t>(LS));
  return info.Env().Undefined();
}

Napi::Value AttentionBackward(const Napi::CallbackInfo& info) {
  Args args(info, "attentionBackward");
  const Problem p = readProblem(args, info, 3);
  const uint64_t LS = product(args, p.L, p.S);
  const uint64_t items = product(args, p.batch, p.heads);
  const uint64_t itemsLS = product(args, items, LS);
  const Floats q = args.floats(0, "q", span(args, p, p.q, p.L, p.E));
  const Floats k = args.floats(1, "k", span(args, p, p.k, p.S, p.E));
  const Floats v = args.floats(2, "v", span(args, p, p.v, p.S, p.Ev));
  const Floats probs = args.floats(4, "probs", itemsLS);
  const Bytes dropout = info[5].IsNull() ? Bytes{nullptr, 0} : bytes(args, info, 5, "dropout", itemsLS);
  const Floats out = args.floats(6, "out", span(args, p, p.out, p.L, p.Ev));
  const Floats dOut = args.floats(7, "dOut", span(args, p, p.out, p.L, p.Ev));
  const Floats dq = optionalFloats(args, info, 8, "dq", span(args, p, p.q, p.L, p.E));
  const Floats dk = optionalFloats(args, info, 9, "dk", span(args, p, p.k, p.S, p.E));
  const Floats dv = optionalFloats(args, info, 10, "dv", span(args, p, p.v, p.S, p.Ev));
  const Backward kernel{p, q.data, k.data, v.data, probs.data, out.data, dOut.data, dropout.data, dq.data, dk.data, dv.data};
  forEachItem(p, kernel, static_cast<int64_t>(LS) * (dropout.data == nullptr ? 1 : 2));
  return info.Env().Undefined();
}

}  // namespace nabla
