// The kernels the addon exports (each defined in its own file). Signatures follow the
// Backend interface in src/backend/backend.ts.
#pragma once

#include <napi.h>

namespace nabla {

Napi::Value Gemm(const Napi::CallbackInfo& info);
Napi::Value Unary(const Napi::CallbackInfo& info);
Napi::Value UnaryBackward(const Napi::CallbackInfo& info);
Napi::Value Binary(const Napi::CallbackInfo& info);
Napi::Value Reduce(const Napi::CallbackInfo& info);
Napi::Value Softmax(const Napi::CallbackInfo& info);
Napi::Value SoftmaxBackward(const Napi::CallbackInfo& info);

}  // namespace nabla
