// adamUpdate(param, grad, expAvg, expAvgSq, maxExpAvgSq, params) and
// sgdUpdate(param, grad, momentumBuffer, params): one pass over each parameter, in place.
// The rules of the js loops (js/optimizer-updates.ts), in float32 arithmetic (see below).
// Each returns whether every updated parameter value is finite, found in the same pass (r − r is 0
// for finite r, NaN otherwise): fit's anomaly guard then need not scan the parameters again.
#include <math.h>

#include <atomic>
#include <cmath>

#include "args.h"
#include "fields.h"
#include "kernels.h"
#include "parallel.h"
#include "simd.h"

namespace nabla {

namespace {

// The scalars in float: the loops run in float32 arithmetic (as PyTorch's), which keeps them
// memory-bound; in double, the divisions and square roots cost six times as much. Results stay
// within a few float ulps of the js reference's float64 arithmetic.
struct AdamScalars {
  float beta1, oneMinusBeta1, beta2, oneMinusBeta2, eps, stepSize, bias2Sqrt, l2, shrink;
};

// Each loop returns whether a result is NaN or ±Infinity.
NABLA_CLONES
bool adamLoop(float* param, const float* grad, float* m, float* v, size_t n, const AdamScalars& s) {
  const float beta1 = s.beta1, c1 = s.oneMinusBeta1, beta2 = s.beta2, c2 = s.oneMinusBeta2, eps = s.eps;
  const float stepSize = s.stepSize, bias2Sqrt = s.bias2Sqrt, l2 = s.l2, shrink = s.shrink;
  int bad = 0;
  for (size_t i = 0; i < n; i++) {
    const float p = param[i] * shrink;
    const float g = grad[i] + l2 * p;
    const float mi = beta1 * m[i] + c1 * g;
    const float vi = beta2 * v[i] + c2 * g * g;
    m[i] = mi;
    v[i] = vi;
    const float r = p - (stepSize * mi) / (sqrtf(vi) / bias2Sqrt + eps);
    param[i] = r;
    bad |= (r - r) != 0.0f;
  }
  return bad != 0;
}

// AMSGrad: the step divides by the running maximum of v.
NABLA_CLONES
bool amsgradLoop(float* param, const float* grad, float* m, float* v, float* vMax, size_t n, const AdamScalars& s) {
  const float beta1 = s.beta1, c1 = s.oneMinusBeta1, beta2 = s.beta2, c2 = s.oneMinusBeta2, eps = s.eps;
  const float stepSize = s.stepSize, bias2Sqrt = s.bias2Sqrt, l2 = s.l2, shrink = s.shrink;
  int bad = 0;
  for (size_t i = 0; i < n; i++) {
    const float p = param[i] * shrink;
    const float g = grad[i] + l2 * p;
    const float mi = beta1 * m[i] + c1 * g;
    float vi = beta2 * v[i] + c2 * g * g;
    m[i] = mi;
    v[i] = vi;
    const float prev = vMax[i];
    vi = prev != prev || vi != vi ? prev + vi : prev > vi ? prev : vi;  // Math.max: NaN wins
    vMax[i] = vi;
    const float r = p - (stepSize * mi) / (sqrtf(vi) / bias2Sqrt + eps);
    param[i] = r;
    bad |= (r - r) != 0.0f;
  }
  return bad != 0;
}

NABLA_CLONES
bool sgdPlainLoop(float* param, const float* grad, size_t n, float lr, float weightDecay) {
  int bad = 0;
  for (size_t i = 0; i < n; i++) {
    const float r = param[i] - lr * (grad[i] + weightDecay * param[i]);
    param[i] = r;
    bad |= (r - r) != 0.0f;
  }
  return bad != 0;
}

NABLA_CLONES
bool sgdMomentumLoop(float* param, const float* grad, float* buf, size_t n, float lr, float momentum, float dampening,
                     float weightDecay, bool nesterov, bool initBuffer) {
  const float keep = 1 - dampening;
  int bad = 0;
  for (size_t i = 0; i < n; i++) {
    const float g = grad[i] + weightDecay * param[i];
    const float b = initBuffer ? g : momentum * buf[i] + keep * g;
    buf[i] = b;
    const float r = param[i] - lr * (nesterov ? g + momentum * b : b);
    param[i] = r;
    bad |= (r - r) != 0.0f;
  }
  return bad != 0;
}

}  // namespace

Napi::Value AdamUpdate(const Napi::CallbackInfo& info) {
  Args args(info, "adamUpdate");
  const Fields p(args, info, 5, "params");
  const double lr = p.number("lr");
  const double beta1 = p.number("beta1");
  const double beta2 = p.number("beta2");
  const double eps = p.number("eps");
  const double weightDecay = p.number("weightDecay");
  const bool decoupled = p.boolean("decoupled");
  const double step = p.number("step");
  const Floats param = args.floats(0, "param", 0);
  const size_t n = param.length;
  const Floats grad = args.floats(1, "grad", n);
  const Floats m = args.floats(2, "expAvg", n);
  const Floats v = args.floats(3, "expAvgSq", n);
  const Floats vMax = optionalFloats(args, info, 4, "maxExpAvgSq", n);

  const auto f = [](double x) { return static_cast<float>(x); };
  const AdamScalars s{f(beta1), f(1 - beta1), f(beta2), f(1 - beta2), f(eps), f(lr / (1 - std::pow(beta1, step))),
                      f(std::sqrt(1 - std::pow(beta2, step))), f(decoupled ? 0 : weightDecay), f(decoupled ? 1 - lr * weightDecay : 1)};
  // Memory-bound: on both cores the pass gets both cores' share of bandwidth. Elementwise, so any cut gives the same bits.
  std::atomic<bool> nonFinite{false};
  parallelFor(static_cast<int64_t>(n), vMax.data ? 5 : 4, [&](int64_t begin, int64_t end) {
    const size_t o = static_cast<size_t>(begin), len = static_cast<size_t>(end - begin);
    const bool bad = vMax.data ? amsgradLoop(param.data + o, grad.data + o, m.data + o, v.data + o, vMax.data + o, len, s)
                               : adamLoop(param.data + o, grad.data + o, m.data + o, v.data + o, len, s);
    if (bad) nonFinite.store(true, std::memory_order_relaxed);
  });
  return Napi::Boolean::New(info.Env(), !nonFinite.load());
}

Napi::Value SgdUpdate(const Napi::CallbackInfo& info) {
  Args args(info, "sgdUpdate");
  const Fields p(args, info, 3, "params");
  const double lr = p.number("lr");
  const double momentum = p.number("momentum");
  const double dampening = p.number("dampening");
  const double weightDecay = p.number("weightDecay");
  const bool nesterov = p.boolean("nesterov");
  const bool initBuffer = p.boolean("initBuffer");
  const Floats param = args.floats(0, "param", 0);
  const size_t n = param.length;
  const Floats grad = args.floats(1, "grad", n);
  const Floats buf = optionalFloats(args, info, 2, "momentumBuffer", n);
  const auto f = [](double x) { return static_cast<float>(x); };
  std::atomic<bool> nonFinite{false};
  parallelFor(static_cast<int64_t>(n), buf.data ? 3 : 2, [&](int64_t begin, int64_t end) {
    const size_t o = static_cast<size_t>(begin), len = static_cast<size_t>(end - begin);
    const bool bad = buf.data ? sgdMomentumLoop(param.data + o, grad.data + o, buf.data + o, len, f(lr), f(momentum), f(dampening), f(weightDecay), nesterov, initBuffer)
                              : sgdPlainLoop(param.data + o, grad.data + o, len, f(lr), f(weightDecay));
    if (bad) nonFinite.store(true, std::memory_order_relaxed);
  });
  return Napi::Boolean::New(info.Env(), !nonFinite.load());
}

}  // namespace nabla
