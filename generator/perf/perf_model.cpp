#include "perf/perf_model.h"

#include <algorithm>
#include <cmath>

namespace mixpe {

Energy& Energy::operator+=(const Energy& o) {
  core += o.core, buffer += o.buffer, dram += o.dram, stat += o.stat;
  return *this;
}

EngineCycles PerfModel::gemm_cycles(int m, int k, int n) {
  const auto key = std::make_tuple(m, k, n);
  if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  return cache_[key] = engine_cycles_mkn(d_.engine, m, k, n);
}

LayerResult PerfModel::layer(const LayerGemm& g) {
  const EngineConfig& e = d_.engine;
  const int D = e.depth, G = e.group_size;
  const int64_t full = g.m / D, rem = g.m % D, chunks = full + (rem ? 1 : 0);
  EngineCycles sum{};  // every chunk's cycles and beats
  auto add = [&](const EngineCycles& c, int64_t times) {
    sum.cycles += c.cycles * uint64_t(times), sum.w_beats += c.w_beats * uint64_t(times);
    sum.sz_beats += c.sz_beats * uint64_t(times), sum.a_beats += c.a_beats * uint64_t(times);
    sum.y_beats += c.y_beats * uint64_t(times);
  };
  if (full) add(gemm_cycles(D, g.k, g.n), full);
  if (rem) add(gemm_cycles(int(rem), g.k, g.n), 1);

  LayerResult r{g.name, g.m, g.k, g.n, g.count, sum.cycles, double(g.m) * g.k * g.n, 0, 0, 0, 0, {}};
  // DRAM: the weights (codes, then a scale and a zero point per group and column) once if the
  // weight buffer holds them, else once per chunk; activations in and out only when they do not
  // stay in the activation buffer (FP16, INT8 in for INT8 activations)
  const double kp = double((g.k + G - 1) / G * G);
  const DramWeights dw = dram_weights(d_.design, e);
  const double w_bits = kp * g.n * dw.bits + kp / G * g.n * dw.group_bits;
  // Activations: the input stays in the activation buffer's half if it fits (the previous layer
  // wrote it there), else comes from DRAM, and again for every N tile when even one chunk's rows
  // do not fit; the output likewise. Weights, in the cheaper of two loop orders: chunks outer (the
  // weights once per chunk, or once if the weight buffer holds them) or weight slabs outer (the
  // buffer holds a slab of columns; every chunk streams through it: the inputs once per slab).
  const double a_bytes = e.raw_act_width() / 8.0, half = mem_.act_buffer_kib * 1024 / 2,
               wbuf = mem_.weight_buffer_kib * 1024;
  const double in_bytes = double(g.m) * g.k * a_bytes, out_bytes = double(g.m) * g.n * 2;
  const double ntiles = double((g.n + e.cols - 1) / e.cols);
  double in_dram = in_bytes > half ? in_bytes : 0.0;
  if (double(std::min<int64_t>(g.m, D)) * g.k * a_bytes > half) in_dram = in_bytes * ntiles;
  const double out_dram = out_bytes > half ? out_bytes : 0.0, w_bytes = w_bits / 8;
  const double chunk_reads = w_bytes <= wbuf ? 1.0 : double(chunks);
  const double chunks_outer = w_bytes * chunk_reads + in_dram,
               slabs_outer = w_bytes + in_dram * std::ceil(w_bytes / wbuf);
  const double w_reads = chunks_outer <= slabs_outer ? chunk_reads : 1.0;
  r.dram_bytes = std::min(chunks_outer, slabs_outer) + out_dram;
  r.compute_s = double(sum.cycles) / (d_.clock_mhz * 1e6);
  r.dram_s = r.dram_bytes / (mem_.dram_gbps * 1e9);
  r.time_s = std::max(r.compute_s, r.dram_s);
  // SRAM bits: the weights written once per DRAM read and read once per chunk; activation rows read
  // for every N tile, output rows written (FP16); the group units' rows read and written per
  // activation row (the accumulator, or Y for the fma array and FP32 sums) and Y per group
  const int row_bits = e.fma() ? 32 : e.float_accum() ? 64 : e.acc_width();
  double sram = w_bits * w_reads + w_bits * double(chunks);
  sram += double(sum.a_beats) * e.rows * e.raw_act_width() + double(sum.y_beats) * e.cols * 16;
  double rows = double(sum.a_beats) * e.cols * 2 * row_bits;
  if (!e.fma()) rows += double(sum.a_beats) / e.tiles_per_group() * e.cols * 2 * 32;
  r.energy.core = mem_.core_pj_per_um2_cycle * d_.logic_mm2 * 1e6 * double(sum.cycles) * 1e-12;
  r.energy.buffer = (sram * mem_.sram_pj_per_bit + rows * mem_.rows_pj_per_bit) * 1e-12;
  r.energy.dram = r.dram_bytes * 8 * mem_.dram_pj_per_bit * 1e-12;
  r.energy.stat = mem_.leak_w_per_mm2 * d_.logic_mm2 * r.time_s;
  return r;
}

PerfResult PerfModel::run(const Workload& w) {
  PerfResult p;
  p.tokens = w.tokens;
  for (const LayerGemm& g : w.gemms) {
    const LayerResult r = layer(g);
    p.linear_s += r.time_s * r.count;
    p.linear_macs += r.macs * r.count;
    p.engine_cycles += double(r.cycles) * r.count;
    p.dram_bytes += r.dram_bytes * r.count;
    for (int i = 0; i < r.count; ++i) p.linear += r.energy;
    p.layers.push_back(r);
  }
  // attention at decode: the K and V caches (FP16) read and the new token's written (in prefill they
  // are the k and v layers' outputs, counted there; the operands' reads are not counted)
  const ModelShape& m = w.model;
  const double kv_per_pos = 2.0 * m.kv_dim() * 2 * m.layers * w.batch;
  p.kv_bytes = w.phase == Phase::kDecode ? kv_per_pos * (double(w.seq) + 1) : 0.0;
  p.attention_s = std::max(w.attention_macs / (mem_.attn_gmacs * 1e9), p.kv_bytes / (mem_.dram_gbps * 1e9));
  p.attention_j = w.attention_macs * mem_.attn_pj_per_mac * 1e-12 + p.kv_bytes * 8 * mem_.dram_pj_per_bit * 1e-12;
  return p;
}

}  // namespace mixpe
