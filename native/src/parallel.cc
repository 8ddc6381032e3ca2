// The addon's thread count and its pool of worker threads (parallel.h).
#include "parallel.h"

#include <dlfcn.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>

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

// How long an idle thread polls before sleeping. A training step calls the pool every few
// microseconds to milliseconds; polling catches the quick successions without a futex wake (on
// this VM a sleeping worker took long enough to wake that small-tanh's split products ran at one
// thread's speed: 20 µs → 200 µs, 62–63k → 70–73k samples/s in three alternated pairs), and
// stopping after that leaves the core to Node's threads and gemmAsync's (see DESIGN.md, Threads).
constexpr auto kSpin = std::chrono::microseconds(200);

inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// Polls ready() for up to kSpin; true once it holds.
template <class Ready>
bool spinUntil(Ready ready) {
  const auto deadline = std::chrono::steady_clock::now() + kSpin;
  for (unsigned i = 1;; i++) {
    if (ready()) return true;
    cpuRelax();
    if (i % 64 == 0 && std::chrono::steady_clock::now() >= deadline) return ready();
  }
}

// One run at a time (`busy`). A run is published as the ticket: generation (high 32 bits), chunk
// count (16 bits) and next unclaimed chunk (low 16 bits), so a worker that wakes late can never
// claim a chunk of a later run with the earlier run's count. Whoever claims a chunk runs it; the
// caller claims too after its chunk 0, so a worker slow to wake costs no more than its chunk.
class Pool {
 public:
  static constexpr int64_t kMaxChunks = 0xffff;

  bool run(int64_t chunks, detail::ChunkFn fn, const void* context) {
    if (chunks > kMaxChunks || busy_.exchange(true, std::memory_order_acquire)) return false;
    if (!started_) start();
    if (workers_ == 0) {
      busy_.store(false, std::memory_order_release);
      return false;
    }
    fn_ = fn;
    context_ = context;
    remaining_.store(chunks - 1, std::memory_order_relaxed);
    const uint64_t generation = (ticket_.load(std::memory_order_relaxed) >> 32) + 1;
    ticket_.store(generation << 32 | static_cast<uint64_t>(chunks) << 16 | 1);
    if (sleepers_.load() > 0) {
      std::lock_guard<std::mutex> lock(mutex_);
      wake_.notify_all();
    }
    guarded(0);
    int64_t t;
    while (claim(generation, t)) finish(t);
    if (!spinUntil([this] { return remaining_.load(std::memory_order_acquire) == 0; })) {
      std::unique_lock<std::mutex> lock(mutex_);
      callerSleeping_.store(true);
      done_.wait(lock, [this] { return remaining_.load() == 0; });
      callerSleeping_.store(false);
    }
    // Every chunk has finished (none still reads the caller's stack); a chunk's exception, if
    // any, reaches the caller only now.
    std::exception_ptr error;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      std::swap(error, error_);
    }
    busy_.store(false, std::memory_order_release);
    if (error) std::rethrow_exception(error);
    return true;
  }

 private:
  // Under busy_, once per process.
  void start() {
    started_ = true;
    pinAddon();
    for (int i = 1; i < threadCount(); i++) {
      try {
        std::thread([this] { work(); }).detach();
        workers_++;
      } catch (const std::system_error&) {
        break;  // the chunks go to the threads there are
      }
    }
  }

  bool claim(uint64_t generation, int64_t& t) {
    uint64_t ticket = ticket_.load(std::memory_order_acquire);
    for (;;) {
      const uint64_t next = ticket & 0xffff;
      if ((ticket >> 32) != generation || next >= ((ticket >> 16) & 0xffff)) return false;
      if (ticket_.compare_exchange_weak(ticket, ticket + 1, std::memory_order_acq_rel, std::memory_order_acquire)) {
        t = static_cast<int64_t>(next);
        return true;
      }
    }
  }

  // Runs claimed chunk t; the run's caller waits until every claimed chunk is finished, so fn_
  // and context_ stay those of the claim's run until then.
  void finish(int64_t t) {
    guarded(t);
    if (remaining_.fetch_sub(1) == 1 && callerSleeping_.load()) {
      std::lock_guard<std::mutex> lock(mutex_);
      done_.notify_one();
    }
  }

  // Runs chunk t, keeping the first exception of the run for the caller (a worker must not let one
  // escape: it would end the process).
  void guarded(int64_t t) {
    try {
      fn_(context_, t);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!error_) error_ = std::current_exception();
    }
  }

  void work() {
    uint64_t seen = 0;
    for (;;) {
      const auto fresh = [&] { return (ticket_.load(std::memory_order_acquire) >> 32) != seen; };
      if (!spinUntil(fresh)) {
        std::unique_lock<std::mutex> lock(mutex_);
        sleepers_.fetch_add(1);
        wake_.wait(lock, [&] { return (ticket_.load() >> 32) != seen; });
        sleepers_.fetch_sub(1);
      }
      seen = ticket_.load(std::memory_order_acquire) >> 32;
      int64_t t;
      while (claim(seen, t)) finish(t);
    }
  }

  std::atomic<bool> busy_{false};
  bool started_ = false;
  int workers_ = 0;
  detail::ChunkFn fn_ = nullptr;
  const void* context_ = nullptr;
  std::atomic<uint64_t> ticket_{0};
  std::atomic<int64_t> remaining_{0};
  // The sleep handshakes pair a sequentially consistent store with a load of the other side's
  // state (ticket_ or remaining_ against sleepers_ or callerSleeping_): one of the two sees the other.
  std::atomic<int> sleepers_{0};
  std::atomic<bool> callerSleeping_{false};
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::exception_ptr error_;  // under mutex_
};

}  // namespace

int threadCount() {
  static const int count = readThreadCount();
  return count;
}

// The workers are detached and never stop (the pool is never destroyed, so exit does not wait
// for them nor destroy what they sleep on). Node unloads an addon that only a worker thread
// loaded when that thread ends; pinned, the code they sleep in stays mapped.
void pinAddon() {
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&threadCount), &info) && info.dli_fname) {
    dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE);
  }
}

bool detail::runOnPool(int64_t chunks, ChunkFn fn, const void* context) {
  static Pool* const pool = new Pool();
  return pool->run(chunks, fn, context);
}

}  // namespace nabla
