// reduce(op, x, shape, axes, out): sum, max or min of x over the sorted `axes`.
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "args.h"
#include "broadcast.h"
#include "kernels.h"
#include "parallel.h"
#include "simd.h"

namespace nabla {

namespace {

enum class ReduceOp { Sum, Max, Min };

// A row of x folded into one output element. Sums accumulate in double (as the js backend's
// number does); max/min let NaN win.
void foldRow(ReduceOp op, const float* x, int64_t n, float* o) {
  if (op == ReduceOp::Sum) {
    double acc = *o;
#pragma omp simd reduction(+ : acc)
    for (int64_t j = 0; j < n; j++) acc += x[j];
    *o = static_cast<float>(acc);
    return;
  }
  bool nan = *o != *o;
  float m = nan ? 0.0f : *o;
  if (op == ReduceOp::Max) {
#pragma omp simd reduction(max : m) reduction(| : nan)
    for (int64_t j = 0; j < n; j++) {
      m = x[j] > m ? x[j] : m;
      nan |= x[j] != x[j];
    }
  } else {
#pragma omp simd reduction(min : m) reduction(| : nan)
    for (int64_t j = 0; j < n; j++) {
      m = x[j] < m ? x[j] : m;
      nan |= x[j] != x[j];
    }
  }
  *o = nan ? std::numeric_limits<float>::quiet_NaN() : m;
}

// A row of x combined elementwise into a row of the output (the row's axis is kept).
void accumulateRow(ReduceOp op, const float* x, int64_t n, float* o) {
  if (op == ReduceOp::Sum) for (int64_t j = 0; j < n; j++) o[j] += x[j];
  else if (op == ReduceOp::Max) for (int64_t j = 0; j < n; j++) o[j] = x[j] > o[j] || x[j] != x[j] ? x[j] : o[j];
  else for (int64_t j = 0; j < n; j++) o[j] = x[j] < o[j] || x[j] != x[j] ? x[j] : o[j];
}

// Sums of x [rows, cols]'s rows (rows rowStride apart) into out [cols], a Linear layer's bias gradient
// (in float, as the row-by-row loop below adds them):
// kRowGroups fixed groups of consecutive rows, each summed into its own partial row on the addon's
// threads (each reads the rows its core most likely wrote), the partials then added in order: the
// same bits on any thread count.
constexpr int64_t kRowGroups = 4;

NABLA_CLONES
void addRows(const float* __restrict x, int64_t rows, int64_t cols, int64_t rowStride, float* __restrict sums) {
  for (int64_t r = 0; r < rows; r++) {
    const float* row = x + r * rowStride;
    for (int64_t j = 0; j < cols; j++) sums[j] += row[j];
  }
}

void sumRows(const float* x, int64_t rows, int64_t cols, int64_t rowStride, float* out) {
  // Each partial row starts on its own cache line, so no two threads write one line.
  const int64_t stride = (cols + 15) / 16 * 16;
  std::vector<float> storage(static_cast<size_t>(kRowGroups * stride + 16), 0.0f);
  float* partial = storage.data() + (16 - reinterpret_cast<uintptr_t>(storage.data()) / sizeof(float) % 16) % 16;
  parallelFor(kRowGroups, rows / kRowGroups * cols, [&](int64_t g0, int64_t g1) {
    for (int64_t g = g0; g < g1; g++) {
      const int64_t r0 = rows * g / kRowGroups, r1 = rows * (g + 1) / kRowGroups;
      addRows(x + r0 * rowStride, r1 - r0, cols, rowStride, partial + g * stride);
    }
  });
  for (int64_t g = 0; g < kRowGroups; g++) addRows(partial + g * stride, 1, cols, cols, out);
}

}  // namespace

Napi::Value Reduce(const Napi::CallbackInfo& info) {
  Args args(info, "reduce");
  const std::string name = args.string(0, "op");
  ReduceOp op;
  if (name == "sum") op = ReduceOp::Sum;
  else if (name == "max") op = ReduceOp::Max;
  else if (name == "min") op = ReduceOp::Min;
  else args.fail("unknown op '" + name + "'");
  const Shape shape = args.shape(2, "shape");
  const Shape axes = args.shape(3, "axes");
  std::vector<bool> reduced(shape.size(), false);
  for (size_t i = 0; i < axes.size(); i++) {
    if (axes[i] >= static_cast<int64_t>(shape.size()) || (i > 0 && axes[i] <= axes[i - 1])) {
      args.fail("axes " + formatShape(axes) + " must be increasing axes of shape " + formatShape(shape));
    }
    reduced[axes[i]] = true;
  }
  const uint64_t n = args.elements(shape, "shape");
  uint64_t outN = 1;
  for (size_t d = 0; d < shape.size(); d++) if (!reduced[d]) outN *= shape[d];
  const Floats x = args.floats(1, "x", n);
  const Floats out = args.floats(4, "out", outN);

  const float init = op == ReduceOp::Sum ? 0.0f
                     : op == ReduceOp::Max ? -std::numeric_limits<float>::infinity()
                                           : std::numeric_limits<float>::infinity();
  for (uint64_t i = 0; i < outN; i++) out.data[i] = init;
  if (n == 0) return info.Env().Undefined();

  // Loop over x's index space; the output's strides are 0 along reduced axes.
  LoopNest<2> nest;
  int64_t inStride = 1;
  int64_t outStride = 1;
  std::vector<int64_t> inStrides(shape.size());
  std::vector<int64_t> outStrides(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    inStrides[d] = inStride;
    inStride *= shape[d];
    outStrides[d] = reduced[d] ? 0 : outStride;
    if (!reduced[d]) outStride *= shape[d];
  }
  for (size_t d = 0; d < shape.size(); d++) nest.push(shape[d], {inStrides[d], outStrides[d]});
  const bool rowReduced = !nest.size.empty() && nest.strides[1].back() == 0;
  // Rows summed into one row, large enough for the threads (below, one call adds them in order).
  if (op == ReduceOp::Sum && nest.size.size() == 2 && !rowReduced && nest.strides[1][0] == 0 && nest.strides[0][1] == 1 &&
      nest.strides[1][1] == 1 && nest.size[0] >= 4 * kRowGroups && static_cast<int64_t>(n) >= kParallelMinWork) {
    sumRows(x.data, nest.size[0], nest.size[1], nest.strides[0][0], out.data);
    return info.Env().Undefined();
  }
  nest.forEachRow([&](const int64_t* off, int64_t len) {
    if (rowReduced) foldRow(op, x.data + off[0], len, out.data + off[1]);
    else accumulateRow(op, x.data + off[0], len, out.data + off[1]);
  });
  return info.Env().Undefined();
}

}  // namespace nabla
