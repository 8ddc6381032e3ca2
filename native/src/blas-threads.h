// SingleThreadedBlas: OpenBLAS on one thread for a scope, its thread count restored afterwards.
// Used while the addon's own threads run products side by side (their pool would compete for the
// same cores), and for products too small to pay for waking OpenBLAS's sleeping workers.
#pragma once

#include <cblas.h>

namespace nabla {

// Below this many multiply-adds (m·n·k) a product runs on one thread: waking OpenBLAS's idle
// workers (asleep after OPENBLAS_THREAD_TIMEOUT) cost ~0.3 ms in a training step, more than
// the second core saves (the CNN's 128×10×1568 products: 0.45 → 0.12 ms).
constexpr double kThreadedGemmMinWork = 1 << 23;

class SingleThreadedBlas {
 public:
  explicit SingleThreadedBlas(bool active) : active_(active && openblas_get_num_threads() > 1), threads_(openblas_get_num_threads()) {
    if (active_) openblas_set_num_threads(1);
  }
  ~SingleThreadedBlas() {
    if (active_) openblas_set_num_threads(threads_);
  }
  SingleThreadedBlas(const SingleThreadedBlas&) = delete;
  SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;

 private:
  bool active_;
  int threads_;
};

}  // namespace nabla
