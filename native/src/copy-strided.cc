// copyStrided(x, xOffset, xStrides, out, outOffset, outStrides, size, accumulate): the strided
// box copy behind slicing, concat, stack, broadcast fills (a bias into every row) and their
// gradients, as js/layout.ts. Every index it will touch is checked before anything is written.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "args.h"
#include "broadcast.h"
#include "kernels.h"

namespace nabla {

namespace {

// An array of integer strides (negative allowed), as long as `rank`.
std::vector<int64_t> strides(const Args& args, const Napi::CallbackInfo& info, size_t i, const char* name, size_t rank) {
  Napi::Value v = info[i];
  if (!v.IsArray()) args.fail(std::string(name) + " must be an array of integers");
  Napi::Array a = v.As<Napi::Array>();
  if (a.Length() < rank) args.fail(std::string(name) + " has " + std::to_string(a.Length()) + " entries, size has " + std::to_string(rank));
  std::vector<int64_t> out(rank);
  for (size_t d = 0; d < rank; d++) {
    Napi::Value e = a.Get(static_cast<uint32_t>(d));
    const double s = e.IsNumber() ? e.As<Napi::Number>().DoubleValue() : NAN;
    if (!std::isfinite(s) || s != std::floor(s) || std::fabs(s) > 2147483647.0) {
      args.fail(std::string(name) + "[" + std::to_string(d) + "] must be an integer");
    }
    out[d] = static_cast<int64_t>(s);
  }
  return out;
}

// Fails unless offset + Σ i_d·stride_d stays in [0, length) over the whole box.
void checkReach(const Args& args, const char* name, int64_t offset, const std::vector<int64_t>& s, const Shape& size, size_t length) {
  int64_t lo = offset, hi = offset;
  for (size_t d = 0; d < size.size(); d++) {
    const int64_t reach = (size[d] - 1) * s[d];
    if (reach < 0) lo += reach;
    else hi += reach;
  }
  if (lo < 0 || hi >= static_cast<int64_t>(length)) {
    args.fail(std::string(name) + " indices reach [" + std::to_string(lo) + ", " + std::to_string(hi) + "], outside its " +
              std::to_string(length) + " elements");
  }
}

}  // namespace

Napi::Value CopyStrided(const Napi::CallbackInfo& info) {
  Args args(info, "copyStrided");
  const Shape size = args.shape(6, "size");
  const int64_t xOffset = args.size(1, "xOffset");
  const int64_t outOffset = args.size(4, "outOffset");
  const std::vector<int64_t> xs = strides(args, info, 2, "xStrides", size.size());
  const std::vector<int64_t> os = strides(args, info, 5, "outStrides", size.size());
  const bool accumulate = args.boolean(7, "accumulate");
  const uint64_t n = args.elements(size, "size");
  const Floats x = args.floats(0, "x", 0);
  const Floats out = args.floats(3, "out", 0);
  if (n == 0) return info.Env().Undefined();
  checkReach(args, "x", xOffset, xs, size, x.length);
  checkReach(args, "out", outOffset, os, size, out.length);

  LoopNest<2> nest;
  for (size_t d = 0; d < size.size(); d++) nest.push(size[d], {xs[d], os[d]});
  const int64_t ix = nest.size.empty() ? 0 : nest.strides[0].back();
  const int64_t io = nest.size.empty() ? 0 : nest.strides[1].back();
  const float* xd = x.data + xOffset;
  float* od = out.data + outOffset;
  nest.forEachRow([&](const int64_t* off, int64_t len) {
    const float* px = xd + off[0];
    float* po = od + off[1];
    if (accumulate) {
      for (int64_t j = 0; j < len; j++) po[j * io] += px[j * ix];
    } else if (ix == 1 && io == 1) {
      std::memmove(po, px, len * sizeof(float));  // js uses TypedArray.set: overlap-safe
    } else if (ix == 0 && io == 1) {
      std::fill(po, po + len, *px);
    } else {
      for (int64_t j = 0; j < len; j++) po[j * io] = px[j * ix];
    }
  });
  return info.Env().Undefined();
}

}  // namespace nabla
