#include "args.h"

#include <cmath>
#include <cstdio>

namespace nabla {

namespace {

constexpr double kMaxSize = 2147483647.0;

std::string formatNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

const char* typedArrayName(napi_typedarray_type type) {
  switch (type) {
    case napi_int8_array: return "Int8Array";
    case napi_uint8_array: return "Uint8Array";
    case napi_uint8_clamped_array: return "Uint8ClampedArray";
    case napi_int16_array: return "Int16Array";
    case napi_uint16_array: return "Uint16Array";
    case napi_int32_array: return "Int32Array";
    case napi_uint32_array: return "Uint32Array";
    case napi_float32_array: return "Float32Array";
    case napi_float64_array: return "Float64Array";
    case napi_bigint64_array: return "BigInt64Array";
    case napi_biguint64_array: return "BigUint64Array";
    default: return "typed array";
  }
}

// What a value is, for "got …" in messages.
std::string describe(const Napi::Value& v) {
  switch (v.Type()) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return v.As<Napi::Boolean>().Value() ? "true" : "false";
    case napi_number: return formatNumber(v.As<Napi::Number>().DoubleValue());
    case napi_string: return "a string";
    case napi_symbol: return "a symbol";
    case napi_bigint: return "a bigint";
    case napi_function: return "a function";
    default:
      if (v.IsTypedArray()) return typedArrayName(v.As<Napi::TypedArray>().TypedArrayType());
      if (v.IsArrayBuffer()) return "an ArrayBuffer";
      if (v.IsArray()) return "an array";
      return "an object";
  }
}

}  // namespace

std::string formatShape(const Shape& shape) {
  std::string s = "[";
  for (size_t d = 0; d < shape.size(); d++) {
    if (d > 0) s += ',';
    s += std::to_string(shape[d]);
  }
  return s + "]";
}

void Args::fail(const std::string& message) const {
  throw Napi::Error::New(info_.Env(), std::string(kernel_) + ": " + message);
}

Napi::Value Args::at(size_t i) const { return info_[i]; }

bool Args::boolean(size_t i, const char* name) const {
  Napi::Value v = at(i);
  if (!v.IsBoolean()) fail(std::string(name) + " must be a boolean, got " + describe(v));
  return v.As<Napi::Boolean>().Value();
}

double Args::number(size_t i, const char* name) const {
  Napi::Value v = at(i);
  if (!v.IsNumber()) fail(std::string(name) + " must be a number, got " + describe(v));
  return v.As<Napi::Number>().DoubleValue();
}

std::string Args::string(size_t i, const char* name) const {
  Napi::Value v = at(i);
  if (!v.IsString()) fail(std::string(name) + " must be a string, got " + describe(v));
  return v.As<Napi::String>().Utf8Value();
}

static bool isSize(double v) { return std::isfinite(v) && v >= 0 && v <= kMaxSize && v == std::floor(v); }

int64_t Args::size(size_t i, const char* name) const {
  Napi::Value v = at(i);
  if (!v.IsNumber() || !isSize(v.As<Napi::Number>().DoubleValue())) {
    fail(std::string(name) + " must be an integer in [0, 2147483647], got " + describe(v));
  }
  return static_cast<int64_t>(v.As<Napi::Number>().DoubleValue());
}

Shape Args::shape(size_t i, const char* name) const {
  Napi::Value v = at(i);
  if (!v.IsArray()) fail(std::string(name) + " must be an array of sizes, got " + describe(v));
  Napi::Array array = v.As<Napi::Array>();
  uint32_t rank = array.Length();
  if (rank > kMaxRank) fail(std::string(name) + " has " + std::to_string(rank) + " dimensions, at most 64 are supported");
  Shape shape(rank);
  for (uint32_t d = 0; d < rank; d++) {
    Napi::Value e = array.Get(d);
    if (!e.IsNumber() || !isSize(e.As<Napi::Number>().DoubleValue())) {
      fail(std::string(name) + "[" + std::to_string(d) + "] must be an integer in [0, 2147483647], got " + describe(e));
    }
    shape[d] = static_cast<int64_t>(e.As<Napi::Number>().DoubleValue());
  }
  return shape;
}

double Args::optionalField(size_t i, const char* name, const char* field, double fallback) const {
  Napi::Value v = at(i);
  if (v.IsUndefined()) return fallback;
  if (!v.IsObject() || v.IsArray()) fail(std::string(name) + " must be an object, got " + describe(v));
  Napi::Value f = v.As<Napi::Object>().Get(field);
  if (f.IsUndefined()) return fallback;
  if (!f.IsNumber()) fail(std::string(name) + "." + field + " must be a number, got " + describe(f));
  return f.As<Napi::Number>().DoubleValue();
}

uint64_t Args::elements(const Shape& shape, const char* name) const {
  uint64_t n = 1;
  for (int64_t d : shape) {
    if (__builtin_mul_overflow(n, static_cast<uint64_t>(d), &n)) {
      fail(std::string(name) + " " + formatShape(shape) + " has too many elements");
    }
  }
  return n;
}

Floats Args::floats(size_t i, const char* name, uint64_t minLength) const {
  Napi::Value v = at(i);
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    fail(std::string(name) + " must be a Float32Array, got " + describe(v));
  }
  napi_env env = info_.Env();
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  napi_value buffer;
  size_t offset = 0;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, &buffer, &offset) != napi_ok) {
    fail(std::string(name) + ": cannot read the Float32Array");
  }
  bool detached = false;
  // Fails (and leaves `detached` false) for a SharedArrayBuffer, which cannot be detached.
  if (napi_is_detached_arraybuffer(env, buffer, &detached) == napi_ok && detached) {
    fail(std::string(name) + "'s buffer is detached");
  }
  if (length < minLength) {
    fail(std::string(name) + " has " + std::to_string(length) + " elements, needs at least " + std::to_string(minLength));
  }
  if (data == nullptr && length > 0) fail(std::string(name) + " has no storage");
  return {static_cast<float*>(data), length};
}

}  // namespace nabla
