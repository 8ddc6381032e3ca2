// Tunes glibc's malloc when the addon loads. Every tensor is a fresh Float32Array; with glibc's
// defaults, each one of more than 128 KiB (up to 32 MiB, as the threshold adapts) is its own
// mmap, paid again in page faults at every training step. Large blocks stay in the heap instead,
// and the heap keeps its freed top for the next step. These are the settings PyTorch needs here
// too (see bench/). A user's own MALLOC_*_ environment variables win.
//
// The heap's growth is then paid once, in the first steps of training: every 4 KB page of it a
// fault (~10 µs on this VM; ~30 a step over a small MLP's first 500 steps). So the heap's next
// kHugeReserve bytes are reserved now and marked for 2 MB pages (glibc's malloc.hugetlb tunable does
// the same, but only from the environment before the process starts): 512× fewer faults. Reserved
// address space costs nothing until a page of it is written.
#include <cstdint>
#include <cstdlib>

#include "kernels.h"

#if defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace nabla {

namespace {

#if defined(__GLIBC__) && defined(MADV_HUGEPAGE)
constexpr size_t kHugeReserve = size_t{256} << 20;
constexpr uintptr_t kHugePage = uintptr_t{2} << 20;

// Grows the main heap by kHugeReserve in one sbrk (a block just larger than its free top, with
// M_TOP_PAD), advises the grown range to use huge pages, and frees the block back into the top.
void reserveHeapOnHugePages() {
  const struct mallinfo2 info = mallinfo2();
  const size_t top = info.keepcost;
  mallopt(M_TOP_PAD, static_cast<int>(kHugeReserve));
  void* block = std::malloc(top + (size_t{1} << 20));
  if (block == nullptr) return;
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(block) + kHugePage - 1) & ~(kHugePage - 1);
  const uintptr_t end = reinterpret_cast<uintptr_t>(sbrk(0)) & ~(kHugePage - 1);
  // Only when the block came from the heap's top (not an mmap of its own, nor a heap elsewhere).
  if (end > begin && reinterpret_cast<uintptr_t>(block) < end) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
  std::free(block);
}
#endif

}  // namespace

void tuneMalloc() {
#if defined(__GLIBC__)
  const bool userSet = std::getenv("MALLOC_MMAP_THRESHOLD_") || std::getenv("MALLOC_TRIM_THRESHOLD_") ||
                       std::getenv("MALLOC_TOP_PAD_") || std::getenv("GLIBC_TUNABLES");
  if (userSet) return;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // the largest glibc accepts on 64-bit
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
#if defined(MADV_HUGEPAGE)
  reserveHeapOnHugePages();
#endif
  mallopt(M_TOP_PAD, 64 << 20);
#endif
}

}  // namespace nabla
