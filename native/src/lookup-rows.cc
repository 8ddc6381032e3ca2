// lookupRows(src, rowSize, rows, count, table, out): out[k·rowSize + j] = table[src[rows[k]·rowSize + j]], k < count
// (as js/lookup-rows.ts). The training loop's batch gather: 8-bit images in a shuffled order,
// scaled or standardized through a 256-entry table, without a float copy of the whole data set.
#include <algorithm>
#include <string>

#include "args.h"
#include "fields.h"
#include "kernels.h"

namespace nabla {

Napi::Value LookupRows(const Napi::CallbackInfo& info) {
  Args args(info, "lookupRows");
  const int64_t rowSize = args.size(1, "rowSize");
  const int64_t count = args.size(3, "count");
  const Ints rows = ints(args, info, 2, "rows", static_cast<uint64_t>(count));
  int64_t lastRow = -1;
  for (int64_t k = 0; k < count; k++) {
    if (rows.data[k] < 0) args.fail("rows[" + std::to_string(k) + "] is " + std::to_string(rows.data[k]) + ", a row index must be ≥ 0");
    lastRow = std::max<int64_t>(lastRow, rows.data[k]);
  }
  const Bytes src = bytes(args, info, 0, "src", static_cast<uint64_t>(lastRow + 1) * static_cast<uint64_t>(rowSize));
  const Floats table = args.floats(4, "table", 256);
  const Floats out = args.floats(5, "out", static_cast<uint64_t>(count) * static_cast<uint64_t>(rowSize));
  for (int64_t k = 0; k < count; k++) {
    const uint8_t* from = src.data + static_cast<int64_t>(rows.data[k]) * rowSize;
    float* to = out.data + k * rowSize;
    for (int64_t j = 0; j < rowSize; j++) to[j] = table.data[from[j]];
  }
  return info.Env().Undefined();
}

}  // namespace nabla
