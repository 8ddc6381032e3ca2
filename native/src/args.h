// Argument checking for the kernels' entry points. Every check throws a JavaScript Error whose
// message starts with the kernel's name, so a bad call never reaches the C++ loops.
//
// Order matters: read scalars, strings, shapes and params first and the Float32Arrays last.
// Reading an array element or an object field can run JavaScript (a getter, a Proxy) that could
// detach a buffer; once the buffers are taken, nothing calls back into JavaScript.
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nabla {

// A Float32Array's elements, borrowed for the duration of one kernel call (no copy).
struct Floats {
  float* data;
  size_t length;
};

using Shape = std::vector<int64_t>;

class Args {
 public:
  Args(const Napi::CallbackInfo& info, const char* kernel) : info_(info), kernel_(kernel) {}

  [[noreturn]] void fail(const std::string& message) const;

  bool boolean(size_t i, const char* name) const;
  double number(size_t i, const char* name) const;
  std::string string(size_t i, const char* name) const;
  // An integer in [0, 2^31 − 1] (the range of OpenBLAS's sizes and of typed array lengths).
  int64_t size(size_t i, const char* name) const;
  // An array of sizes, at most kMaxRank long.
  Shape shape(size_t i, const char* name) const;
  // `name.field` of an optional object argument (undefined → fallback); must be a number if present.
  double optionalField(size_t i, const char* name, const char* field, double fallback) const;
  // The Float32Array at i, holding at least minLength elements; not detached.
  Floats floats(size_t i, const char* name, uint64_t minLength) const;

  // Number of elements of a shape; fails when it overflows.
  uint64_t elements(const Shape& shape, const char* name) const;

  static constexpr size_t kMaxRank = 64;

 private:
  Napi::Value at(size_t i) const;
  const Napi::CallbackInfo& info_;
  const char* kernel_;
};

// "[2,3]" for error messages.
std::string formatShape(const Shape& shape);

}  // namespace nabla
