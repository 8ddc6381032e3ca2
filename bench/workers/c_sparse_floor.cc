// The sparse workload's memory floor: only the table work a step cannot avoid, in a bare C++ loop, one
// thread. Per batch (1 or 32 emails, in order): each email's bag sums its ids' weight rows (asking 64 ids
// ahead, as nabla's gather), then FTRL updates the batch's distinct rows (found before the clock starts)
// with n and z interleaved (asking 16 rows ahead, as nabla's update); weights, n and z are fresh and
// written front to back in 2 MB pages before each pass, as nabla's longLivedFloats. No sort, no autograd,
// no loss: what is left of a pass when everything but the rows' memory traffic and FTRL's arithmetic is
// taken away. Its 2^24-bucket speed over its 2^16 one is what the table's size costs on this machine.
//
// Built by bench/sparse.ts (g++ -O2 -march=native); run as `c_sparse_floor '<SparseJob json>'` (reads
// dataFile, batch and trials from it); prints a SparseResult line.
#include <sys/mman.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

constexpr int kDim = 2;           // two classes: a row of two weights
constexpr int kGatherAhead = 64;  // ids
constexpr int kUpdateAhead = 16;  // rows

// The integer after "key": in the job's JSON (a flat object written by bench/sparse.ts).
long field(const std::string& json, const char* key, long fallback) {
  const std::string k = std::string("\"") + key + "\":";
  const size_t at = json.find(k);
  return at == std::string::npos ? fallback : std::strtol(json.c_str() + at + k.size(), nullptr, 10);
}

std::string stringField(const std::string& json, const char* key) {
  const std::string k = std::string("\"") + key + "\":\"";
  const size_t at = json.find(k);
  if (at == std::string::npos) return "";
  const size_t begin = at + k.size();
  return json.substr(begin, json.find('"', begin) - begin);
}

float* longLived(size_t n, float value) {
  const size_t huge = size_t{2} << 20, bytes = (n * sizeof(float) + huge - 1) / huge * huge;
  float* p = static_cast<float*>(std::aligned_alloc(huge, bytes));
  if (p == nullptr) std::exit(2);
  madvise(p, bytes, MADV_HUGEPAGE);
  std::fill(p, p + n, value);
  return p;
}

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

