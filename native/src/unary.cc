// Entry points of unary(op, x, out, params?) and unaryBackward(op, x, y, dy, out, params?).
#include "args.h"
#include "kernels.h"
#include "unary-ops.h"

#include <algorithm>
#include <limits>

namespace nabla {

namespace {

struct OpInfo {
  const char* name;
  UnaryOp op;
  bool backwardReadsX;
  bool backwardReadsY;
};

constexpr OpInfo kOps[] = {
    {"neg", UnaryOp::Neg, false, false},          {"exp", UnaryOp::Exp, false, true},
    {"log", UnaryOp::Log, true, false},           {"sqrt", UnaryOp::Sqrt, false, true},
    {"abs", UnaryOp::Abs, true, false},           {"sign", UnaryOp::Sign, false, false},
    {"square", UnaryOp::Square, true, false},     {"reciprocal", UnaryOp::Reciprocal, false, true},
    {"sigmoid", UnaryOp::Sigmoid, false, true},   {"tanh", UnaryOp::Tanh, false, true},
    {"relu", UnaryOp::Relu, true, false},         {"leakyRelu", UnaryOp::LeakyRelu, true, false},
    {"elu", UnaryOp::Elu, true, true},            {"gelu", UnaryOp::Gelu, true, false},
    {"powScalar", UnaryOp::PowScalar, true, false}, {"clamp", UnaryOp::Clamp, true, false},
};

const OpInfo& parseOp(const Args& args, size_t i) {
  const std::string name = args.string(i, "op");
  for (const OpInfo& info : kOps) {
    if (name == info.name) return info;
  }
  args.fail("unknown op '" + name + "'");
}

UnaryParams parseParams(const Args& args, size_t i, UnaryOp op) {
  const double inf = std::numeric_limits<double>::infinity();
  UnaryParams p;
  p.alpha = args.optionalField(i, "params", "alpha", op == UnaryOp::Elu ? 1.0 : 0.01);
  p.exponent = args.optionalField(i, "params", "exponent", 1.0);
  p.min = args.optionalField(i, "params", "min", -inf);
  p.max = args.optionalField(i, "params", "max", inf);
  return p;
}

const float* at(const float* p, size_t i) { return p ? p + i : p; }

}  // namespace

Napi::Value Unary(const Napi::CallbackInfo& info) {
  Args args(info, "unary");
  const OpInfo& op = parseOp(args, 0);
  const UnaryParams params = parseParams(args, 3, op.op);
  const Floats x = args.floats(1, "x", 0);
  const Floats out = args.floats(2, "out", x.length);
  byBlocks(x.length, [&](size_t i, size_t len) { unaryForward(op.op, at(x.data, i), out.data + i, len, params); });
  return info.Env().Undefined();
}

Napi::Value UnaryBackward(const Napi::CallbackInfo& info) {
  Args args(info, "unaryBackward");
  const OpInfo& op = parseOp(args, 0);
  const UnaryParams params = parseParams(args, 5, op.op);
  const Floats dy = args.floats(3, "dy", 0);
  const Floats x = args.floats(1, "x", op.backwardReadsX ? dy.length : 0);
  const Floats y = args.floats(2, "y", op.backwardReadsY ? dy.length : 0);
  const Floats out = args.floats(4, "out", dy.length);
  byBlocks(dy.length, [&](size_t i, size_t len) {
    unaryBackward(op.op, at(x.data, i), at(y.data, i), dy.data + i, out.data + i, len, params);
  });
  return info.Env().Undefined();
}

}  // namespace nabla
