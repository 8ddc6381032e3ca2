// Rows of a large table read or written at random (an embedding's lookups, a sparse optimizer's
// updates) each miss the cache: at 2^24 rows, a wait on memory per row. Asking for the row a few ids
// ahead overlaps those misses instead of paying them one after another.
#pragma once

#include <cstddef>
#include <cstdint>

namespace nabla {

// Far enough ahead to cover a memory round trip at a row's few nanoseconds of work, near enough
// that the prefetched lines are still in cache when their turn comes.
constexpr size_t PREFETCH_AHEAD = 16;

// The cache line holding row `row` of `table` (rowSize floats a row), for writing.
inline void prefetchRow(const float* table, int64_t row, int64_t rowSize) {
  __builtin_prefetch(table + row * rowSize, 1, 3);
}

}  // namespace nabla
