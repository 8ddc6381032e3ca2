// parallelFor: the addon's own threads for the memory-bound loops (OpenBLAS keeps its own pool
// for the products). A range [0, count) is cut into contiguous chunks, one per thread; the caller
// runs the first. Each chunk is computed exactly as the whole loop would compute it, so results
// do not depend on the thread count. Bodies must not call into JavaScript nor throw.
#pragma once

#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

namespace nabla {

// Threads the loops may use: NABLA_NUM_THREADS, else OPENBLAS_NUM_THREADS, else the cores (≤ 8).
int threadCount();

// Below this much work (items × cost per item, ~ values touched) a loop stays on one thread:
// starting a thread costs tens of microseconds.
constexpr int64_t kParallelMinWork = 1 << 16;

// How many chunks parallelFor cuts [0, count) into.
inline int64_t parallelChunks(int64_t count, int64_t costPerItem) {
  if (count <= 0) return 0;
  const int64_t chunks = std::min<int64_t>(threadCount(), count);
  return std::min<int64_t>(chunks, std::max<int64_t>(1, count * std::max<int64_t>(costPerItem, 1) / kParallelMinWork));
}

// Runs body(chunk, begin, end) for each of `chunks` contiguous chunks of [0, count), chunk 0 on
// the calling thread.
template <class Body>
void parallelRun(int64_t chunks, int64_t count, Body&& body) {
  if (chunks <= 1) {
    if (count > 0) body(int64_t{0}, int64_t{0}, count);
    return;
  }
  std::vector<std::thread> threads;
  threads.reserve(chunks - 1);
  for (int64_t t = 1; t < chunks; t++) {
    const int64_t begin = count * t / chunks, end = count * (t + 1) / chunks;
    try {
      threads.emplace_back([&body, t, begin, end] { body(t, begin, end); });
    } catch (...) {
      body(t, begin, end);  // no thread to be had: run the chunk here
    }
  }
  body(int64_t{0}, int64_t{0}, count / chunks);
  for (std::thread& t : threads) t.join();
}

template <class Body>
void parallelFor(int64_t count, int64_t costPerItem, Body&& body) {
  parallelRun(parallelChunks(count, costPerItem), count, [&body](int64_t, int64_t begin, int64_t end) { body(begin, end); });
}

}  // namespace nabla
