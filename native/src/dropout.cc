// dropoutMask(state, p, out): dropout's multipliers from the seeded generator, the same draws as
// src/random.ts's xoshiro128** (state: its four words, advanced in place), so both backends give
// the same mask bit for bit. Sequential by nature: each draw needs the previous state.
#include <cstdint>
#include <string>

#include "args.h"
#include "fields.h"
#include "kernels.h"

namespace nabla {

namespace {

inline uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

}  // namespace

Napi::Value DropoutMask(const Napi::CallbackInfo& info) {
  Args args(info, "dropoutMask");
  const double p = args.number(1, "p");
  if (!(p >= 0 && p <= 1)) args.fail("p must be a probability in [0, 1], got " + std::to_string(p));
  const Ints state = ints(args, info, 0, "state", 4);
  const Floats out = args.floats(2, "out", 0);
  const float threshold = static_cast<float>(p);
  const float keep = p == 1 ? 0.0f : static_cast<float>(1.0 / (1.0 - p));
  uint32_t s0 = static_cast<uint32_t>(state.data[0]), s1 = static_cast<uint32_t>(state.data[1]);
  uint32_t s2 = static_cast<uint32_t>(state.data[2]), s3 = static_cast<uint32_t>(state.data[3]);
  for (size_t i = 0; i < out.length; i++) {
    const uint32_t r = rotl(s1 * 5, 7) * 9;
    const uint32_t t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    out.data[i] = static_cast<float>(r / 4294967296.0) >= threshold ? keep : 0.0f;
  }
  state.data[0] = static_cast<int32_t>(s0);
  state.data[1] = static_cast<int32_t>(s1);
  state.data[2] = static_cast<int32_t>(s2);
  state.data[3] = static_cast<int32_t>(s3);
  return info.Env().Undefined();
}

}  // namespace nabla
