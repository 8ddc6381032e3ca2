// Row-sparse optimizer updates (as js/sparse-updates.ts, with its messages): only the rows in
// `indices`, each with its gradient row in `values`. Unlike the dense updates (float32, memory-bound),
// these run in double, the arithmetic of the dense rules in optim/ (Adagrad and FTRL are js loops),
// with float32 storage and the same expression order, so sparse and dense give the same bits.
// FTRL's n^p uses sqrt for p = 0.5 (V8's pow returns sqrt(x) there too), vectorized; other powers
// call pow, one coordinate at a time, which may differ from V8's in the last bit.
#include <algorithm>
#include <cmath>
#include <string>

#include "args.h"
#include "fields.h"
#include "kernels.h"
#include "parallel.h"
#include "prefetch.h"
#include "simd.h"

namespace nabla {

namespace {

// parallelFor's cost of a row, per float: a row of a table too large for the cache waits on memory
// for about as long as a dense loop takes over a few dozen values.
constexpr int64_t kRowCost = 32;

struct Rows {
  Ints indices;
  Floats values;
  int64_t rowSize;
};

// Indices (≥ 0, unique and ascending, so threads never share a row; param must hold the largest row),
// values (nnz rows), state arrays as long as param.
Rows checkRows(const Args& args, const Napi::CallbackInfo& info, const Floats& param, int64_t rowSize, size_t indicesAt,
               std::initializer_list<std::pair<const char*, Floats>> state) {
  if (rowSize < 1) args.fail("rowSize must be an integer ≥ 1, got " + std::to_string(rowSize));
  const Ints indices = ints(args, info, indicesAt, "indices", 0);
  const Floats values = args.floats(indicesAt + 1, "values", static_cast<uint64_t>(indices.length) * static_cast<uint64_t>(rowSize));
  int64_t last = -1;
  for (size_t k = 0; k < indices.length; k++) {
    if (indices.data[k] < 0) args.fail("indices[" + std::to_string(k) + "] is " + std::to_string(indices.data[k]) + ", a row must be ≥ 0");
    if (indices.data[k] <= last) {
      args.fail("indices[" + std::to_string(k) + "] is " + std::to_string(indices.data[k]) + ", not above indices[" + std::to_string(k - 1) + "] = " + std::to_string(last) + ": rows must be unique and ascending");
    }
    last = indices.data[k];
  }
  const uint64_t needed = static_cast<uint64_t>(last + 1) * static_cast<uint64_t>(rowSize);
  if (param.length < needed) args.fail("param has " + std::to_string(param.length) + " elements, needs at least " + std::to_string(needed));
  for (const auto& [name, s] : state) {
    if (s.length < param.length) args.fail(std::string(name) + " has " + std::to_string(s.length) + " elements, needs at least " + std::to_string(param.length));
  }
  return {indices, values, rowSize};
}

// A table and how many of its floats a coordinate has (FTRL's interleaved n and z: 2).
struct Table {
  const float* data;
  int64_t width;
};

// Calls visit(i, g) for each coordinate i of rows [begin, end), g its gradient, asking for the row
// PREFETCH_AHEAD indices ahead in each of `tables` (param and its state).
template <class Visit>
void visitRows(const Rows& r, std::initializer_list<Table> tables, int64_t begin, int64_t end, Visit&& visit) {
  const int64_t ahead = static_cast<int64_t>(PREFETCH_AHEAD), rowSize = r.rowSize;
  // The first rows, which the loop's look-ahead does not reach.
  for (int64_t k = begin; k < std::min(begin + ahead, end); k++) {
    for (const Table& t : tables) prefetchRow(t.data, r.indices.data[k], rowSize * t.width);
  }
  for (int64_t k = begin; k < end; k++) {
    if (k + ahead < end) {
      for (const Table& t : tables) prefetchRow(t.data, r.indices.data[k + ahead], rowSize * t.width);
    }
    const int64_t o = static_cast<int64_t>(r.indices.data[k]) * rowSize;
    const float* g = r.values.data + k * rowSize;
    for (int64_t j = 0; j < rowSize; j++) visit(o + j, static_cast<double>(g[j]));
  }
}

// Calls update(i, g) for each coordinate of the rows. The rows are distinct, so they are split between
// the threads: a row of a large table is a wait on memory, and each core keeps its own misses in flight
// (at 2^24 rows most of an update's time).
template <class Update>
void updateRows(const Rows& r, std::initializer_list<Table> tables, Update&& update) {
  parallelFor(static_cast<int64_t>(r.indices.length), kRowCost * r.rowSize, [&](int64_t begin, int64_t end) { visitRows(r, tables, begin, end, update); });
}

// Math.sign
inline double signOf(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : x; }

// FTRL's arithmetic for p = 0.5 on `count` coordinates gathered side by side as doubles: n, z and θ updated
// in place from g, each rounded to float32 where the rule stores it. Two square roots and three divisions a
// coordinate were most of an update's time one at a time; here they go 2, 4 or 8 at once (this function is
// compiled for AVX-512 and AVX2 too), and a vector square root or division rounds exactly as a scalar one.
// Online (a call's ~270 rows) 6.6 → 4.1 µs a call, the spam corpus's pass 52 → 25 ms; in batches of 32
// the update waits on memory and threads and stays ~7 ms.
NABLA_CLONES void ftrlSqrtBlock(int64_t count, const double* g, double* n, double* z, double* w, double lr, double l1, double l2Total) {
#pragma omp simd
  for (int64_t c = 0; c < count; c++) {
    const double before = std::sqrt(n[c]);
    const double nNew = static_cast<float>(n[c] + g[c] * g[c]);
    const double after = std::sqrt(nNew);
    const double zNew = static_cast<float>(z[c] + g[c] - ((after - before) / lr) * w[c]);
    const double sign = zNew > 0 ? 1.0 : zNew < 0 ? -1.0 : zNew;
    const double theta = static_cast<float>((sign * l1 - zNew) / (after / lr + l2Total));
    w[c] = std::fabs(zNew) <= l1 ? 0.0 : theta;
    n[c] = nNew;
    z[c] = zNew;
  }
}

// The coordinates a thread has gathered for ftrlSqrtBlock, and where they go back.
struct FtrlBlock {
  static constexpr int64_t kSize = 64;
  double g[kSize], n[kSize], z[kSize], w[kSize];
  int64_t at[kSize];
  int64_t count = 0;

