// gemmAsync(transA, transB, m, n, k, alpha, a, b, beta, c) → ticket, and gemmWait(ticket): products
// run on one background thread, in the order they were queued, while the caller goes on (the
// recurrent layers compute their weight gradients there during backpropagation through time).
//
// The typed arrays are held by references until a gemmWait from the same JavaScript thread sees
// their product done, so a caller that never waits leaks them rather than have them freed under
// the thread. While the background thread has work, OpenBLAS runs on one thread (the process-wide
// setting, SingleThreadedBlas): the caller's products then take one core and the queue the other.
// With one thread allowed (NABLA_NUM_THREADS=1) a product runs at once, on the caller.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <string>
#include <mutex>
#include <thread>
#include <vector>

#include "args.h"
#include "blas-threads.h"
#include "gemm-product.h"
#include "kernels.h"
#include "parallel.h"

namespace nabla {

namespace {

// The background thread and its queue; never destroyed (the thread is detached and sleeps on it).
class Queue {
 public:
  uint64_t push(const Product& p) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!started_) {
      pinAddon();
      std::thread([this] { work(); }).detach();
      started_ = true;
    }
    queue_.push_back(p);
    const uint64_t ticket = ++queued_;
    wake_.notify_one();
    return ticket;
  }

  void wait(uint64_t ticket) {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [&] { return finished_ >= ticket; });
  }

  uint64_t queued() {
    std::lock_guard<std::mutex> lock(mutex_);
    return queued_;
  }

  uint64_t finished() {
    std::lock_guard<std::mutex> lock(mutex_);
    return finished_;
  }

 private:
  void work() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return !queue_.empty(); });
      {
        // One busy period: OpenBLAS on one thread until the queue is empty.
        lock.unlock();
        SingleThreadedBlas single(2, 0);
        lock.lock();
        while (!queue_.empty()) {
          const Product p = queue_.front();
          queue_.pop_front();
          lock.unlock();
          multiply(p);
          lock.lock();
          finished_++;
          done_.notify_all();
        }
        lock.unlock();
      }
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::deque<Product> queue_;
  uint64_t queued_ = 0, finished_ = 0;
  bool started_ = false;
};

Queue& queue() {
  static Queue* const q = new Queue();
  return *q;
}

// This JavaScript thread's products not yet seen finished, with the references that keep their
// arrays (raw napi_refs, deleted only by a call on this thread: never by a destructor at thread exit,
// when the environment is gone).
struct Pending {
  uint64_t ticket;
  napi_env env;
  napi_ref arrays[3];
};
thread_local std::vector<Pending> pending;

void release(uint64_t finished) {
  size_t kept = 0;
  for (size_t i = 0; i < pending.size(); i++) {
    if (pending[i].ticket > finished) {
      pending[kept++] = pending[i];
    } else {
      for (napi_ref ref : pending[i].arrays) napi_delete_reference(pending[i].env, ref);
    }
  }
  pending.resize(kept);
}

}  // namespace

Napi::Value GemmAsync(const Napi::CallbackInfo& info) {
  Args args(info, "gemmAsync");
  const Product p = readProduct(args);
  Napi::Env env = info.Env();
  if (threadCount() <= 1) {
    multiply(p);
    return Napi::Number::New(env, 0);
  }
  Pending entry{0, env, {}};
  const size_t positions[3] = {6, 7, 9};
  for (int i = 0; i < 3; i++) {
    if (napi_create_reference(env, info[positions[i]], 1, &entry.arrays[i]) != napi_ok) {
      for (int j = 0; j < i; j++) napi_delete_reference(env, entry.arrays[j]);
      args.fail("cannot keep the arrays alive");
    }
  }
  entry.ticket = queue().push(p);
  pending.push_back(entry);
  release(queue().finished());
  return Napi::Number::New(env, static_cast<double>(entry.ticket));
}

Napi::Value GemmWait(const Napi::CallbackInfo& info) {
  Args args(info, "gemmWait");
  const uint64_t ticket = static_cast<uint64_t>(args.size(0, "ticket"));
  if (ticket > queue().queued()) args.fail("ticket " + std::to_string(ticket) + " was never given out");
  queue().wait(ticket);
  release(queue().finished());
  return info.Env().Undefined();
}

}  // namespace nabla
