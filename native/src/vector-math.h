// Include first in files whose loops call expf, logf, tanhf, expm1f, erfcf or powf.
//
// glibc's <math.h> declares the SIMD variants of these functions (libmvec, ≤ 4 ulp) only under
// __FAST_MATH__; with the declarations, GCC vectorizes loops that call them. The compiler's own
// fast-math stays off: NaN, ±∞, signed zeros and evaluation order behave as in the js backend.
#pragma once

#ifndef __FAST_MATH__
#define __FAST_MATH__ 1
#endif
#include <math.h>

namespace nabla {

// Math.pow's answer: unlike C's powf, JavaScript gives NaN for (±1) ** ±∞ and 1 ** NaN.
inline float jsPow(float x, float y) {
  return (x == 1.0f || x == -1.0f) && !__builtin_isfinite(y) ? __builtin_nanf("") : powf(x, y);
}

}  // namespace nabla
