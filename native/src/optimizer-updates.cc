// adamUpdate(param, grad, expAvg, expAvgSq, maxExpAvgSq, params) and
// sgdUpdate(param, grad, momentumBuffer, params): one pass over each parameter, in place.
// Arithmetic in double on float32 state, exactly as the js loops (js/optimizer-updates.ts).
#include <cmath>

#include "args.h"
#include "fields.h"
#include "kernels.h"
#include "simd.h"

namespace nabla {

namespace {

struct AdamScalars {
  double beta1, beta2, eps, stepSize, bias2Sqrt, l2, shrink;
};

NABLA_CLONES
void adamLoop(float* param, const float* grad, float* m, float* v, size_t n, const AdamScalars& s) {
  const double beta1 = s.beta1, beta2 = s.beta2, eps = s.eps, stepSize = s.stepSize, bias2Sqrt = s.bias2Sqrt;
  const double l2 = s.l2, shrink = s.shrink;
  for (size_t i = 0; i < n; i++) {
    const double p = param[i] * shrink;
    const double g = grad[i] + l2 * p;
    const double mi = beta1 * m[i] + (1 - beta1) * g;
    const double vi = beta2 * v[i] + (1 - beta2) * g * g;
    m[i] = static_cast<float>(mi);
    v[i] = static_cast<float>(vi);
    param[i] = static_cast<float>(p - (stepSize * mi) / (std::sqrt(vi) / bias2Sqrt + eps));
  }
}

// AMSGrad: the step divides by the running maximum of v (kept in float32, compared in double).
NABLA_CLONES
void amsgradLoop(float* param, const float* grad, float* m, float* v, float* vMax, size_t n, const AdamScalars& s) {
  const double beta1 = s.beta1, beta2 = s.beta2, eps = s.eps, stepSize = s.stepSize, bias2Sqrt = s.bias2Sqrt;
  const double l2 = s.l2, shrink = s.shrink;
  for (size_t i = 0; i < n; i++) {
    const double p = param[i] * shrink;
    const double g = grad[i] + l2 * p;
    const double mi = beta1 * m[i] + (1 - beta1) * g;
    double vi = beta2 * v[i] + (1 - beta2) * g * g;
    m[i] = static_cast<float>(mi);
    v[i] = static_cast<float>(vi);
    const double prev = vMax[i];
    vi = prev != prev || vi != vi ? prev + vi : prev > vi ? prev : vi;  // Math.max: NaN wins
    vMax[i] = static_cast<float>(vi);
    param[i] = static_cast<float>(p - (stepSize * mi) / (std::sqrt(vi) / bias2Sqrt + eps));
  }
}

NABLA_CLONES
void sgdPlainLoop(float* param, const float* grad, size_t n, double lr, double weightDecay) {
  for (size_t i = 0; i < n; i++) param[i] = static_cast<float>(param[i] - lr * (grad[i] + weightDecay * param[i]));
}

NABLA_CLONES
void sgdMomentumLoop(float* param, const float* grad, float* buf, size_t n, double lr, double momentum, double dampening,
                     double weightDecay, bool nesterov, bool initBuffer) {
  for (size_t i = 0; i < n; i++) {
    const double g = grad[i] + weightDecay * param[i];
    const double b = initBuffer ? g : momentum * buf[i] + (1 - dampening) * g;
    buf[i] = static_cast<float>(b);
    param[i] = static_cast<float>(param[i] - lr * (nesterov ? g + momentum * b : b));
  }
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

  const AdamScalars s{beta1, beta2, eps, lr / (1 - std::pow(beta1, step)), std::sqrt(1 - std::pow(beta2, step)),
                      decoupled ? 0 : weightDecay, decoupled ? 1 - lr * weightDecay : 1};
  if (vMax.data) amsgradLoop(param.data, grad.data, m.data, v.data, vMax.data, n, s);
  else adamLoop(param.data, grad.data, m.data, v.data, n, s);
  return info.Env().Undefined();
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
  if (buf.data) sgdMomentumLoop(param.data, grad.data, buf.data, n, lr, momentum, dampening, weightDecay, nesterov, initBuffer);
  else sgdPlainLoop(param.data, grad.data, n, lr, weightDecay);
  return info.Env().Undefined();
}

}  // namespace nabla
