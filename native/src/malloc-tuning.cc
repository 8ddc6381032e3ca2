// Tunes glibc's malloc when the addon loads. Every tensor is a fresh Float32Array; with glibc's
// defaults, each one of more than 128 KiB (up to 32 MiB, as the threshold adapts) is its own
// mmap, paid again in page faults at every training step. Large blocks stay in the heap instead,
// and the heap keeps its freed top for the next step. These are the settings PyTorch needs here
// too (see bench/). A user's own MALLOC_*_ environment variables win.
#include <cstdlib>

#include "kernels.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace nabla {

void tuneMalloc() {
#if defined(__GLIBC__)
  const bool userSet = std::getenv("MALLOC_MMAP_THRESHOLD_") || std::getenv("MALLOC_TRIM_THRESHOLD_") ||
                       std::getenv("MALLOC_TOP_PAD_") || std::getenv("GLIBC_TUNABLES");
  if (userSet) return;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // the largest glibc accepts on 64-bit
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  mallopt(M_TOP_PAD, 64 << 20);
#endif
}

}  // namespace nabla
