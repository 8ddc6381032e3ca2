// SingleThreadedBlas: OpenBLAS on one thread for a scope, its thread count restored afterwards.
// Used while the addon's own threads run products side by side (their pool would compete for the
// same cores), and for products too small to pay for waking OpenBLAS's sleeping workers.
#pragma once

#include <cblas.h>

#include <cstdint>
#include <mutex>

namespace nabla {

// Below this many multiply-adds (m·n·k) a product runs on one thread: waking OpenBLAS's idle
// workers (asleep after OPENBLAS_THREAD_TIMEOUT) cost ~0.3 ms in a training step, more than
// the second core saves (the CNN's 128×10×1568 products: 0.45 → 0.12 ms). At 2^21 the 32×784×100
// products of a small MLP got slower; at 2^23 the 64×784×128 ones wasted the second core (DESIGN.md).
constexpr double kThreadedGemmMinWork = 1 << 22;

// OpenBLAS's thread count is one setting for the process; scopes can overlap when Node worker
// threads use the addon at once, so the first scope in saves it and the last one out restores it.
class SingleThreadedBlas {
 public:
  // For products of macsPerProduct multiply-adds each, run side by side on `chunks` of the addon's
  // threads: OpenBLAS goes to one thread when there are several chunks or the products are small.
  SingleThreadedBlas(int64_t chunks, double macsPerProduct) : active_(chunks > 1 || macsPerProduct < kThreadedGemmMinWork) {
    if (!active_) return;
    std::lock_guard<std::mutex> lock(mutex());
    if (depth()++ == 0) {
      saved() = openblas_get_num_threads();
      if (saved() > 1) openblas_set_num_threads(1);
    }
  }
  ~SingleThreadedBlas() {
    if (!active_) return;
    std::lock_guard<std::mutex> lock(mutex());
    if (--depth() == 0 && saved() > 1) openblas_set_num_threads(saved());
  }
  // Whether some scope holds OpenBLAS at one thread now (gemmAsync's thread while its queue has work):
  // another product then takes one core rather than two.
  static bool active() {
    std::lock_guard<std::mutex> lock(mutex());
    return depth() > 0;
  }

  SingleThreadedBlas(const SingleThreadedBlas&) = delete;
  SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;

 private:
  static std::mutex& mutex() {
    static std::mutex m;
    return m;
  }
  static int& depth() {
    static int d = 0;
    return d;
  }
  static int& saved() {
    static int s = 1;
    return s;
  }
  bool active_;
};

}  // namespace nabla
