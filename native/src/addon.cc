// The nabla native backend's entry: exports the kernels that override the js ones.
#include <napi.h>

#include "kernels.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("gemm", Napi::Function::New(env, nabla::Gemm, "gemm"));
  exports.Set("unary", Napi::Function::New(env, nabla::Unary, "unary"));
  exports.Set("unaryBackward", Napi::Function::New(env, nabla::UnaryBackward, "unaryBackward"));
  exports.Set("binary", Napi::Function::New(env, nabla::Binary, "binary"));
  exports.Set("reduce", Napi::Function::New(env, nabla::Reduce, "reduce"));
  exports.Set("softmax", Napi::Function::New(env, nabla::Softmax, "softmax"));
  exports.Set("softmaxBackward", Napi::Function::New(env, nabla::SoftmaxBackward, "softmaxBackward"));
  return exports;
}

}  // namespace

NODE_API_MODULE(nabla, Init)