  void add(int64_t i, double grad, const float* param, const float* nz) {
    at[count] = i;
    g[count] = grad;
    n[count] = nz[2 * i];
    z[count] = nz[2 * i + 1];
    w[count] = param[i];
    count++;
  }
  void flush(float* param, float* nz, double lr, double l1, double l2Total) {
    ftrlSqrtBlock(count, g, n, z, w, lr, l1, l2Total);
    for (int64_t c = 0; c < count; c++) {
      nz[2 * at[c]] = static_cast<float>(n[c]);
      nz[2 * at[c] + 1] = static_cast<float>(z[c]);
      param[at[c]] = static_cast<float>(w[c]);
    }
    count = 0;
  }
};

}  // namespace

// sparseSgdUpdate(param, rowSize, indices, values, lr)
Napi::Value SparseSgdUpdate(const Napi::CallbackInfo& info) {
  Args args(info, "sparseSgdUpdate");
  const int64_t rowSize = args.size(1, "rowSize");
  const double lr = args.number(4, "lr");
  const Floats param = args.floats(0, "param", 0);
  const Rows r = checkRows(args, info, param, rowSize, 2, {});
  updateRows(r, {{param.data, 1}}, [&](int64_t i, double g) { param.data[i] = static_cast<float>(static_cast<double>(param.data[i]) - lr * g); });
  return info.Env().Undefined();
}

// sparseAdagradUpdate(param, sum, rowSize, indices, values, clr, eps)
Napi::Value SparseAdagradUpdate(const Napi::CallbackInfo& info) {
  Args args(info, "sparseAdagradUpdate");
  const int64_t rowSize = args.size(2, "rowSize");
  const double clr = args.number(5, "clr");
  const double eps = args.number(6, "eps");
  const Floats param = args.floats(0, "param", 0);
  const Floats sum = args.floats(1, "sum", 0);
  const Rows r = checkRows(args, info, param, rowSize, 3, {{"sum", sum}});
  updateRows(r, {{param.data, 1}, {sum.data, 1}}, [&](int64_t i, double grad) {
    const double g = grad + 0.0 * static_cast<double>(param.data[i]);  // the dense rule's g + weightDecay·θ
    const double s = static_cast<double>(sum.data[i]) + g * g;
    sum.data[i] = static_cast<float>(s);
    param.data[i] = static_cast<float>(static_cast<double>(param.data[i]) - (clr * g) / (std::sqrt(s) + eps));
  });
  return info.Env().Undefined();
}

// sparseFtrlUpdate(param, nz, rowSize, indices, values, { lr, lrPower, l1, l2, beta }): n and z interleaved
// (coordinate i's at 2i and 2i + 1), so a row's state is one stretch of memory: at 2^24 rows one miss
// where two arrays took two (the spam corpus in batches of 32: the update 13–15 → 7.3 ms a pass).
Napi::Value SparseFtrlUpdate(const Napi::CallbackInfo& info) {
  Args args(info, "sparseFtrlUpdate");
  const int64_t rowSize = args.size(2, "rowSize");
  const Fields f(args, info, 5, "params");
  const double lr = f.number("lr"), lrPower = f.number("lrPower"), l1 = f.number("l1"), l2 = f.number("l2"), beta = f.number("beta");
  const Floats param = args.floats(0, "param", 0);
  const Floats nz = args.floats(1, "nz", 0);
  const Rows r = checkRows(args, info, param, rowSize, 3, {});
  if (nz.length / 2 < param.length) {
    args.fail("nz has " + std::to_string(nz.length) + " elements, needs at least " + std::to_string(2 * param.length));
  }
  const double power = -lrPower;
  const double l2Total = 2 * (l2 + beta / (2 * lr));
  // nz's row is twice as long as param's: asked for as a row of 2·rowSize floats.
  const std::initializer_list<Table> tables = {{param.data, 1}, {nz.data, 2}};
  if (power == 0.5) {
    parallelFor(static_cast<int64_t>(r.indices.length), kRowCost * rowSize, [&](int64_t begin, int64_t end) {
      FtrlBlock block;
      visitRows(r, tables, begin, end, [&](int64_t i, double g) {
        block.add(i, g, param.data, nz.data);
        if (block.count == FtrlBlock::kSize) block.flush(param.data, nz.data, lr, l1, l2Total);
      });
      block.flush(param.data, nz.data, lr, l1, l2Total);
    });
    return info.Env().Undefined();
  }
  updateRows(r, tables, [&](int64_t i, double g) {
    float* n = nz.data + 2 * i;
    float* z = n + 1;
    const double w = param.data[i];
    const double before = std::pow(*n, power);
    *n = static_cast<float>(static_cast<double>(*n) + g * g);
    const double after = std::pow(*n, power);
    *z = static_cast<float>(static_cast<double>(*z) + g - ((after - before) / lr) * w);
    const double zi = *z;
    param.data[i] = std::fabs(zi) <= l1 ? 0.0f : static_cast<float>((signOf(zi) * l1 - zi) / (after / lr + l2Total));
  });
  return info.Env().Undefined();
}

// sparseAdamUpdate(param, expAvg, expAvgSq, rowSize, indices, values, { beta1, beta2, eps, stepSize })
Napi::Value SparseAdamUpdate(const Napi::CallbackInfo& info) {
  Args args(info, "sparseAdamUpdate");
  const int64_t rowSize = args.size(3, "rowSize");
  const Fields f(args, info, 6, "params");
  const double beta1 = f.number("beta1"), beta2 = f.number("beta2"), eps = f.number("eps"), stepSize = f.number("stepSize");
  const Floats param = args.floats(0, "param", 0);
  const Floats m = args.floats(1, "expAvg", 0);
  const Floats v = args.floats(2, "expAvgSq", 0);
  const Rows r = checkRows(args, info, param, rowSize, 4, {{"expAvg", m}, {"expAvgSq", v}});
  updateRows(r, {{param.data, 1}, {m.data, 1}, {v.data, 1}}, [&](int64_t i, double g) {
    m.data[i] = static_cast<float>(static_cast<double>(m.data[i]) + (g - static_cast<double>(m.data[i])) * (1 - beta1));
    v.data[i] = static_cast<float>(static_cast<double>(v.data[i]) + (g * g - static_cast<double>(v.data[i])) * (1 - beta2));
    param.data[i] = static_cast<float>(static_cast<double>(param.data[i]) - (stepSize * static_cast<double>(m.data[i])) / (std::sqrt(static_cast<double>(v.data[i])) + eps));
  });
  return info.Env().Undefined();
}

}  // namespace nabla
