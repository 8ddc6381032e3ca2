// adviseHugePages(array): asks the kernel to back a large, not yet written Float32Array with 2 MB
// pages (madvise MADV_HUGEPAGE on the 2 MB-aligned part of it; Linux with transparent huge pages in
// "always" or "madvise" mode). A 2^24-row embedding's optimizer state is 128 MB per array: touched
// row by row at random, its 4 KB pages each cost a page fault on first write (~10 µs here), which made
// the first pass of training 3× slower than at 2^20 rows; in 2 MB pages there are 512× fewer.
// Elsewhere, or when the kernel declines, it does nothing: the hint only changes speed.
#include <cstdint>

#include "args.h"
#include "kernels.h"

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace nabla {

Napi::Value AdviseHugePages(const Napi::CallbackInfo& info) {
  Args args(info, "adviseHugePages");
  const Floats array = args.floats(0, "array", 0);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(array.data) + kHuge - 1) & ~(kHuge - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(array.data + array.length)) & ~(kHuge - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#endif
  return info.Env().Undefined();
}

}  // namespace nabla
