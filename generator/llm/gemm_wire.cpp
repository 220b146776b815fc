#include "llm/gemm_wire.h"

#include <unistd.h>
#include <cstdint>

#include "numerics/error.h"

namespace mixpe {
namespace {

constexpr int32_t kMagic = 0x4d504547;  // "MPEG"

void write_all(int fd, const void* p, size_t n) {
  const char* c = static_cast<const char*>(p);
  while (n > 0) {
    const ssize_t k = write(fd, c, n);
    if (k <= 0) fail("the engine simulator stopped accepting GEMMs (did it crash? run it alone to see)");
    c += k, n -= size_t(k);
  }
}

bool read_all(int fd, void* p, size_t n) {
  char* c = static_cast<char*>(p);
  while (n > 0) {
    const ssize_t k = read(fd, c, n);
    if (k <= 0) return false;
    c += k, n -= size_t(k);
  }
  return true;
}

template <typename T>
void put(int fd, const std::vector<T>& v) {
  std::vector<int32_t> w(v.begin(), v.end());
  write_all(fd, w.data(), w.size() * 4);
}

template <typename T>
void get(int fd, std::vector<T>& v, size_t n) {
  std::vector<int32_t> w(n);
  if (!read_all(fd, w.data(), n * 4)) fail("truncated GEMM request");
  v.assign(w.begin(), w.end());
}

}  // namespace

void write_gemm_request(int fd, const Activations& x, const QuantWeights& w) {
  const int32_t hdr[10] = {kMagic,         x.M(),
                           x.K(),          w.N,
                           w.k_padded,     w.groups(),
                           w.cfg.bits,     int32_t(w.cfg.scheme),
                           int32_t(x.fmt), int32_t(w.cfg.lut.entries.size())};
  write_all(fd, hdr, sizeof hdr);
  put(fd, x.code.data);
  put(fd, x.row_scale);
  put(fd, w.q);
  put(fd, w.scale);
  put(fd, w.zero);
  put(fd, w.cfg.lut.entries);
}

bool read_gemm_request(int fd, Activations& x, QuantWeights& w) {
  int32_t hdr[10];
  if (!read_all(fd, hdr, sizeof hdr)) return false;
  if (hdr[0] != kMagic) fail("bad GEMM request: wrong magic number");
  const int M = hdr[1], K = hdr[2], N = hdr[3];
  if (M == 0) return false;
  if (M < 0 || K <= 0 || N <= 0 || hdr[4] < K || hdr[5] <= 0) fail("bad GEMM request: shape {} x {} x {}", M, K, N);
  x.fmt = ActFormat(hdr[8]);
  x.code = Matrix<int32_t>(M, K);
  get(fd, x.code.data, size_t(M) * size_t(K));
  get(fd, x.row_scale, is_float(x.fmt) ? 0 : size_t(M));
  w.K = K, w.N = N, w.k_padded = hdr[4];
  w.cfg.bits = hdr[6];
  w.cfg.scheme = WeightScheme(hdr[7]);
  w.cfg.group_size = hdr[4] / hdr[5];
  get(fd, w.q, size_t(hdr[4]) * size_t(N));
  get(fd, w.scale, size_t(hdr[5]) * size_t(N));
  get(fd, w.zero, size_t(hdr[5]) * size_t(N));
  get(fd, w.cfg.lut.entries, size_t(hdr[9]));
  return true;
}

void write_gemm_result(int fd, const Matrix<uint32_t>& y) { write_all(fd, y.data.data(), y.data.size() * 4); }

Matrix<uint32_t> read_gemm_result(int fd, int M, int N) {
  Matrix<uint32_t> y(M, N);
  if (!read_all(fd, y.data.data(), y.data.size() * 4))
    fail("the engine simulator ended without an answer (run it alone to see why)");
  return y;
}

}  // namespace mixpe
