// dropoutMask(key0, key1, p, keep), dropout(key0, key1, p, x, out, keep) and dropoutBackward(dy, keep, p, dx)
// (as js/dropout.ts, with its messages). The mask is counter-based: element i's draw is murmur3's finalizer
// of (key0 + (i + 1)·0x9E3779B9) xor key1, kept when it is ≥ keepThreshold(p), the integer form of
// float32(r/2³²) ≥ float32(p). Elements do not depend on each other, so the loops run on the addon's
// threads and vectorize, with the same bits as the js loop on any thread count.
#include <cstdint>
#include <cstring>
#include <string>

#include "args.h"
#include "dropout.h"
#include "fields.h"
#include "kernels.h"
#include "parallel.h"
#include "simd.h"

namespace nabla {

namespace {

void checkP(const Args& args, double p) {
  if (!(p >= 0 && p <= 1)) args.fail("p must be a probability in [0, 1], got " + std::to_string(p));
}

uint32_t key(const Args& args, size_t i, const char* name) {
  const double k = args.number(i, name);
  if (!(k >= 0 && k <= 4294967295.0) || k != static_cast<double>(static_cast<uint64_t>(k))) {
    args.fail(std::string(name) + " must be an integer in [0, 4294967295], got " + std::to_string(k));
  }
  return static_cast<uint32_t>(k);
}

// The smallest r with float32(r/2³²) ≥ float32(p) (2³² when none): the rounding is monotonic in r.
uint64_t keepThreshold(double p) {
  const float target = static_cast<float>(p);
  uint64_t lo = 0, hi = uint64_t{1} << 32;
  while (lo < hi) {
    const uint64_t mid = (lo + hi) / 2;
    if (static_cast<float>(static_cast<double>(mid) / 4294967296.0) >= target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

NABLA_CLONES
void drawKeep(uint32_t key0, uint32_t key1, uint32_t threshold, uint8_t* keep, int64_t begin, int64_t end) {
  for (int64_t i = begin; i < end; i++) {
    uint32_t z = (key0 + static_cast<uint32_t>(i + 1) * 0x9e3779b9u) ^ key1;
    z = (z ^ (z >> 16)) * 0x85ebca6bu;
    z = (z ^ (z >> 13)) * 0xc2b2ae35u;
    z ^= z >> 16;
    keep[i] = z >= threshold;
  }
}

// The keep mask of [begin, end).
void drawRange(uint32_t key0, uint32_t key1, uint64_t threshold, uint8_t* keep, int64_t begin, int64_t end) {
  if (threshold > 0xffffffffu) std::memset(keep + begin, 0, static_cast<size_t>(end - begin));
  else drawKeep(key0, key1, static_cast<uint32_t>(threshold), keep, begin, end);
}

}  // namespace

float dropoutScale(double p) { return p == 1 ? 0.0f : static_cast<float>(1.0 / (1.0 - p)); }

NABLA_CLONES
void applyKeep(const float* x, const uint8_t* keep, float scale, float* out, size_t n) {
  for (size_t i = 0; i < n; i++) out[i] = x[i] * (keep[i] ? scale : 0.0f);
}

Napi::Value DropoutMask(const Napi::CallbackInfo& info) {
  Args args(info, "dropoutMask");
  const uint32_t key0 = key(args, 0, "key0"), key1 = key(args, 1, "key1");
  const double p = args.number(2, "p");
  checkP(args, p);
  const Bytes keep = bytes(args, info, 3, "keep", 0);
  const uint64_t threshold = keepThreshold(p);
  parallelFor(static_cast<int64_t>(keep.length), 2, [&](int64_t begin, int64_t end) { drawRange(key0, key1, threshold, keep.data, begin, end); });
  return info.Env().Undefined();
}

Napi::Value Dropout(const Napi::CallbackInfo& info) {
  Args args(info, "dropout");
  const uint32_t key0 = key(args, 0, "key0"), key1 = key(args, 1, "key1");
  const double p = args.number(2, "p");
  checkP(args, p);
  const Floats x = args.floats(3, "x", 0);
  const Floats out = args.floats(4, "out", x.length);
  const Bytes keep = bytes(args, info, 5, "keep", x.length);
  const uint64_t threshold = keepThreshold(p);
  const float scale = dropoutScale(p);
  parallelFor(static_cast<int64_t>(x.length), 4, [&](int64_t begin, int64_t end) {
    drawRange(key0, key1, threshold, keep.data, begin, end);
    applyKeep(x.data + begin, keep.data + begin, scale, out.data + begin, static_cast<size_t>(end - begin));
  });
  return info.Env().Undefined();
}

Napi::Value DropoutBackward(const Napi::CallbackInfo& info) {
  Args args(info, "dropoutBackward");
  const double p = args.number(2, "p");
  checkP(args, p);
  const Floats dy = args.floats(0, "dy", 0);
  const Bytes keep = bytes(args, info, 1, "keep", dy.length);
  const Floats dx = args.floats(3, "dx", dy.length);
  const float scale = dropoutScale(p);
  parallelFor(static_cast<int64_t>(dy.length), 3, [&](int64_t begin, int64_t end) {
    applyKeep(dy.data + begin, keep.data + begin, scale, dx.data + begin, static_cast<size_t>(end - begin));
  });
  return info.Env().Undefined();
}

}  // namespace nabla
