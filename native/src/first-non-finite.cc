// firstNonFinite(x): the index of the first NaN or ±Infinity in x, or −1 (as js/non-finite.ts).
// Anomaly detection scans every op's output and gradient with it, so it is a vectorized pass:
// blocks are tested whole (x − x is 0 for finite x, NaN otherwise) and only a flagged block is
// searched element by element.
#include <algorithm>

#include "args.h"
#include "kernels.h"
#include "simd.h"

namespace nabla {

namespace {

constexpr int64_t kBlock = 4096;

NABLA_CLONES
bool blockHasNonFinite(const float* x, int64_t n) {
  int bad = 0;
  for (int64_t i = 0; i < n; i++) bad |= (x[i] - x[i]) != 0.0f;
  return bad != 0;
}

}  // namespace

Napi::Value FirstNonFinite(const Napi::CallbackInfo& info) {
  Args args(info, "firstNonFinite");
  const Floats x = args.floats(0, "x", 0);
  const int64_t n = static_cast<int64_t>(x.length);
  for (int64_t start = 0; start < n; start += kBlock) {
    const int64_t size = std::min(kBlock, n - start);
    if (!blockHasNonFinite(x.data + start, size)) continue;
    for (int64_t i = start; i < start + size; i++) {
      if ((x.data[i] - x.data[i]) != 0.0f) return Napi::Number::New(info.Env(), static_cast<double>(i));
    }
  }
  return Napi::Number::New(info.Env(), -1);
}

}  // namespace nabla
