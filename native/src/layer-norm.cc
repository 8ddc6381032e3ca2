// layerNorm(x, rows, cols, weight, bias, eps, out, mean, rstd) and layerNormBackward(x, dy, rows,
// cols, weight, mean, rstd, dx, dWeight, dBias): the fused LayerNorm kernels of the js backend
// (js/layer-norm.ts) with the same float64 arithmetic. Rows are independent: the forward and dx
// are threaded over rows; dWeight and dBias sum over the rows, so they are threaded over columns
// (each column summed in row order whichever thread has it: results do not depend on threads).
#include <algorithm>
#include <cmath>
#include <vector>

#include "args.h"
#include "fields.h"
#include "kernels.h"
#include "parallel.h"
#include "simd.h"

namespace nabla {

namespace {

// One row: mean, then the biased variance around it (two passes, in double), then the affine output.
NABLA_CLONES
void normalizeRows(const float* x, int64_t cols, const float* weight, const float* bias, double eps,
                   float* out, float* mean, float* rstd, int64_t r0, int64_t r1) {
  for (int64_t r = r0; r < r1; r++) {
    const float* xr = x + r * cols;
    float* o = out + r * cols;
    double s = 0;
#pragma omp simd reduction(+ : s)
    for (int64_t j = 0; j < cols; j++) s += xr[j];
    const double mu = s / cols;
    double ss = 0;
#pragma omp simd reduction(+ : ss)
    for (int64_t j = 0; j < cols; j++) {
      const double d = xr[j] - mu;
      ss += d * d;
    }
    const double inv = 1 / std::sqrt(ss / cols + eps);
    mean[r] = static_cast<float>(mu);
    rstd[r] = static_cast<float>(inv);
    if (weight && bias) {
      for (int64_t j = 0; j < cols; j++) o[j] = static_cast<float>((xr[j] - mu) * inv * weight[j] + bias[j]);
    } else if (weight) {
      for (int64_t j = 0; j < cols; j++) o[j] = static_cast<float>((xr[j] - mu) * inv * weight[j]);
    } else if (bias) {
      for (int64_t j = 0; j < cols; j++) o[j] = static_cast<float>((xr[j] - mu) * inv + bias[j]);
    } else {
      for (int64_t j = 0; j < cols; j++) o[j] = static_cast<float>((xr[j] - mu) * inv);
    }
  }
}

// dx = rstd·(g − mean(g) − x̂·mean(g·x̂)) per row, g = dy·weight.
NABLA_CLONES
void inputGradRows(const float* x, const float* dy, int64_t cols, const float* weight, const float* mean, const float* rstd,
                   float* dx, int64_t r0, int64_t r1) {
  for (int64_t r = r0; r < r1; r++) {
    const float* xr = x + r * cols;
    const float* gr = dy + r * cols;
    float* o = dx + r * cols;
    const double mu = mean[r], inv = rstd[r];
    double sumG = 0, sumGXhat = 0;
    if (weight) {
#pragma omp simd reduction(+ : sumG, sumGXhat)
      for (int64_t j = 0; j < cols; j++) {
        const double g = static_cast<double>(gr[j]) * weight[j];
        sumG += g;
        sumGXhat += g * (xr[j] - mu) * inv;
      }
    } else {
#pragma omp simd reduction(+ : sumG, sumGXhat)
      for (int64_t j = 0; j < cols; j++) {
        const double g = gr[j];
        sumG += g;
        sumGXhat += g * (xr[j] - mu) * inv;
      }
    }
    const double meanG = sumG / cols, meanGXhat = sumGXhat / cols;
    if (weight) {
      for (int64_t j = 0; j < cols; j++) {
        o[j] = static_cast<float>(inv * (static_cast<double>(gr[j]) * weight[j] - meanG - (xr[j] - mu) * inv * meanGXhat));
      }
    } else {
      for (int64_t j = 0; j < cols; j++) o[j] = static_cast<float>(inv * (gr[j] - meanG - (xr[j] - mu) * inv * meanGXhat));
    }
  }
}

// Σ_rows dy·x̂ and Σ_rows dy for columns [c0, c1), in double. Summed in the chunk's own arrays and
// stored once at the end: another thread sums the next columns, and a cache line holding both
// chunks' edge columns, written at every row by both, made the two-thread pass 9× slower than one.
NABLA_CLONES
void paramGradColumns(const float* x, const float* dy, int64_t rows, int64_t cols, const float* mean, const float* rstd,
                      double* sumDyXhat, double* sumDy, int64_t c0, int64_t c1) {
  const int64_t width = c1 - c0;
  std::vector<double> accXhat(sumDyXhat ? width : 0), accDy(sumDy ? width : 0);
  double* ax = accXhat.data();
  double* ad = accDy.data();
  for (int64_t r = 0; r < rows; r++) {
    const float* xr = x + r * cols + c0;
    const float* gr = dy + r * cols + c0;
    const double mu = mean[r], inv = rstd[r];
    if (sumDyXhat) {
      for (int64_t j = 0; j < width; j++) ax[j] += gr[j] * (xr[j] - mu) * inv;
    }
    if (sumDy) {
      for (int64_t j = 0; j < width; j++) ad[j] += gr[j];
    }
  }
  if (sumDyXhat) std::copy(accXhat.begin(), accXhat.end(), sumDyXhat + c0);
  if (sumDy) std::copy(accDy.begin(), accDy.end(), sumDy + c0);
}

}  // namespace

Napi::Value LayerNorm(const Napi::CallbackInfo& info) {
  Args args(info, "layerNorm");
  const int64_t rows = args.size(1, "rows");
  const int64_t cols = args.size(2, "cols");
  const double eps = args.number(5, "eps");
  uint64_t size = 0;
  if (__builtin_mul_overflow(static_cast<uint64_t>(rows), static_cast<uint64_t>(cols), &size)) args.fail("rows·cols is too large");
  const Floats x = args.floats(0, "x", size);
  const Floats weight = optionalFloats(args, info, 3, "weight", cols);
  const Floats bias = optionalFloats(args, info, 4, "bias", cols);
  const Floats out = args.floats(6, "out", size);
  const Floats mean = args.floats(7, "mean", rows);
  const Floats rstd = args.floats(8, "rstd", rows);
  parallelFor(rows, 3 * cols, [&](int64_t r0, int64_t r1) {
    normalizeRows(x.data, cols, weight.data, bias.data, eps, out.data, mean.data, rstd.data, r0, r1);
  });
  return info.Env().Undefined();
}

Napi::Value LayerNormBackward(const Napi::CallbackInfo& info) {
  Args args(info, "layerNormBackward");
  const int64_t rows = args.size(2, "rows");
  const int64_t cols = args.size(3, "cols");
  uint64_t size = 0;
  if (__builtin_mul_overflow(static_cast<uint64_t>(rows), static_cast<uint64_t>(cols), &size)) args.fail("rows·cols is too large");
  const Floats x = args.floats(0, "x", size);
  const Floats dy = args.floats(1, "dy", size);
  const Floats weight = optionalFloats(args, info, 4, "weight", cols);
  const Floats mean = args.floats(5, "mean", rows);
  const Floats rstd = args.floats(6, "rstd", rows);
  const Floats dx = optionalFloats(args, info, 7, "dx", size);
  const Floats dWeight = optionalFloats(args, info, 8, "dWeight", cols);
  const Floats dBias = optionalFloats(args, info, 9, "dBias", cols);
  if (dx.data) {
    parallelFor(rows, 3 * cols, [&](int64_t r0, int64_t r1) {
      inputGradRows(x.data, dy.data, cols, weight.data, mean.data, rstd.data, dx.data, r0, r1);
    });
  }
  if (dWeight.data || dBias.data) {
    std::vector<double> sums(2 * cols);
    double* sumDyXhat = dWeight.data ? sums.data() : nullptr;
    double* sumDy = dBias.data ? sums.data() + cols : nullptr;
    parallelFor(cols, 2 * rows, [&](int64_t c0, int64_t c1) {
      paramGradColumns(x.data, dy.data, rows, cols, mean.data, rstd.data, sumDyXhat, sumDy, c0, c1);
    });
    for (int64_t j = 0; j < cols; j++) {
      if (sumDyXhat) dWeight.data[j] = static_cast<float>(sumDyXhat[j]);
      if (sumDy) dBias.data[j] = static_cast<float>(sumDy[j]);
    }
  }
  return info.Env().Undefined();
}

}  // namespace nabla
