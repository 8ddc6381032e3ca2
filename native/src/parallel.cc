// The addon's thread count (parallel.h), read once from the environment.
#include "parallel.h"

#include <cstdlib>

namespace nabla {

namespace {

int readThreadCount() {
  for (const char* name : {"NABLA_NUM_THREADS", "OPENBLAS_NUM_THREADS"}) {
    const char* value = std::getenv(name);
    if (value && *value) {
      const long n = std::strtol(value, nullptr, 10);
      if (n >= 1) return static_cast<int>(std::min<long>(n, 64));
    }
  }
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : static_cast<int>(std::min<unsigned>(cores, 8));
}

}  // namespace

int threadCount() {
  static const int count = readThreadCount();
  return count;
}

}  // namespace nabla
