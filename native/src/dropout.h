// Dropout's arithmetic, shared by the dropout kernels and the attention kernels' dropout of the weights.
#pragma once

#include <cstddef>
#include <cstdint>

namespace nabla {

// What a kept element is multiplied by: 1/(1 − p) as float32 (0 when p = 1).
float dropoutScale(double p);

// out = x · (keep ? scale : 0): a NaN stays NaN, as in x·mask. out may be x.
void applyKeep(const float* x, const uint8_t* keep, float scale, float* out, size_t n);

}  // namespace nabla
