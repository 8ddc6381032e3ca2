#include "fields.h"

#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

namespace nabla {

namespace {

// What a value is, for "got …" in messages.
std::string describe(const Napi::Value& v) {
  if (v.IsUndefined()) return "undefined";
  if (v.IsNull()) return "null";
  if (v.IsBoolean()) return v.As<Napi::Boolean>().Value() ? "true" : "false";
  if (v.IsNumber()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v.As<Napi::Number>().DoubleValue());
    return buf;
  }
  if (v.IsString()) return "a string";
  if (v.IsTypedArray()) {
    switch (v.As<Napi::TypedArray>().TypedArrayType()) {
      case napi_float32_array: return "Float32Array";
      case napi_float64_array: return "Float64Array";
      case napi_int32_array: return "Int32Array";
      case napi_uint8_array: return "Uint8Array";
      default: return "a typed array";
    }
  }
  if (v.IsArray()) return "an array";
  if (v.IsFunction()) return "a function";
  return v.IsObject() ? "an object" : "a symbol or bigint";
}

}  // namespace

Fields::Fields(const Args& args, const Napi::CallbackInfo& info, size_t i, const char* name) : Fields(args, info[i], name) {}

Fields::Fields(const Args& args, Napi::Value v, std::string name) : args_(args), name_(std::move(name)) {
  if (!v.IsObject() || v.IsArray() || v.IsTypedArray() || v.IsFunction()) {
    args.fail(name_ + " must be an object, got " + describe(v));
  }
  object_ = v.As<Napi::Object>();
}

Fields Fields::child(const char* field) const { return Fields(args_, get(field), name_ + "." + field); }

Napi::Value Fields::get(const char* field) const { return object_.Get(field); }

double Fields::number(const char* field) const {
  Napi::Value v = get(field);
  if (!v.IsNumber()) args_.fail(name_ + "." + field + " must be a number, got " + describe(v));
  return v.As<Napi::Number>().DoubleValue();
}

int64_t Fields::size(const char* field) const {
  Napi::Value v = get(field);
  const double d = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : -1;
  if (!std::isfinite(d) || d < 0 || d > 2147483647.0 || d != std::floor(d)) {
    args_.fail(name_ + "." + field + " must be an integer in [0, 2147483647], got " + describe(v));
  }
  return static_cast<int64_t>(d);
}

bool Fields::boolean(const char* field) const {
  Napi::Value v = get(field);
  if (!v.IsBoolean()) args_.fail(name_ + "." + field + " must be a boolean, got " + describe(v));
  return v.As<Napi::Boolean>().Value();
}

bool Fields::optionalBoolean(const char* field, bool fallback) const {
  return get(field).IsUndefined() ? fallback : boolean(field);
}

bool Fields::optionalString(const char* field, std::string* out) const {
  Napi::Value v = get(field);
  if (v.IsUndefined() || v.IsNull()) return false;
  if (!v.IsString()) args_.fail(name_ + "." + field + " must be a string, got " + describe(v));
  *out = v.As<Napi::String>().Utf8Value();
  return true;
}

Floats optionalFloats(const Args& args, const Napi::CallbackInfo& info, size_t i, const char* name, uint64_t minLength) {
  if (info[i].IsNull()) return {nullptr, 0};
  return args.floats(i, name, minLength);
}

namespace {

// The typed array of `type` at i (named `typeName` in messages), holding at least minLength elements; not detached.
void* typedArray(const Args& args, const Napi::CallbackInfo& info, size_t i, const char* name, uint64_t minLength,
                 napi_typedarray_type type, const char* typeName, size_t* length) {
  Napi::Value v = info[i];
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != type) {
    const char* article = type == napi_uint8_array ? " must be a " : " must be an ";
    args.fail(std::string(name) + article + typeName + ", got " + describe(v));
  }
  napi_env env = info.Env();
  napi_typedarray_type actual;
  void* data = nullptr;
  napi_value buffer;
  size_t offset = 0;
  if (napi_get_typedarray_info(env, v, &actual, length, &data, &buffer, &offset) != napi_ok) {
    args.fail(std::string(name) + ": cannot read the " + typeName);
  }
  bool detached = false;
  if (napi_is_detached_arraybuffer(env, buffer, &detached) == napi_ok && detached) {
    args.fail(std::string(name) + "'s buffer is detached");
  }
  if (*length < minLength) {
    args.fail(std::string(name) + " has " + std::to_string(*length) + " elements, needs at least " + std::to_string(minLength));
  }
  if (data == nullptr && *length > 0) args.fail(std::string(name) + " has no storage");
  return data;
}

}  // namespace

Ints ints(const Args& args, const Napi::CallbackInfo& info, size_t i, const char* name, uint64_t minLength) {
  size_t length = 0;
  void* data = typedArray(args, info, i, name, minLength, napi_int32_array, "Int32Array", &length);
  return {static_cast<int32_t*>(data), length};
}

Bytes bytes(const Args& args, const Napi::CallbackInfo& info, size_t i, const char* name, uint64_t minLength) {
  size_t length = 0;
  void* data = typedArray(args, info, i, name, minLength, napi_uint8_array, "Uint8Array", &length);
  return {static_cast<uint8_t*>(data), length};
}

}  // namespace nabla
