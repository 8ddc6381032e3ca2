// uniqueRows(ids, n, paddingIdx, unique, slots) → count (as js/unique-rows.ts, with its messages):
// the unique ids among ids[0, n) except paddingIdx, ascending, into unique[0, count), and each id's
// slot among them (−1 for padding) into slots[0, n). An LSD radix sort of (id, position) pairs: O(n),
// never O(table). The sparse gradient of an embedding needs it at every step; in JavaScript it was
// 30–41 ms of a 70–110 ms pass over the spam corpus in batches of 32. A stable sort's result does not
// depend on the digits, so these are chosen from the largest id and the number of ids: passes of ≤ 12
// bits, split evenly, as many as cost least (a batch of 32 emails: 2^16 buckets two of 8 bits, 2^24 two
// of 12; one email at 2^24: three of 8), where js takes 11 bits a pass.
#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "args.h"
#include "fields.h"
#include "kernels.h"

namespace nabla {

namespace {

constexpr int kMaxDigitBits = 12;

}  // namespace

Napi::Value UniqueRows(const Napi::CallbackInfo& info) {
  Args args(info, "uniqueRows");
  const int64_t n = args.size(1, "n");
  const double padding = args.number(2, "paddingIdx");
  const Ints ids = ints(args, info, 0, "ids", static_cast<uint64_t>(n));
  const Ints unique = ints(args, info, 3, "unique", static_cast<uint64_t>(n));
  const Ints slots = ints(args, info, 4, "slots", static_cast<uint64_t>(n));
  uint32_t largest = 0;
  for (int64_t k = 0; k < n; k++) {
    if (ids.data[k] < 0) args.fail("ids[" + std::to_string(k) + "] is " + std::to_string(ids.data[k]) + ", an id must be ≥ 0");
    largest = std::max<uint32_t>(largest, static_cast<uint32_t>(ids.data[k]));
  }
  const int bits = largest == 0 ? 1 : 32 - __builtin_clz(largest);
  // A pass costs its n items (moved: weighed twice) plus its 2^digitBits counts (cleared and summed):
  // as many passes as make that least. Online (a call's one email, ~270 ids) on a 2^24 table, two passes
  // of 12 bits spent most of their time on 2 × 4,096 counts; three of 8 bits do not (the spam corpus online:
  // 26.9 → 17.4 ms a pass; at 2^16, 13.7).
  int passes = (bits + kMaxDigitBits - 1) / kMaxDigitBits;
  const auto cost = [&](int p) { return static_cast<double>(p) * (2.0 * static_cast<double>(n) + std::ldexp(1.0, (bits + p - 1) / p)); };
  for (int p = passes + 1; p <= bits; p++) {
    if (cost(p) < cost(passes)) passes = p;
  }
  const int digitBits = (bits + passes - 1) / passes;
  const uint32_t radix = 1u << digitBits;
  // In one read of the ids: each id packed with its position (id·2^32 + position: one array to move
  // per pass, not two) and every pass's digit counts.
  std::unique_ptr<uint64_t[]> items(new uint64_t[n]), itemsOut(new uint64_t[n]);
  std::vector<uint32_t> counts(static_cast<size_t>(radix) * passes);
  for (int64_t k = 0; k < n; k++) {
    const uint32_t id = static_cast<uint32_t>(ids.data[k]);
    items[k] = static_cast<uint64_t>(id) << 32 | static_cast<uint64_t>(k);
    for (int pass = 0; pass < passes; pass++) counts[pass * radix + ((id >> (pass * digitBits)) & (radix - 1))]++;
  }
  for (int pass = 0; pass < passes; pass++) {
    uint32_t* c = counts.data() + pass * radix;
    for (uint32_t d = 0, sum = 0; d < radix; d++) {
      const uint32_t here = c[d];
      c[d] = sum;
      sum += here;
    }
    const int shift = 32 + pass * digitBits;
    for (int64_t k = 0; k < n; k++) itemsOut[c[(items[k] >> shift) & (radix - 1)]++] = items[k];
    items.swap(itemsOut);
  }
  int32_t count = 0;
  for (int64_t k = 0; k < n; k++) {
    const int32_t r = static_cast<int32_t>(items[k] >> 32);
    const int64_t position = static_cast<int64_t>(items[k] & 0xffffffffu);
    if (static_cast<double>(r) == padding) {
      slots.data[position] = -1;
      continue;
    }
    if (count == 0 || unique.data[count - 1] != r) unique.data[count++] = r;
    slots.data[position] = count - 1;
  }
  return Napi::Number::New(info.Env(), count);
}

}  // namespace nabla
