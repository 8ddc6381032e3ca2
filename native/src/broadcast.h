// The loop nest of an elementwise kernel over broadcast operands, with the dimensions that can
// be walked as one merged away, so the innermost rows are as long as possible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nabla {

template <size_t Operands>
struct LoopNest {
  std::vector<int64_t> size;                          // dims of the loop, outermost first
  std::vector<int64_t> strides[Operands];             // per operand, in elements (0 = broadcast)

  // Adds a dimension (outermost first), merging it into the previous one when every operand
  // walks both as one contiguous run; size-1 dimensions are dropped.
  void push(int64_t n, const int64_t (&s)[Operands]) {
    if (n == 1) return;
    if (!size.empty()) {
      bool mergeable = true;
      for (size_t t = 0; t < Operands; t++) {
        // The previous (outer) dim must step exactly over this (inner) dim's whole run.
        if (strides[t].back() != s[t] * n) mergeable = false;
      }
      if (mergeable) {
        size.back() *= n;
        for (size_t t = 0; t < Operands; t++) strides[t].back() = s[t];
        return;
      }
    }
    size.push_back(n);
    for (size_t t = 0; t < Operands; t++) strides[t].push_back(s[t]);
  }

  // Calls row(offsets, n) once per innermost row; offsets[t] is the row's start in operand t and
  // strides[t].back() its step along the row.
  template <class Row>
  void forEachRow(Row row) const {
    int64_t offsets[Operands] = {};
    const size_t nd = size.size();
    if (nd == 0) {
      row(offsets, 1);
      return;
    }
    for (int64_t d : size) if (d == 0) return;
    std::vector<int64_t> counter(nd, 0);
    const int64_t n = size[nd - 1];
    for (;;) {
      row(offsets, n);
      // Advance the dims above the row like an odometer, innermost first.
      size_t d = nd - 1;
      for (;;) {
        if (d == 0) return;
        d--;
        counter[d]++;
        for (size_t t = 0; t < Operands; t++) offsets[t] += strides[t][d];
        if (counter[d] < size[d]) break;
        for (size_t t = 0; t < Operands; t++) offsets[t] -= strides[t][d] * size[d];
        counter[d] = 0;
      }
    }
  }
};

}  // namespace nabla
