// One image's im2col and col2im loops (im2col.cc), which conv2d.cc runs image by image into a
// cache-sized scratch.
#pragma once

#include <cstdint>

#include "window2d.h"

namespace nabla {

// x [channels, height, width] → cols [channels·kernelH·kernelW, outH·outW] (0 in the padding).
void im2colLoop(const float* x, int64_t channels, const Window2d& w, float* cols);

// Adds cols [channels·kernelH·kernelW, outH·outW] back into x [channels, height, width].
void col2imLoop(const float* cols, int64_t channels, const Window2d& w, float* x);

}  // namespace nabla
