// lstmCell, lstmCellBackward, gruCell, gruCellBackward: the pointwise parts of one LSTM or GRU time
// step (js/recurrent-cells.ts is the reference). One pass over the step's gates, in float32
// arithmetic with glibc's vector expf/tanhf, so a row of units runs 8 or 16 lanes at a time; the
// results stay within a few float ulps of the js loops' double arithmetic. A step is small
// (batch × hidden values, 8K in the benchmark's LSTM) and sits between two products: one thread.
#include "vector-math.h"
// (vector-math.h first: it must be the first to include <math.h>.)
#include <cstdint>

#include "args.h"
#include "kernels.h"
#include "simd.h"

namespace nabla {

namespace {

// As the unary kernel's sigmoid: e^−|x| never overflows.
inline float sigmoid(float x) {
  const float e = expf(-fabsf(x));
  const float r = 1.0f / (1.0f + e);
  return x >= 0 ? r : e * r;
}

NABLA_CLONES
void lstmRow(float* __restrict gates, const float* __restrict cPrev, float* __restrict c, float* __restrict h, int64_t hidden) {
  float* gi = gates;
  float* gf = gates + hidden;
  float* gg = gates + 2 * hidden;
  float* go = gates + 3 * hidden;
  for (int64_t j = 0; j < hidden; j++) {
    const float i = sigmoid(gi[j]);
    const float f = sigmoid(gf[j]);
    const float g = tanhf(gg[j]);
    const float o = sigmoid(go[j]);
    gi[j] = i;
    gf[j] = f;
    gg[j] = g;
    go[j] = o;
    const float cell = f * cPrev[j] + i * g;
    c[j] = cell;
    h[j] = o * tanhf(cell);
  }
}

NABLA_CLONES
void lstmBackwardRow(const float* __restrict gates, const float* __restrict cPrev, const float* __restrict c,
                     const float* __restrict dhOut, const float* __restrict dh, float* __restrict dc,
                     float* __restrict dGates, int64_t hidden) {
  const float* gi = gates;
  const float* gf = gates + hidden;
  const float* gg = gates + 2 * hidden;
  const float* go = gates + 3 * hidden;
  for (int64_t j = 0; j < hidden; j++) {
    const float i = gi[j], f = gf[j], g = gg[j], o = go[j];
    const float tc = tanhf(c[j]);
    const float dhTotal = dh[j] + dhOut[j];
    const float dcTotal = dc[j] + dhTotal * o * (1.0f - tc * tc);
    dGates[j] = dcTotal * g * i * (1.0f - i);
    dGates[hidden + j] = dcTotal * cPrev[j] * f * (1.0f - f);
    dGates[2 * hidden + j] = dcTotal * i * (1.0f - g * g);
    dGates[3 * hidden + j] = dhTotal * tc * o * (1.0f - o);
    dc[j] = dcTotal * f;
  }
}

NABLA_CLONES
void gruRow(float* __restrict gates, const float* __restrict hGates, const float* __restrict hPrev, float* __restrict h, int64_t hidden) {
  float* gr = gates;
  float* gz = gates + hidden;
  float* gn = gates + 2 * hidden;
  for (int64_t j = 0; j < hidden; j++) {
    const float r = sigmoid(gr[j] + hGates[j]);
    const float z = sigmoid(gz[j] + hGates[hidden + j]);
    const float n = tanhf(gn[j] + r * hGates[2 * hidden + j]);
    gr[j] = r;
    gz[j] = z;
    gn[j] = n;
    h[j] = (1.0f - z) * n + z * hPrev[j];
  }
}

NABLA_CLONES
void gruBackwardRow(const float* __restrict gates, const float* __restrict hGates, const float* __restrict hPrev,
                    const float* __restrict dhOut, float* __restrict dh, float* __restrict dGates,
                    float* __restrict dhGates, int64_t hidden) {
  const float* gr = gates;
  const float* gz = gates + hidden;
  const float* gn = gates + 2 * hidden;
  for (int64_t j = 0; j < hidden; j++) {
    const float r = gr[j], z = gz[j], n = gn[j];
    const float dhTotal = dh[j] + dhOut[j];
    const float dn = dhTotal * (1.0f - z) * (1.0f - n * n);
    const float dz = dhTotal * (hPrev[j] - n) * z * (1.0f - z);
    const float dr = dn * hGates[2 * hidden + j] * r * (1.0f - r);
    dGates[j] = dr;
    dGates[hidden + j] = dz;
    dGates[2 * hidden + j] = dn;
    dhGates[j] = dr;
    dhGates[hidden + j] = dz;
    dhGates[2 * hidden + j] = dn * r;
    dh[j] = dhTotal * z;
  }
}

}  // namespace

// lstmCell(gates, cPrev, batch, hidden, c, h)
Napi::Value LstmCell(const Napi::CallbackInfo& info) {
  Args args(info, "lstmCell");
  const int64_t batch = args.size(2, "batch");
  const int64_t hidden = args.size(3, "hidden");
  const uint64_t units = static_cast<uint64_t>(batch) * hidden;
  const Floats gates = args.floats(0, "gates", 4 * units);
  const Floats cPrev = args.floats(1, "cPrev", units);
  const Floats c = args.floats(4, "c", units);
  const Floats h = args.floats(5, "h", units);
  for (int64_t b = 0; b < batch; b++) {
    lstmRow(gates.data + b * 4 * hidden, cPrev.data + b * hidden, c.data + b * hidden, h.data + b * hidden, hidden);
  }
  return info.Env().Undefined();
}

// lstmCellBackward(gates, cPrev, c, dhOut, dh, dc, batch, hidden, dGates)
Napi::Value LstmCellBackward(const Napi::CallbackInfo& info) {
  Args args(info, "lstmCellBackward");
  const int64_t batch = args.size(6, "batch");
  const int64_t hidden = args.size(7, "hidden");
  const uint64_t units = static_cast<uint64_t>(batch) * hidden;
  const Floats gates = args.floats(0, "gates", 4 * units);
  const Floats cPrev = args.floats(1, "cPrev", units);
  const Floats c = args.floats(2, "c", units);
  const Floats dhOut = args.floats(3, "dhOut", units);
  const Floats dh = args.floats(4, "dh", units);
  const Floats dc = args.floats(5, "dc", units);
  const Floats dGates = args.floats(8, "dGates", 4 * units);
  for (int64_t b = 0; b < batch; b++) {
    const int64_t row = b * hidden;
    lstmBackwardRow(gates.data + 4 * row, cPrev.data + row, c.data + row, dhOut.data + row, dh.data + row, dc.data + row,
                    dGates.data + 4 * row, hidden);
  }
  return info.Env().Undefined();
}

// gruCell(gates, hGates, hPrev, batch, hidden, h)
Napi::Value GruCell(const Napi::CallbackInfo& info) {
  Args args(info, "gruCell");
  const int64_t batch = args.size(3, "batch");
  const int64_t hidden = args.size(4, "hidden");
  const uint64_t units = static_cast<uint64_t>(batch) * hidden;
  const Floats gates = args.floats(0, "gates", 3 * units);
  const Floats hGates = args.floats(1, "hGates", 3 * units);
  const Floats hPrev = args.floats(2, "hPrev", units);
  const Floats h = args.floats(5, "h", units);
  for (int64_t b = 0; b < batch; b++) {
    const int64_t row = b * hidden;
    gruRow(gates.data + 3 * row, hGates.data + 3 * row, hPrev.data + row, h.data + row, hidden);
  }
  return info.Env().Undefined();
}

// gruCellBackward(gates, hGates, hPrev, dhOut, dh, batch, hidden, dGates, dhGates)
Napi::Value GruCellBackward(const Napi::CallbackInfo& info) {
  Args args(info, "gruCellBackward");
  const int64_t batch = args.size(5, "batch");
  const int64_t hidden = args.size(6, "hidden");
  const uint64_t units = static_cast<uint64_t>(batch) * hidden;
  const Floats gates = args.floats(0, "gates", 3 * units);
  const Floats hGates = args.floats(1, "hGates", 3 * units);
  const Floats hPrev = args.floats(2, "hPrev", units);
  const Floats dhOut = args.floats(3, "dhOut", units);
  const Floats dh = args.floats(4, "dh", units);
  const Floats dGates = args.floats(7, "dGates", 3 * units);
  const Floats dhGates = args.floats(8, "dhGates", 3 * units);
  for (int64_t b = 0; b < batch; b++) {
    const int64_t row = b * hidden;
    gruBackwardRow(gates.data + 3 * row, hGates.data + 3 * row, hPrev.data + row, dhOut.data + row, dh.data + row,
                   dGates.data + 3 * row, dhGates.data + 3 * row, hidden);
  }
  return info.Env().Undefined();
}

}  // namespace nabla
