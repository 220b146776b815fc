#include "llm/trace_file.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "io/output_files.h"
#include "numerics/error.h"
#include "numerics/user_text.h"

namespace mixpe {

namespace fs = std::filesystem;

void write_traces(const std::string& dir, const std::vector<TraceFile>& traces, const std::vector<int>& tokens) {
  OutputFiles out;
  for (const TraceFile& t : traces) {
    const int32_t hdr[4] = {1, t.x.rows, t.x.cols, t.w.cols};
    std::string bytes = "MXTR";
    bytes.append(reinterpret_cast<const char*>(hdr), sizeof hdr);
    bytes.append(reinterpret_cast<const char*>(t.x.data.data()), t.x.data.size() * 4);
    bytes.append(reinterpret_cast<const char*>(t.w.data.data()), t.w.data.size() * 4);
    out.add(fs::path(dir) / (t.name + ".trace"), std::move(bytes));
  }
  std::string tok;
  for (size_t i = 0; i < tokens.size(); ++i) tok += (i ? " " : "") + std::to_string(tokens[i]);
  out.add(fs::path(dir) / "tokens.txt", tok + "\n");
  out.commit();
}

std::vector<TraceFile> read_traces(const std::string& dir, ActFormat act) {
  std::error_code ec;  // (a name too long or unreadable: the message below, not an exception)
  if (!fs::is_directory(dir, ec))
    fail("trace directory '{}' does not exist: make it with `mixpe trace -o {}`", shorten(dir), shorten(dir));
  std::vector<fs::path> paths;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".trace") paths.push_back(it->path());
  if (ec) fail("cannot read the trace directory '{}': {}", shorten(dir), ec.message());
  std::sort(paths.begin(), paths.end());
  if (paths.empty()) fail("trace directory '{}' holds no .trace files", shorten(dir));
  std::vector<TraceFile> out;
  for (const fs::path& p : paths) {
    std::ifstream f(p, std::ios::binary | std::ios::ate);
    const uint64_t size = uint64_t(f.tellg());
    f.seekg(0);
    char magic[4];
    int32_t hdr[4];
    if (size < 20 || !f.read(magic, 4) || std::memcmp(magic, "MXTR", 4) != 0 ||
        !f.read(reinterpret_cast<char*>(hdr), sizeof hdr))
      fail("trace '{}' is not a mixpe trace (no MXTR header)", shorten(p.string()));
    if (hdr[0] != 1) fail("trace '{}' has version {}; this mixpe reads version 1", shorten(p.string()), hdr[0]);
    const int M = hdr[1], K = hdr[2], N = hdr[3];
    if (M < 1 || K < 1 || N < 1 || M > (1 << 20) || K > (1 << 20) || N > (1 << 20))
      fail("trace '{}': shape {} x {} x {} is not legal", shorten(p.string()), M, K, N);
    const uint64_t want = 20 + 4 * (uint64_t(M) * uint64_t(K) + uint64_t(K) * uint64_t(N));
    if (size != want)
      fail("trace '{}' is {} bytes but its header implies {}: the file is {}", shorten(p.string()), size, want,
           size < want ? "truncated" : "oversized");
    TraceFile t{p.stem().string(), Matrix<float>(M, K), Matrix<float>(K, N)};
    f.read(reinterpret_cast<char*>(t.x.data.data()), std::streamsize(t.x.data.size() * 4));
    f.read(reinterpret_cast<char*>(t.w.data.data()), std::streamsize(t.w.data.size() * 4));
    for (float v : t.w.data)
      if (!std::isfinite(v)) fail("trace '{}' has a non-finite weight", shorten(p.string()));
    // activations: ones the activation format in use holds (FP16 and BF16 round them; INT8
    // scales each row, any finite value), not all zero (a relative error of nothing to measure)
    bool nonzero = false;
    for (float v : t.x.data) {
      if (!std::isfinite(v) ||
          (is_float(act) && !decode(float_format(act), from_double(float_format(act), v)).finite()))
        fail(
            "trace '{}' has an activation {} that {} cannot hold: re-record it with `mixpe trace`, or use another "
            "--act",
            shorten(p.string()), v, act_name(act));
      nonzero = nonzero || v != 0.0f;
    }
    if (!nonzero)
      fail("trace '{}': every activation is zero, nothing to measure: re-record it with `mixpe trace`",
           shorten(p.string()));
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace mixpe
