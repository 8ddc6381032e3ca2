// The kernels the addon exports (each defined in its own file). Signatures follow the
// Backend interface in src/backend/backend.ts.
#pragma once

#include <napi.h>

namespace nabla {

Napi::Value Gemm(const Napi::CallbackInfo& info);
Napi::Value GemmBatch(const Napi::CallbackInfo& info);
Napi::Value GemmAsync(const Napi::CallbackInfo& info);
Napi::Value GemmWait(const Napi::CallbackInfo& info);
Napi::Value Unary(const Napi::CallbackInfo& info);
Napi::Value UnaryBackward(const Napi::CallbackInfo& info);
Napi::Value Binary(const Napi::CallbackInfo& info);
Napi::Value Reduce(const Napi::CallbackInfo& info);
Napi::Value Softmax(const Napi::CallbackInfo& info);
Napi::Value SoftmaxBackward(const Napi::CallbackInfo& info);
Napi::Value BatchNorm(const Napi::CallbackInfo& info);
Napi::Value BatchNormBackward(const Napi::CallbackInfo& info);
Napi::Value BatchNormMaxPool2d(const Napi::CallbackInfo& info);
Napi::Value BatchNormMaxPool2dBackward(const Napi::CallbackInfo& info);
Napi::Value LayerNorm(const Napi::CallbackInfo& info);
Napi::Value LayerNormBackward(const Napi::CallbackInfo& info);
Napi::Value CrossEntropy(const Napi::CallbackInfo& info);
Napi::Value CrossEntropyBackward(const Napi::CallbackInfo& info);
Napi::Value Conv2d(const Napi::CallbackInfo& info);
Napi::Value Conv2dBackward(const Napi::CallbackInfo& info);
Napi::Value MaxPool2d(const Napi::CallbackInfo& info);
Napi::Value MaxPool2dBackward(const Napi::CallbackInfo& info);
Napi::Value AvgPool2d(const Napi::CallbackInfo& info);
Napi::Value AvgPool2dBackward(const Napi::CallbackInfo& info);
Napi::Value DropoutMask(const Napi::CallbackInfo& info);
Napi::Value Dropout(const Napi::CallbackInfo& info);
Napi::Value DropoutBackward(const Napi::CallbackInfo& info);
Napi::Value Attention(const Napi::CallbackInfo& info);
Napi::Value AttentionBackward(const Napi::CallbackInfo& info);
Napi::Value AdamUpdate(const Napi::CallbackInfo& info);
Napi::Value SgdUpdate(const Napi::CallbackInfo& info);
Napi::Value CopyStrided(const Napi::CallbackInfo& info);
Napi::Value FirstNonFinite(const Napi::CallbackInfo& info);
Napi::Value SumOfSquares(const Napi::CallbackInfo& info);
Napi::Value UniqueRows(const Napi::CallbackInfo& info);
Napi::Value LookupRows(const Napi::CallbackInfo& info);
Napi::Value AdviseHugePages(const Napi::CallbackInfo& info);
Napi::Value EmbeddingBag(const Napi::CallbackInfo& info);
Napi::Value EmbeddingBagBackward(const Napi::CallbackInfo& info);
Napi::Value SparseSgdUpdate(const Napi::CallbackInfo& info);
Napi::Value SparseAdagradUpdate(const Napi::CallbackInfo& info);
Napi::Value SparseFtrlUpdate(const Napi::CallbackInfo& info);
Napi::Value SparseAdamUpdate(const Napi::CallbackInfo& info);
Napi::Value LstmCell(const Napi::CallbackInfo& info);
Napi::Value LstmCellBackward(const Napi::CallbackInfo& info);
Napi::Value GruCell(const Napi::CallbackInfo& info);
Napi::Value GruCellBackward(const Napi::CallbackInfo& info);

// Called once when the addon loads (malloc-tuning.cc).
void tuneMalloc();

}  // namespace nabla
