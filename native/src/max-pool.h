// Max pooling over consecutive planes (pool.cc), shared by the maxPool2d kernel and the fused
// BatchNorm→max-pool one (batch-norm-max-pool.cc).
#pragma once

#include <cstdint>

#include "args.h"
#include "window2d.h"

namespace nabla {

// Elements of `planes` planes before and after the pool (fails when they overflow).
void planeSizes(const Args& args, int64_t planes, const Window2d& w, uint64_t* in, uint64_t* out);

// x [planes, height, width] → out, argmax [planes, outH, outW]: the max of each window (padding is
// −∞; a NaN wins and ends the window; the first of equal values wins) and its index in the plane.
void maxPoolPlanes(const float* x, int64_t planes, const Window2d& w, float* out, int32_t* argmax);

}  // namespace nabla
