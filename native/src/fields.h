// Arguments the Args class does not cover: fields of a params object (read before any buffer
// is taken, see args.h), optional Float32Arrays (null), Int32Arrays and Uint8Arrays.
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>

#include "args.h"

namespace nabla {

// An Int32Array's elements, borrowed for one kernel call.
struct Ints {
  int32_t* data;
  size_t length;
};

// A Uint8Array's elements, borrowed for one kernel call.
struct Bytes {
  uint8_t* data;
  size_t length;
};

class Fields {
 public:
  // info[i] must be a plain object; `name` is its name in messages.
  Fields(const Args& args, const Napi::CallbackInfo& info, size_t i, const char* name);
  // The plain object in field `field` (named `name.field` in messages).
  Fields child(const char* field) const;
  double number(const char* field) const;
  // A number that is an integer in [0, 2^31 − 1].
  int64_t size(const char* field) const;
  bool boolean(const char* field) const;
  // A boolean field that may be absent (undefined → fallback).
  bool optionalBoolean(const char* field, bool fallback) const;
  // A string field that may be absent: false for undefined or null, else the string in *out.
  bool optionalString(const char* field, std::string* out) const;

 private:
  Fields(const Args& args, Napi::Value v, std::string name);
  Napi::Value get(const char* field) const;
  const Args& args_;
  Napi::Object object_;
  std::string name_;
};

// The Float32Array at i, or {nullptr, 0} when info[i] is null.
Floats optionalFloats(const Args& args, const Napi::CallbackInfo& info, size_t i, const char* name, uint64_t minLength);

// The Int32Array at i, holding at least minLength elements; not detached.
Ints ints(const Args& args, const Napi::CallbackInfo& info, size_t i, const char* name, uint64_t minLength);

// The Uint8Array at i (a Node Buffer too), holding at least minLength elements; not detached.
Bytes bytes(const Args& args, const Napi::CallbackInfo& info, size_t i, const char* name, uint64_t minLength);

}  // namespace nabla
