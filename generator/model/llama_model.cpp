#include "model/llama_model.h"

#include <unistd.h>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <new>

#include "numerics/error.h"
#include "numerics/user_text.h"

namespace mixpe {
namespace {

// Floats the checkpoint holds after its header, in file order (llama2.c legacy layout).
uint64_t expected_floats(const LlamaConfig& c) {
  const uint64_t d = uint64_t(c.dim), h = uint64_t(c.hidden_dim), L = uint64_t(c.n_layers);
  const uint64_t kv = uint64_t(c.kv_dim()), v = uint64_t(c.vocab_size);
  uint64_t n = v * d;                                      // token embedding
  n += L * d;                                              // rms_att
  n += L * d * d + 2 * L * kv * d + L * d * d;             // wq, wk, wv, wo
  n += L * d;                                              // rms_ffn
  n += 3 * L * h * d;                                      // w1, w2, w3
  n += d;                                                  // rms_final
  n += uint64_t(c.max_seq_len) * uint64_t(c.head_size());  // freq_cis real + imag (head_size/2 each)
  if (!c.shared_classifier) n += v * d;
  return n;
}

void check_header(const LlamaConfig& c) {
  auto in_range = [](const char* what, int v, int lo, int hi) {
    if (v < lo || v > hi)
      fail("model header: {} = {} is out of range [{}, {}]: not a llama2.c checkpoint?", what, v, lo, hi);
  };
  in_range("dim", c.dim, 1, 1 << 16);
  in_range("hidden_dim", c.hidden_dim, 1, 1 << 18);
  in_range("n_layers", c.n_layers, 1, 1024);
  in_range("n_heads", c.n_heads, 1, 1024);
  in_range("n_kv_heads", c.n_kv_heads, 1, c.n_heads);
  in_range("vocab_size", c.vocab_size, 1, 1 << 20);
  in_range("max_seq_len", c.max_seq_len, 1, 1 << 20);
  if (c.dim % c.n_heads != 0) fail("model header: dim {} is not a multiple of n_heads {}", c.dim, c.n_heads);
  if (c.n_heads % c.n_kv_heads != 0)
    fail("model header: n_heads {} is not a multiple of n_kv_heads {}", c.n_heads, c.n_kv_heads);
  if (c.head_size() % 2 != 0) fail("model header: head size {} is odd; RoPE needs it even", c.head_size());
}

}  // namespace

LlamaModel load_llama_model(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    fail("model file '{}' is not a regular file: give the path of a llama2.c checkpoint", shorten(path));
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  if (!f) fail("cannot open model file '{}': check the path", shorten(path));
  const uint64_t size = uint64_t(f.tellg());
  f.seekg(0);
  int32_t hdr[7];
  if (size < sizeof hdr) fail("model file '{}' is {} bytes: too short for the 28-byte header", shorten(path), size);
  if (!f.read(reinterpret_cast<char*>(hdr), sizeof hdr)) fail("model file '{}': cannot read its header", shorten(path));
  // a negative vocab_size marks an unshared classifier: check the range before negating it
  if (hdr[5] < -(1 << 20) || hdr[5] == 0)
    fail("model header: vocab_size = {} is out of range [1, {}] (negative: unshared classifier)", hdr[5], 1 << 20);
  LlamaModel m;
  m.cfg = {hdr[0], hdr[1], hdr[2], hdr[3], hdr[4], hdr[5] < 0 ? -hdr[5] : hdr[5], hdr[6], hdr[5] > 0};
  check_header(m.cfg);
  const uint64_t floats = expected_floats(m.cfg);
  const uint64_t want = sizeof hdr + floats * 4;
  if (size != want)
    fail("model file '{}' is {} bytes but its header implies {} bytes: the file is {}", shorten(path), size, want,
         size < want ? "truncated" : "oversized (or not version 0)");
  // more than the machine's memory: refuse before trying (an allocation could succeed lazily and
  // leave the out-of-memory killer to end the process)
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  if (pages > 0 && page > 0 && floats * 4 > uint64_t(pages) * uint64_t(page))
    fail("model file '{}' needs {} MiB of memory for its {} weights; this machine has {} MiB", shorten(path),
         floats * 4 >> 20, floats, (uint64_t(pages) * uint64_t(page)) >> 20);
  try {
    m.data.resize(floats);
  } catch (const std::bad_alloc&) {
    fail("model file '{}' needs {} MiB of memory for its {} weights: not available here", shorten(path),
         floats * 4 >> 20, floats);
  }
  f.read(reinterpret_cast<char*>(m.data.data()), std::streamsize(floats * 4));
  if (!f) fail("model file '{}': read failed", shorten(path));
  // NaN or Inf weights are refused for every backend: no result computed from them means anything
  for (size_t i = 0; i < m.data.size(); ++i)
    if (!std::isfinite(m.data[i]))
      fail("model file '{}': weight {} (byte offset {}) is {}: the checkpoint is corrupt", shorten(path), i, 28 + 4 * i,
           m.data[i]);
  return m;
}

std::vector<LinearWeight> LlamaModel::linear_layers() const {
  const LlamaConfig& c = cfg;
  const size_t d = size_t(c.dim), h = size_t(c.hidden_dim), L = size_t(c.n_layers), kv = size_t(c.kv_dim());
  const size_t v = size_t(c.vocab_size);
  // Offsets of each tensor, following the file layout.
  size_t off = 0;
  const size_t emb = off;
  off += v * d;
  off += L * d;  // rms_att
  const size_t wq = off;
  off += L * d * d;
  const size_t wk = off;
  off += L * kv * d;
  const size_t wv = off;
  off += L * kv * d;
  const size_t wo = off;
  off += L * d * d;
  off += L * d;  // rms_ffn
  const size_t w1 = off;
  off += L * h * d;
  const size_t w2 = off;
  off += L * d * h;
  const size_t w3 = off;
  off += L * h * d;
  off += d + size_t(c.max_seq_len) * size_t(c.head_size());
  const size_t cls = c.shared_classifier ? emb : off;

  // nn.Linear (out, in) at `base` -> K x N = in x out
  auto linear = [&](std::string name, size_t base, size_t out, size_t in) {
    Matrix<float> w{int(in), int(out)};
    for (size_t o = 0; o < out; ++o)
      for (size_t i = 0; i < in; ++i) w.at(int(i), int(o)) = data[base + o * in + i];
    return LinearWeight{std::move(name), std::move(w)};
  };
  std::vector<LinearWeight> out;
  for (size_t l = 0; l < L; ++l) {
    const std::string p = fmt::format("L{}.", l);
    out.push_back(linear(p + "wq", wq + l * d * d, d, d));
    out.push_back(linear(p + "wk", wk + l * kv * d, kv, d));
    out.push_back(linear(p + "wv", wv + l * kv * d, kv, d));
    out.push_back(linear(p + "wo", wo + l * d * d, d, d));
    out.push_back(linear(p + "w1", w1 + l * h * d, h, d));
    out.push_back(linear(p + "w2", w2 + l * d * h, d, h));
    out.push_back(linear(p + "w3", w3 + l * h * d, h, d));
  }
  out.push_back(linear("classifier", cls, v, d));
  return out;
}

}  // namespace mixpe
