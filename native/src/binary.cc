// binary(op, a, aShape, b, bShape, out, outShape): out = a op b with NumPy broadcasting.
#include "vector-math.h"
// (vector-math.h first: it must be the first to include <math.h>.)
#include "args.h"
#include "broadcast.h"
#include "kernels.h"
#include "parallel.h"

namespace nabla {

namespace {

struct Add { float operator()(float x, float y) const { return x + y; } };
struct Sub { float operator()(float x, float y) const { return x - y; } };
struct Mul { float operator()(float x, float y) const { return x * y; } };
struct Div { float operator()(float x, float y) const { return x / y; } };
struct Pow { float operator()(float x, float y) const { return jsPow(x, y); } };
// NaN wins, and ties keep x, as in the js backend.
struct Maximum { float operator()(float x, float y) const { return x >= y || x != x ? x : y; } };
struct Minimum { float operator()(float x, float y) const { return x <= y || x != x ? x : y; } };
struct Eq { float operator()(float x, float y) const { return x == y ? 1.0f : 0.0f; } };
struct Gt { float operator()(float x, float y) const { return x > y ? 1.0f : 0.0f; } };
struct Ge { float operator()(float x, float y) const { return x >= y ? 1.0f : 0.0f; } };
struct Lt { float operator()(float x, float y) const { return x < y ? 1.0f : 0.0f; } };
struct Le { float operator()(float x, float y) const { return x <= y ? 1.0f : 0.0f; } };

// In the order of the switch in Binary().
constexpr const char* kOpNames[] = {"add", "sub", "mul", "div", "pow", "maximum", "minimum",
                                    "eq", "gt", "ge", "lt", "le"};
constexpr int kOpCount = 12;

// One row: each operand steps by 1 or stays put (stride 0, a broadcast value); the four cases
// get their own loops so the compiler vectorizes each.
template <class F>
void row(F f, const float* a, int64_t sa, const float* b, int64_t sb, float* out, int64_t n) {
  if (sa == 1 && sb == 1) for (int64_t j = 0; j < n; j++) out[j] = f(a[j], b[j]);
  else if (sa == 1) { const float y = b[0]; for (int64_t j = 0; j < n; j++) out[j] = f(a[j], y); }
  else if (sb == 1) { const float x = a[0]; for (int64_t j = 0; j < n; j++) out[j] = f(x, b[j]); }
  else { const float v = f(a[0], b[0]); for (int64_t j = 0; j < n; j++) out[j] = v; }
}

// Operands of one shape (a residual add, a gradient summed into another) are one contiguous row:
// large ones are cut between the addon's threads, each element computed as in one loop.
template <class F>
void run(F f, const float* a, const float* b, float* out, const LoopNest<3>& nest) {
  if (nest.size.size() == 1 && nest.strides[0][0] == 1 && nest.strides[1][0] == 1 && nest.strides[2][0] == 1) {
    parallelFor(nest.size[0], 3, [&](int64_t begin, int64_t end) { row(f, a + begin, 1, b + begin, 1, out + begin, end - begin); });
    return;
  }
  nest.forEachRow([&](const int64_t* off, int64_t n) {
    row(f, a + off[0], nest.strides[0].empty() ? 0 : nest.strides[0].back(), b + off[1],
        nest.strides[1].empty() ? 0 : nest.strides[1].back(), out + off[2], n);
  });
}

// Strides of an operand of `shape` read as if broadcast to `outShape` (0 along broadcast dims).
Shape broadcastStrides(const Shape& shape, const Shape& outShape) {
  const size_t lead = outShape.size() - shape.size();
  Shape strides(outShape.size(), 0);
  int64_t s = 1;
  for (size_t j = shape.size(); j-- > 0;) {
    if (shape[j] != 1) strides[lead + j] = s;
    s *= shape[j];
  }
  return strides;
}

void checkBroadcast(const Args& args, const Shape& shape, const char* name, const Shape& outShape) {
  bool ok = shape.size() <= outShape.size();
  for (size_t j = 0; ok && j < shape.size(); j++) {
    const int64_t d = outShape[outShape.size() - shape.size() + j];
    if (shape[j] != 1 && shape[j] != d) ok = false;
  }
  if (!ok) args.fail(std::string(name) + " " + formatShape(shape) + " does not broadcast to outShape " + formatShape(outShape));
}

}  // namespace

Napi::Value Binary(const Napi::CallbackInfo& info) {
  Args args(info, "binary");
  const std::string name = args.string(0, "op");
  int op = 0;
  while (op < kOpCount && name != kOpNames[op]) op++;
  if (op == kOpCount) args.fail("unknown op '" + name + "'");
  const Shape aShape = args.shape(2, "aShape");
  const Shape bShape = args.shape(4, "bShape");
  const Shape outShape = args.shape(6, "outShape");
  checkBroadcast(args, aShape, "aShape", outShape);
  checkBroadcast(args, bShape, "bShape", outShape);
  const uint64_t na = args.elements(aShape, "aShape");
  const uint64_t nb = args.elements(bShape, "bShape");
  const uint64_t n = args.elements(outShape, "outShape");
  const Floats a = args.floats(1, "a", na);
  const Floats b = args.floats(3, "b", nb);
  const Floats out = args.floats(5, "out", n);

  LoopNest<3> nest;
  const Shape sa = broadcastStrides(aShape, outShape);
  const Shape sb = broadcastStrides(bShape, outShape);
  const Shape so = broadcastStrides(outShape, outShape);
  for (size_t d = 0; d < outShape.size(); d++) nest.push(outShape[d], {sa[d], sb[d], so[d]});

  if (n == 0) return info.Env().Undefined();
  switch (op) {
    case 0: run(Add{}, a.data, b.data, out.data, nest); break;
    case 1: run(Sub{}, a.data, b.data, out.data, nest); break;
    case 2: run(Mul{}, a.data, b.data, out.data, nest); break;
    case 3: run(Div{}, a.data, b.data, out.data, nest); break;
    case 4: run(Pow{}, a.data, b.data, out.data, nest); break;
    case 5: run(Maximum{}, a.data, b.data, out.data, nest); break;
    case 6: run(Minimum{}, a.data, b.data, out.data, nest); break;
    case 7: run(Eq{}, a.data, b.data, out.data, nest); break;
    case 8: run(Gt{}, a.data, b.data, out.data, nest); break;
    case 9: run(Ge{}, a.data, b.data, out.data, nest); break;
    case 10: run(Lt{}, a.data, b.data, out.data, nest); break;
    case 11: run(Le{}, a.data, b.data, out.data, nest); break;
  }
  return info.Env().Undefined();
}

}  // namespace nabla
