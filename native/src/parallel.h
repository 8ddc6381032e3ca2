// parallelFor: the addon's own threads for the memory-bound loops (OpenBLAS keeps its own pool
// for the products). A range [0, count) is cut into contiguous chunks; the caller runs the first,
// the pool's workers (parallel.cc) the others. Each chunk is computed exactly as the whole loop
// would compute it, so results do not depend on the thread count nor on which thread ran a chunk.
// Bodies must not call into JavaScript; an exception a body throws reaches the caller once every
// chunk has finished.
#pragma once

#include <algorithm>
#include <cstdint>

namespace nabla {

// Threads the loops may use: NABLA_NUM_THREADS, else OPENBLAS_NUM_THREADS, else the cores (≤ 8).
int threadCount();

// Keeps the addon loaded for the life of the process: a detached thread of its own (the pool's
// workers, gemmAsync's thread) sleeps in its code even after the Node thread that loaded it ends.
void pinAddon();

// Below this much work (items × cost per item, ~ values touched) a loop stays on one thread:
// waking a sleeping worker costs up to tens of microseconds.
constexpr int64_t kParallelMinWork = 1 << 16;

// How many chunks parallelFor cuts [0, count) into.
inline int64_t parallelChunks(int64_t count, int64_t costPerItem) {
  if (count <= 0) return 0;
  const int64_t chunks = std::min<int64_t>(threadCount(), count);
  return std::min<int64_t>(chunks, std::max<int64_t>(1, count * std::max<int64_t>(costPerItem, 1) / kParallelMinWork));
}

namespace detail {
using ChunkFn = void (*)(const void* context, int64_t chunk);
// Runs fn(context, t) for every t in [0, chunks), chunk 0 on the calling thread, and returns once
// all are done. False, having run nothing, when the pool cannot take the run: called from a pool
// worker or while another run is in flight (any thread), or no worker thread could be started.
bool runOnPool(int64_t chunks, ChunkFn fn, const void* context);
}  // namespace detail

// Runs body(chunk, begin, end) for each of `chunks` contiguous chunks of [0, count), chunk 0 on
// the calling thread. Nested or concurrent calls run every chunk on the caller, in order.
template <class Body>
void parallelRun(int64_t chunks, int64_t count, Body&& body) {
  if (chunks <= 1) {
    if (count > 0) body(int64_t{0}, int64_t{0}, count);
    return;
  }
  const auto chunk = [&body, chunks, count](int64_t t) { body(t, count * t / chunks, count * (t + 1) / chunks); };
  using Chunk = decltype(chunk);
  const detail::ChunkFn run = [](const void* context, int64_t t) { (*static_cast<const Chunk*>(context))(t); };
  if (detail::runOnPool(chunks, run, &chunk)) return;
  for (int64_t t = 0; t < chunks; t++) chunk(t);
}

template <class Body>
void parallelFor(int64_t count, int64_t costPerItem, Body&& body) {
  parallelRun(parallelChunks(count, costPerItem), count, [&body](int64_t, int64_t begin, int64_t end) { body(begin, end); });
}

}  // namespace nabla
