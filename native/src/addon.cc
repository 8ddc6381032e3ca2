// The nabla native backend's entry: exports the kernels that override the js ones.
#include <napi.h>

#include "kernels.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  nabla::tuneMalloc();
  exports.Set("gemm", Napi::Function::New(env, nabla::Gemm, "gemm"));
  exports.Set("gemmBatch", Napi::Function::New(env, nabla::GemmBatch, "gemmBatch"));
  exports.Set("gemmAsync", Napi::Function::New(env, nabla::GemmAsync, "gemmAsync"));
  exports.Set("gemmWait", Napi::Function::New(env, nabla::GemmWait, "gemmWait"));
  exports.Set("unary", Napi::Function::New(env, nabla::Unary, "unary"));
  exports.Set("unaryBackward", Napi::Function::New(env, nabla::UnaryBackward, "unaryBackward"));
  exports.Set("binary", Napi::Function::New(env, nabla::Binary, "binary"));
  exports.Set("reduce", Napi::Function::New(env, nabla::Reduce, "reduce"));
  exports.Set("softmax", Napi::Function::New(env, nabla::Softmax, "softmax"));
  exports.Set("softmaxBackward", Napi::Function::New(env, nabla::SoftmaxBackward, "softmaxBackward"));
  exports.Set("batchNorm", Napi::Function::New(env, nabla::BatchNorm, "batchNorm"));
  exports.Set("batchNormBackward", Napi::Function::New(env, nabla::BatchNormBackward, "batchNormBackward"));
  exports.Set("batchNormMaxPool2d", Napi::Function::New(env, nabla::BatchNormMaxPool2d, "batchNormMaxPool2d"));
  exports.Set("batchNormMaxPool2dBackward", Napi::Function::New(env, nabla::BatchNormMaxPool2dBackward, "batchNormMaxPool2dBackward"));
  exports.Set("layerNorm", Napi::Function::New(env, nabla::LayerNorm, "layerNorm"));
  exports.Set("layerNormBackward", Napi::Function::New(env, nabla::LayerNormBackward, "layerNormBackward"));
  exports.Set("crossEntropy", Napi::Function::New(env, nabla::CrossEntropy, "crossEntropy"));
  exports.Set("crossEntropyBackward", Napi::Function::New(env, nabla::CrossEntropyBackward, "crossEntropyBackward"));
  exports.Set("conv2d", Napi::Function::New(env, nabla::Conv2d, "conv2d"));
  exports.Set("conv2dBackward", Napi::Function::New(env, nabla::Conv2dBackward, "conv2dBackward"));
  exports.Set("maxPool2d", Napi::Function::New(env, nabla::MaxPool2d, "maxPool2d"));
  exports.Set("maxPool2dBackward", Napi::Function::New(env, nabla::MaxPool2dBackward, "maxPool2dBackward"));
  exports.Set("avgPool2d", Napi::Function::New(env, nabla::AvgPool2d, "avgPool2d"));
  exports.Set("avgPool2dBackward", Napi::Function::New(env, nabla::AvgPool2dBackward, "avgPool2dBackward"));
  exports.Set("dropoutMask", Napi::Function::New(env, nabla::DropoutMask, "dropoutMask"));
  exports.Set("dropout", Napi::Function::New(env, nabla::Dropout, "dropout"));
  exports.Set("dropoutBackward", Napi::Function::New(env, nabla::DropoutBackward, "dropoutBackward"));
  exports.Set("attention", Napi::Function::New(env, nabla::Attention, "attention"));
  exports.Set("attentionBackward", Napi::Function::New(env, nabla::AttentionBackward, "attentionBackward"));
  exports.Set("adamUpdate", Napi::Function::New(env, nabla::AdamUpdate, "adamUpdate"));
  exports.Set("sgdUpdate", Napi::Function::New(env, nabla::SgdUpdate, "sgdUpdate"));
  exports.Set("copyStrided", Napi::Function::New(env, nabla::CopyStrided, "copyStrided"));
  exports.Set("firstNonFinite", Napi::Function::New(env, nabla::FirstNonFinite, "firstNonFinite"));
  exports.Set("sumOfSquares", Napi::Function::New(env, nabla::SumOfSquares, "sumOfSquares"));
  exports.Set("uniqueRows", Napi::Function::New(env, nabla::UniqueRows, "uniqueRows"));
  exports.Set("lookupRows", Napi::Function::New(env, nabla::LookupRows, "lookupRows"));
  exports.Set("adviseHugePages", Napi::Function::New(env, nabla::AdviseHugePages, "adviseHugePages"));
  exports.Set("embeddingBag", Napi::Function::New(env, nabla::EmbeddingBag, "embeddingBag"));
  exports.Set("embeddingBagBackward", Napi::Function::New(env, nabla::EmbeddingBagBackward, "embeddingBagBackward"));
  exports.Set("sparseSgdUpdate", Napi::Function::New(env, nabla::SparseSgdUpdate, "sparseSgdUpdate"));
  exports.Set("sparseAdagradUpdate", Napi::Function::New(env, nabla::SparseAdagradUpdate, "sparseAdagradUpdate"));
  exports.Set("sparseFtrlUpdate", Napi::Function::New(env, nabla::SparseFtrlUpdate, "sparseFtrlUpdate"));
  exports.Set("sparseAdamUpdate", Napi::Function::New(env, nabla::SparseAdamUpdate, "sparseAdamUpdate"));
  exports.Set("lstmCell", Napi::Function::New(env, nabla::LstmCell, "lstmCell"));
  exports.Set("lstmCellBackward", Napi::Function::New(env, nabla::LstmCellBackward, "lstmCellBackward"));
  exports.Set("gruCell", Napi::Function::New(env, nabla::GruCell, "gruCell"));
  exports.Set("gruCellBackward", Napi::Function::New(env, nabla::GruCellBackward, "gruCellBackward"));
  return exports;
}

}  // namespace

NODE_API_MODULE(nabla, Init)
