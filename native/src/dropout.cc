// dropoutMask(state, p, keep), dropout(state, p, x, out, keep) and dropoutBackward(dy, keep, p, dx)
// (as js/dropout.ts, with its messages). The draws are src/random.ts's xoshiro128** (state: its four
// words, advanced in place), so both backends draw the same mask bit for bit; a draw r is kept when
// r ≥ keepThreshold(p), the integer form of float32(r/2³²) ≥ float32(p). Sequential by nature: each
// draw needs the previous state.
#include <cstdint>
#include <string>

#include "args.h"
#include "dropout.h"
#include "fields.h"
#include "kernels.h"
#include "simd.h"

namespace nabla {

namespace {

inline uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

void checkP(const Args& args, double p) {
  if (!(p >= 0 && p <= 1)) args.fail("p must be a probability in [0, 1], got " + std::to_string(p));
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

void drawKeep(int32_t* state, double p, uint8_t* keep, size_t n) {
  const uint64_t threshold = keepThreshold(p);
  uint32_t s0 = static_cast<uint32_t>(state[0]), s1 = static_cast<uint32_t>(state[1]);
  uint32_t s2 = static_cast<uint32_t>(state[2]), s3 = static_cast<uint32_t>(state[3]);
  for (size_t i = 0; i < n; i++) {
    const uint32_t r = rotl(s1 * 5, 7) * 9;
    const uint32_t t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    keep[i] = r >= threshold;
  }
  state[0] = static_cast<int32_t>(s0);
  state[1] = static_cast<int32_t>(s1);
  state[2] = static_cast<int32_t>(s2);
  state[3] = static_cast<int32_t>(s3);
}

}  // namespace

float dropoutScale(double p) { return p == 1 ? 0.0f : static_cast<float>(1.0 / (1.0 - p)); }

NABLA_CLONES
void applyKeep(const float* x, const uint8_t* keep, float scale, float* out, size_t n) {
  for (size_t i = 0; i < n; i++) out[i] = x[i] * (keep[i] ? scale : 0.0f);
}

Napi::Value DropoutMask(const Napi::CallbackInfo& info) {
  Args args(info, "dropoutMask");
  const double p = args.number(1, "p");
  checkP(args, p);
  const Ints state = ints(args, info, 0, "state", 4);
  const Bytes keep = bytes(args, info, 2, "keep", 0);
  drawKeep(state.data, p, keep.data, keep.length);
  return info.Env().Undefined();
}

Napi::Value Dropout(const Napi::CallbackInfo& info) {
  Args args(info, "dropout");
  const double p = args.number(1, "p");
  checkP(args, p);
  const Ints state = ints(args, info, 0, "state", 4);
  const Floats x = args.floats(2, "x", 0);
  const Floats out = args.floats(3, "out", x.length);
  const Bytes keep = bytes(args, info, 4, "keep", x.length);
  drawKeep(state.data, p, keep.data, x.length);
  applyKeep(x.data, keep.data, dropoutScale(p), out.data, x.length);
  return info.Env().Undefined();
}

Napi::Value DropoutBackward(const Napi::CallbackInfo& info) {
  Args args(info, "dropoutBackward");
  const double p = args.number(2, "p");
  checkP(args, p);
  const Floats dy = args.floats(0, "dy", 0);
  const Bytes keep = bytes(args, info, 1, "keep", dy.length);
  const Floats dx = args.floats(3, "dx", dy.length);
  applyKeep(dy.data, keep.data, dropoutScale(p), dx.data, dy.length);
  return info.Env().Undefined();
}

}  // namespace nabla
