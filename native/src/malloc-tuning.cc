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
// address space costs no memory until a page of it is written (it does count in RLIMIT_DATA, and in
// the commit charge under vm.overcommit_memory = 2; a refused sbrk leaves things as they were).
#include <cstdint>
#include <cstdlib>

#include "kernels.h"

#if defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
// mallinfo2 is glibc 2.33's; older glibc skips the reservation.
#if __GLIBC_PREREQ(2, 33) && defined(MADV_HUGEPAGE)
#define NABLA_RESERVE_HEAP 1
#endif
#endif

namespace nabla {

namespace {

#if defined(NABLA_RESERVE_HEAP)
constexpr size_t kHugeReserve = size_t{256} << 20;
constexpr uintptr_t kHugePage = uintptr_t{2} << 20;

// Grows the main heap by kHugeReserve in one sbrk (a block just larger than its free top, with
// M_TOP_PAD), advises the grown range to use huge pages, and frees the block back into the top.
// Only when this very call grew the brk heap and the block sits at its old top: not a block of a
// thread's own arena, an mmap of its own, or a free chunk found in the bins.
void reserveHeapOnHugePages() {
  const uintptr_t brkBefore = reinterpret_cast<uintptr_t>(sbrk(0));
  const size_t top = mallinfo2().keepcost;
  mallopt(M_TOP_PAD, static_cast<int>(kHugeReserve));
  void* block = std::malloc(top + (size_t{1} << 20));
  if (block == nullptr) return;
  const uintptr_t at = reinterpret_cast<uintptr_t>(block);
  const uintptr_t brkAfter = reinterpret_cast<uintptr_t>(sbrk(0));
  const uintptr_t begin = (brkBefore + kHugePage - 1) & ~(kHugePage - 1);
  const uintptr_t end = brkAfter & ~(kHugePage - 1);
  if (brkAfter > brkBefore && at + top >= brkBefore && at < brkBefore && end > begin) {
    madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
  }
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
#if defined(NABLA_RESERVE_HEAP)
  reserveHeapOnHugePages();
#endif
  mallopt(M_TOP_PAD, 64 << 20);
#endif
}

}  // namespace nabla
