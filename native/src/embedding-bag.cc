// embeddingBag(weight, dim, ids, offsets, numBags, mode, perSampleWeights, paddingIdx, out) and
// embeddingBagBackward(grad, dim, ids, offsets, numBags, mode, perSampleWeights, paddingIdx, rows, out)
// (as js/embedding-bag.ts, with its messages): the bags' gather, sums in double, and its scatter into
// the rows of a dense or sparse gradient, adding in the order of the ids in double rounded to float
// per add, as the js loop does — both backends give the same bits.
#include <algorithm>
#include <string>
#include <vector>

#include "args.h"
#include "fields.h"
#include "kernels.h"
#include "parallel.h"
#include "prefetch.h"

namespace nabla {

namespace {

// parallelFor's cost of one id's row, per float (as the sparse updates' rows).
constexpr int64_t kIdCost = 32;

// How far ahead the gather asks for a row, in ids. Most ids of a bag hit the cache (a text's common
// words), so a window of PREFETCH_AHEAD ids held only a miss or two: at 2^24 rows the spam corpus's
// gather took 7.1 ms a pass (batch 32) with 16 ids, 5.5 with 64.
constexpr int32_t kGatherAhead = 64;

int modeOf(const Args& args, size_t i) {
  const std::string mode = args.string(i, "mode");
  if (mode == "sum") return 0;
  if (mode == "mean") return 1;
  args.fail("mode must be 'sum' or 'mean', got '" + mode + "'");
}

// offsets (numBags + 1, from 0, nondecreasing, the last ≤ ids.length) and ids ≥ 0; returns the largest id (−1 if none).
int64_t checkBags(const Args& args, const Ints& ids, const Ints& offsets, int64_t numBags) {
  if (offsets.data[0] != 0) args.fail("offsets[0] is " + std::to_string(offsets.data[0]) + ", must be 0");
  for (int64_t b = 0; b < numBags; b++) {
    const int32_t next = offsets.data[b + 1];
    if (next < offsets.data[b]) args.fail("offsets[" + std::to_string(b + 1) + "] is " + std::to_string(next) + ", less than offsets[" + std::to_string(b) + "]");
  }
  const int32_t n = offsets.data[numBags];
  if (static_cast<size_t>(n) > ids.length) args.fail("ids has " + std::to_string(ids.length) + " elements, needs at least " + std::to_string(n));
  int64_t largest = -1;
  for (int32_t k = 0; k < n; k++) {
    if (ids.data[k] < 0) args.fail("ids[" + std::to_string(k) + "] is " + std::to_string(ids.data[k]) + ", an id must be ≥ 0");
    largest = std::max<int64_t>(largest, ids.data[k]);
  }
  return largest;
}

int64_t bagCount(const Ints& ids, int32_t start, int32_t end, int64_t paddingIdx) {
  int64_t count = 0;
  for (int32_t k = start; k < end; k++) count += ids.data[k] != paddingIdx;
  return count;
}

// paddingIdx: an integer (−1 for none).
int64_t paddingOf(const Args& args, size_t i) {
  const double p = args.number(i, "paddingIdx");
  if (p != static_cast<double>(static_cast<int64_t>(p)) || p < -1 || p > 2147483647.0) args.fail("paddingIdx must be an integer ≥ −1, got " + std::to_string(p));
  return static_cast<int64_t>(p);
}

// The gather's rows are a wait on memory each when the table is large; the bags are independent, so
// they are split between the threads, cut where the ids (not the bags, whose lengths vary) are even.
template <class Body>
void forBags(const Ints& offsets, int64_t numBags, int64_t dim, Body&& body) {
  const int64_t n = offsets.data[numBags];
  // At least one chunk while there are bags: bags without ids are still written (zeros).
  const int64_t chunks = numBags == 0 ? 0 : std::clamp<int64_t>(parallelChunks(n, kIdCost * dim), 1, numBags);
  // The first bag starting at or after id position `at`; each bag goes to the chunk its start falls in.
  const auto bagAt = [&](int64_t t) {
    if (t == chunks) return numBags;
    const int64_t at = n * t / chunks;
    return static_cast<int64_t>(std::lower_bound(offsets.data, offsets.data + numBags, at) - offsets.data);
  };
  parallelRun(chunks, chunks, [&](int64_t t, int64_t, int64_t) { body(bagAt(t), bagAt(t + 1)); });
}

}  // namespace

Napi::Value EmbeddingBag(const Napi::CallbackInfo& info) {
  Args args(info, "embeddingBag");
  const int64_t dim = args.size(1, "dim");
  if (dim < 1) args.fail("dim must be an integer ≥ 1, got " + std::to_string(dim));
  const int64_t numBags = args.size(4, "numBags");
  const int mode = modeOf(args, 5);
  const int64_t paddingIdx = paddingOf(args, 7);
  const Ints ids = ints(args, info, 2, "ids", 0);
  const Ints offsets = ints(args, info, 3, "offsets", static_cast<uint64_t>(numBags) + 1);
  const Floats psw = optionalFloats(args, info, 6, "perSampleWeights", 0);
  const int64_t largest = checkBags(args, ids, offsets, numBags);
  const Floats weight = args.floats(0, "weight", static_cast<uint64_t>(largest + 1) * static_cast<uint64_t>(dim));
  const Floats out = args.floats(8, "out", static_cast<uint64_t>(numBags) * static_cast<uint64_t>(dim));
  const int32_t n = offsets.data[numBags];
  if (psw.data != nullptr && psw.length < static_cast<size_t>(n)) args.fail("perSampleWeights has " + std::to_string(psw.length) + " elements, needs at least " + std::to_string(n));
  forBags(offsets, numBags, dim, [&](int64_t firstBag, int64_t endBag) {
    std::vector<double> acc(static_cast<size_t>(dim));
    const int32_t first = offsets.data[firstBag], last = offsets.data[endBag];
    // The loop asks kGatherAhead ids ahead; the chunk's first ids are asked for here (online, a call's
    // one bag of a few hundred ids: a quarter of them).
    for (int32_t k = first; k < std::min(first + kGatherAhead, last); k++) prefetchRow(weight.data, ids.data[k], dim);
    for (int64_t b = firstBag; b < endBag; b++) {
      const int32_t start = offsets.data[b], end = offsets.data[b + 1];
      std::fill(acc.begin(), acc.end(), 0.0);
      for (int32_t k = start; k < end; k++) {
        if (k + kGatherAhead < last) prefetchRow(weight.data, ids.data[k + kGatherAhead], dim);
        const int64_t id = ids.data[k];
        if (id == paddingIdx) continue;
        const double w = psw.data == nullptr ? 1.0 : static_cast<double>(psw.data[k]);
        const float* row = weight.data + id * dim;
        for (int64_t j = 0; j < dim; j++) acc[j] += w * static_cast<double>(row[j]);
      }
      const int64_t count = mode == 1 ? bagCount(ids, start, end, paddingIdx) : 1;
      float* o = out.data + b * dim;
      for (int64_t j = 0; j < dim; j++) o[j] = count == 0 ? 0.0f : static_cast<float>(acc[j] / static_cast<double>(count));
    }
  });
  return info.Env().Undefined();
}

Napi::Value EmbeddingBagBackward(const Napi::CallbackInfo& info) {
  Args args(info, "embeddingBagBackward");
  const int64_t dim = args.size(1, "dim");
  if (dim < 1) args.fail("dim must be an integer ≥ 1, got " + std::to_string(dim));
  const int64_t numBags = args.size(4, "numBags");
  const int mode = modeOf(args, 5);
  const int64_t paddingIdx = paddingOf(args, 7);
  const Ints ids = ints(args, info, 2, "ids", 0);
  const Ints offsets = ints(args, info, 3, "offsets", static_cast<uint64_t>(numBags) + 1);
  const Ints rows = ints(args, info, 8, "rows", 0);
  const Floats psw = optionalFloats(args, info, 6, "perSampleWeights", 0);
  const Floats grad = args.floats(0, "grad", static_cast<uint64_t>(numBags) * static_cast<uint64_t>(dim));
  checkBags(args, ids, offsets, numBags);
  const int32_t n = offsets.data[numBags];
  if (psw.data != nullptr && psw.length < static_cast<size_t>(n)) args.fail("perSampleWeights has " + std::to_string(psw.length) + " elements, needs at least " + std::to_string(n));
  if (rows.length < static_cast<size_t>(n)) args.fail("rows has " + std::to_string(rows.length) + " elements, needs at least " + std::to_string(n));
  int64_t lastRow = -1;
  for (int32_t k = 0; k < n; k++) {
    if (ids.data[k] == paddingIdx) continue;
    if (rows.data[k] < 0) args.fail("rows[" + std::to_string(k) + "] is " + std::to_string(rows.data[k]) + ", a row must be ≥ 0");
    lastRow = std::max<int64_t>(lastRow, rows.data[k]);
  }
  const Floats out = args.floats(9, "out", static_cast<uint64_t>(lastRow + 1) * static_cast<uint64_t>(dim));
  for (int64_t b = 0; b < numBags; b++) {
    const int32_t start = offsets.data[b], end = offsets.data[b + 1];
    const double count = mode == 1 ? static_cast<double>(bagCount(ids, start, end, paddingIdx)) : 1.0;
    const float* g = grad.data + b * dim;
    for (int32_t k = start; k < end; k++) {
      if (ids.data[k] == paddingIdx) continue;
      const double w = (psw.data == nullptr ? 1.0 : static_cast<double>(psw.data[k])) / count;
      float* o = out.data + static_cast<int64_t>(rows.data[k]) * dim;
      for (int64_t j = 0; j < dim; j++) o[j] = static_cast<float>(static_cast<double>(o[j]) + w * static_cast<double>(g[j]));
    }
  }
  return info.Env().Undefined();
}

}  // namespace nabla
