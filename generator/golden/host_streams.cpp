#include "golden/host_streams.h"

#include <algorithm>

namespace mixpe {

EngineCommand engine_command(const EngineConfig& e, int M, int K, int N) {
  const int G = e.group_size;
  return {M, (K + G - 1) / G * (G / e.rows), (N + e.cols - 1) / e.cols};
}

EngineCommand engine_command(const EngineConfig& e, const Activations& x, const QuantWeights& w) {
  return engine_command(e, x.M(), x.K(), w.N);
}

HostStreams host_streams(const EngineConfig& e, const Activations& x, const QuantWeights& w) {
  const int R = e.rows, C = e.cols, L = e.load, nb = e.beats_per_tile(), tpg = e.tiles_per_group();
  const EngineCommand cmd = engine_command(e, x, w);
  const int M = cmd.m, ww = e.pe.weight_width(), rw = e.raw_act_width();
  HostStreams s;
  // tiles in turns (EngineConfig::interleave): for each block of B N tiles, for each K tile, each
  // N tile of the block
  const int B = e.interleave(M);
  for (int nb0 = 0; nb0 < cmd.ntiles; nb0 += B)
    for (int t = 0; t < cmd.ktiles; ++t)
      for (int n0 = nb0; n0 < std::min(cmd.ntiles, nb0 + B); ++n0) {
        // beat j carries row l * R / L + j of each bank l
        for (int j = 0; j < nb; ++j) {
          std::vector<uint64_t> beat(size_t(L * C), 0);
          for (int l = 0; l < L; ++l)
            for (int c = 0; c < C; ++c) {
              const int n = n0 * C + c, k = t * R + l * nb + j;
              if (n >= w.N) continue;
              // the fma engine takes each weight dequantized to FP16 (the golden model's rounding)
              beat[size_t(l * C + c)] =
                  e.fma() ? w.dequant_fp16(k, n) : uint64_t(w.code(k, n)) & ((uint64_t(1) << ww) - 1);
            }
          s.w.push_back(beat);
        }
        if (t % tpg == 0 && e.has_scales()) {  // a group's scales with its first K tile
          std::vector<uint64_t> sc(size_t(C), 0x3C00), z(size_t(C), 0);
          for (int c = 0; c < C; ++c) {
            const int n = n0 * C + c;
            if (n < w.N) sc[size_t(c)] = w.scale_at(t / tpg, n), z[size_t(c)] = uint64_t(w.zero_at(t / tpg, n));
          }
          s.scale.push_back(sc);
          s.zero.push_back(z);
        }
        for (int m = 0; m < M; ++m) {  // activations again for every N tile: no activation buffer
          std::vector<uint64_t> row(size_t(R), 0);
          for (int r = 0; r < R; ++r) {
            const int k = t * R + r;
            if (k < x.K()) row[size_t(r)] = uint64_t(uint32_t(x.code.at(m, k))) & ((uint64_t(1) << rw) - 1);
          }
          s.a.push_back(row);
          s.a_scale.push_back(x.row_scale.empty() ? 0u : x.row_scale[size_t(m)]);
        }
      }
  return s;
}

OutputRow output_row(const EngineCommand& cmd, int beat) { return {beat % cmd.m, beat / cmd.m}; }

}  // namespace mixpe