// This process's own peak resident set, bytes (VmHWM starts again at exec; getrusage's keeps the parent's).
long peakRss() {
  FILE* status = std::fopen("/proc/self/status", "r");
  long kb = -1;
  char line[256];
  while (status != nullptr && std::fgets(line, sizeof line, status) != nullptr) {
    if (std::sscanf(line, "VmHWM: %ld kB", &kb) == 1) break;
  }
  if (status != nullptr) std::fclose(status);
  if (kb >= 0) return kb * 1024;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss * 1024L;
}

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "c_sparse_floor: %s\n", message.c_str());
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: c_sparse_floor '<job json>'\n");
    return 1;
  }
  const std::string job = argv[1];
  const std::string path = stringField(job, "dataFile");
  const long batch = field(job, "batch", 1), trials = field(job, "trials", 3);
  if (batch < 1 || trials < 1) fail("batch and trials must be ≥ 1, got " + std::to_string(batch) + " and " + std::to_string(trials));
  FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) fail("cannot open '" + path + "'");
  std::fseek(file, 0, SEEK_END);
  const long bytes = std::ftell(file);
  if (bytes < 12) fail("'" + path + "' has " + std::to_string(bytes) + " bytes, not a data file (bench/sparse-data.ts)");
  std::vector<int32_t> raw(static_cast<size_t>(bytes) / 4);
  std::fseek(file, 0, SEEK_SET);
  if (std::fread(raw.data(), 4, raw.size(), file) != raw.size()) fail("cannot read '" + path + "'");
  std::fclose(file);
  const long documents = raw[0], total = raw[1], buckets = raw[2];
  // [documents, total ids, buckets], starts (documents + 1), ids (total), labels (documents).
  if (documents < 1 || total < 0 || buckets < 1 || static_cast<size_t>(4 + 2 * documents + total) != raw.size()) fail("'" + path + "' is not a data file of bench/sparse-data.ts");
  const int32_t* starts = raw.data() + 3;
  const int32_t* ids = raw.data() + 4 + documents;
  for (long d = 0; d < documents; d++) {
    if (starts[d] < 0 || starts[d] > starts[d + 1] || starts[d + 1] > total) fail("document " + std::to_string(d) + "'s ids are out of order");
  }
  for (long k = 0; k < total; k++) {
    if (ids[k] < 0 || ids[k] >= buckets) fail("id " + std::to_string(ids[k]) + " at " + std::to_string(k) + " is outside the " + std::to_string(buckets) + " buckets");
  }

  // Each batch's distinct rows, ascending (nabla finds them in the backward; here before the clock).
  std::vector<std::vector<int32_t>> rows;
  for (int i = 0; i < documents; i += batch) {
    const int end = std::min<int>(documents, i + batch);
    std::vector<int32_t> r(ids + starts[i], ids + starts[end]);
    std::sort(r.begin(), r.end());
    r.erase(std::unique(r.begin(), r.end()), r.end());
    rows.push_back(std::move(r));
  }

  const double lr = 0.1, l1 = 1, l2Total = 2 * (1 + 1 / (2 * lr));
  std::vector<double> speeds;
  double checksum = 0;
  std::vector<double> bags(static_cast<size_t>(batch) * kDim);
  for (long t = 0; t < trials; t++) {
    const size_t n = static_cast<size_t>(buckets) * kDim;
    float* w = longLived(n, 0);
    float* nz = longLived(2 * n, 0);
    for (size_t i = 0; i < 2 * n; i += 2) nz[i] = 0.1f;
    const double start = now();
    size_t b = 0;
    for (int i = 0; i < documents; i += batch, b++) {
      const int end = std::min<int>(documents, i + batch);
      const int32_t last = starts[end];
      for (int k = starts[i]; k < std::min(starts[i] + kGatherAhead, last); k++) __builtin_prefetch(w + static_cast<size_t>(ids[k]) * kDim, 1, 3);
      for (int d = i; d < end; d++) {
        double a0 = 0, a1 = 0;
        for (int k = starts[d]; k < starts[d + 1]; k++) {
          if (k + kGatherAhead < last) __builtin_prefetch(w + static_cast<size_t>(ids[k + kGatherAhead]) * kDim, 1, 3);
          const float* row = w + static_cast<size_t>(ids[k]) * kDim;
          a0 += row[0];
          a1 += row[1];
        }
        bags[(d - i) * kDim] = a0;
        bags[(d - i) * kDim + 1] = a1;
      }
      // A gradient per row from its batch's bags (its value does not change the memory traffic).
      const double g0 = 0.01 * std::tanh(bags[0]), g1 = -g0;
      const std::vector<int32_t>& r = rows[b];
      const size_t m = r.size();
      for (size_t k = 0; k < std::min<size_t>(kUpdateAhead, m); k++) {
        __builtin_prefetch(w + static_cast<size_t>(r[k]) * kDim, 1, 3);
        __builtin_prefetch(nz + static_cast<size_t>(r[k]) * 2 * kDim, 1, 3);
      }
      for (size_t k = 0; k < m; k++) {
        if (k + kUpdateAhead < m) {
          __builtin_prefetch(w + static_cast<size_t>(r[k + kUpdateAhead]) * kDim, 1, 3);
          __builtin_prefetch(nz + static_cast<size_t>(r[k + kUpdateAhead]) * 2 * kDim, 1, 3);
        }
        float* wr = w + static_cast<size_t>(r[k]) * kDim;
        float* nzr = nz + static_cast<size_t>(r[k]) * 2 * kDim;
        for (int j = 0; j < kDim; j++) {
          const double g = j == 0 ? g0 : g1, wj = wr[j];
          const double before = std::sqrt(static_cast<double>(nzr[2 * j]));
          nzr[2 * j] = static_cast<float>(nzr[2 * j] + g * g);
          const double after = std::sqrt(static_cast<double>(nzr[2 * j]));
          nzr[2 * j + 1] = static_cast<float>(nzr[2 * j + 1] + g - ((after - before) / lr) * wj);
          const double z = nzr[2 * j + 1];
          wr[j] = std::fabs(z) <= l1 ? 0.0f : static_cast<float>(((z > 0 ? 1 : -1) * l1 - z) / (after / lr + l2Total));
        }
      }
    }
    speeds.push_back(documents / (now() - start));
    for (size_t i = 0; i < n; i += 4099) checksum += w[i];
    std::free(w);
    std::free(nz);
  }
  std::printf("{\"examplesPerSec\":%.3f,\"trials\":[", *std::max_element(speeds.begin(), speeds.end()));
  for (size_t t = 0; t < speeds.size(); t++) std::printf("%s%.3f", t ? "," : "", speeds[t]);
  std::printf("],\"peakRss\":%ld,\"loss\":%.6g,\"version\":\"bare C++ loop (g++ -O2), 1 thread\"}\n", peakRss(), checksum);
  return 0;
}
