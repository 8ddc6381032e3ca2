// The Window2d object of convolution and pooling kernels (backend.ts), read from a params object.
#pragma once

#include <cstdint>

#include "fields.h"

namespace nabla {

struct Window2d {
  int64_t height, width, kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, outH, outW;
};

inline Window2d readWindow(const Args& args, const Napi::CallbackInfo& info, size_t i) {
  const Fields f(args, info, i, "window");
  Window2d w{f.size("height"), f.size("width"), f.size("kernelH"), f.size("kernelW"), f.size("strideH"), f.size("strideW"),
             f.size("padH"), f.size("padW"), f.size("dilationH"), f.size("dilationW"), f.size("outH"), f.size("outW")};
  // Output positions must read inside the padded input: the js kernels would index past it otherwise.
  if (w.strideH == 0 || w.strideW == 0 || w.dilationH == 0 || w.dilationW == 0) args.fail("window strides and dilations must be ≥ 1");
  const bool fits = (w.outH == 0 || (w.outH - 1) * w.strideH + (w.kernelH - 1) * w.dilationH < w.height + 2 * w.padH) &&
                    (w.outW == 0 || (w.outW - 1) * w.strideW + (w.kernelW - 1) * w.dilationW < w.width + 2 * w.padW);
  if (!fits) args.fail("window's output size does not fit its padded input");
  return w;
}

}  // namespace nabla
