// mixpe perf's parts: the workloads' GEMMs, the sizing from the measured areas, the model's
// cycles (the engine's cycle model, in chunks of D rows) and its bad input.
#include <gtest/gtest.h>

#include "config/options.h"
#include "numerics/error.h"
#include "perf/perf_model.h"

namespace mixpe {
namespace {

int64_t weights(const Workload& w) {
  int64_t n = 0;
  for (const LayerGemm& g : w.gemms) n += int64_t(g.k) * g.n * g.count;
  return n;
}

TEST(PerfWorkload, LlamaLinearLayersHoldTheModelsWeights) {
  // Llama-2-7B: 32 layers of q, k, v, o (4096 x 4096) and gate, up, down (4096 x 11008), the head
  const Workload w = make_workload(model_preset("llama-2-7b"), Phase::kDecode, 8, 2048);
  EXPECT_EQ(weights(w), 32LL * (4 * 4096 * 4096 + 3 * 4096 * 11008) + 4096LL * 32000);
  for (const LayerGemm& g : w.gemms) EXPECT_EQ(g.m, 8) << g.name;
  // attention at decode: 2 x heads x head_dim x context x batch x layers
  EXPECT_EQ(w.attention_macs, 2.0 * 4096 * 2049 * 8 * 32);  // the cached keys and its own
  EXPECT_EQ(w.tokens, 8);
}

TEST(PerfWorkload, PrefillRowsAndCausalAttention) {
  const Workload w = make_workload(model_preset("opt-6.7b"), Phase::kPrefill, 2, 100);
  EXPECT_EQ(w.gemms.front().m, 200);  // q: batch x S rows
  EXPECT_EQ(w.gemms.back().name, "lm_head");
  EXPECT_EQ(w.gemms.back().m, 2);  // the next token of each sequence
  EXPECT_EQ(w.attention_macs, 2.0 * 4096 * (100 * 101 / 2) * 2 * 32);
  EXPECT_EQ(w.tokens, 200);
}

TEST(PerfWorkload, ViTHasPatchesAndNoDecode) {
  const ModelShape& vit = model_preset("vit-b16");
  const Workload w = make_workload(vit, Phase::kPrefill, 1, vit.seq_len);
  EXPECT_EQ(w.gemms.front().name, "patch_embed");
  EXPECT_EQ(w.gemms.front().m, 196);
  EXPECT_EQ(w.gemms.front().k, 768);
  EXPECT_THROW(make_workload(vit, Phase::kDecode, 1, 10), Error);
  EXPECT_THROW(model_preset("gpt-5"), Error);
}

TEST(PerfWorkload, StoriesFromItsCheckpoint) {
  const ModelShape m = model_shape_from_checkpoint(std::string(MIXPE_TEST_DATA) + "/stories260K.bin");
  EXPECT_EQ(m.hidden, 64);
  EXPECT_EQ(m.intermediate, 172);
  EXPECT_EQ(m.kv_dim(), 32);
  EXPECT_EQ(m.layers, 5);
  EXPECT_EQ(m.vocab, 512);
}

TEST(PerfHardware, OwnLogicModelReproducesItsTwoPointsAndSizesToTheBudget) {
  const AreaTable t = load_area_table(MIXPE_AREA_JSON);
  const Design& w4 = perf_design("w4a16");
  // the engine's own logic at L = 1 and 16 is what the area run measured (its calibration points)
  EXPECT_NEAR(size_design(w4, t, 16, 16, 1).own_mm2 * 1e6, t.block("w4a16_top_l1").um2, 1.0);
  EXPECT_NEAR(size_design(w4, t, 16, 16, 16).own_mm2 * 1e6, t.block("w4a16_top_l16").um2, 1.0);
  const SizedDesign s = fit_design(w4, t, 5.0);
  EXPECT_LE(s.logic_mm2, 5.0);
  EXPECT_EQ(s.engine.load, s.engine.rows);
  // one column more (at that R and pipelining) would not fit
  const bool p1 = s.engine.pe.pipeline == 1;
  EXPECT_GT(size_design(w4, t, s.engine.rows, s.engine.cols + 1, s.engine.rows, 0, p1).logic_mm2, 5.0);
  // the pipelined PE where its array computes faster: R C x clock at least the other's
  const SizedDesign other = [&] {
    SizedDesign best{};
    for (int c = 2; c <= 64; ++c) {
      const SizedDesign x = size_design(w4, t, s.engine.rows, c, s.engine.rows, 0, !p1);
      if (x.logic_mm2 > 5.0) break;
      best = x;
    }
    return best;
  }();
  EXPECT_GE(double(s.engine.rows) * s.engine.cols * s.clock_mhz,
            double(other.engine.rows) * other.engine.cols * other.clock_mhz);
  EXPECT_THROW(fit_design(w4, t, 0.01), Error);
  EXPECT_THROW(perf_design("fp8"), Error);
  EXPECT_THROW(load_area_table("/nonexistent.json"), Error);
}

TEST(PerfModel, CyclesAreTheEngineModelsInChunksOfDepth) {
  const AreaTable t = load_area_table(MIXPE_AREA_JSON);
  const SizedDesign s = size_design(perf_design("w4a16"), t, 16, 8, 4);
  PerfModel pm(s, MemorySystem{});
  const int D = s.engine.depth;
  Workload w{model_preset("llama-2-7b"), Phase::kPrefill, 1, 1, {{"x", 2 * D + 3, 300, 40, 2}}, 0.0, 1};
  const PerfResult p = pm.run(w);
  const uint64_t want =
      2 * engine_cycles_mkn(s.engine, D, 300, 40).cycles + engine_cycles_mkn(s.engine, 3, 300, 40).cycles;
  EXPECT_EQ(p.layers[0].cycles, want);
  EXPECT_EQ(p.engine_cycles, 2.0 * double(want));
  EXPECT_GT(p.linear.total(), 0.0);
}

TEST(PerfHardware, TheCommittedAreaTableCoversEveryDesign) {
  const AreaTable t = load_area_table(MIXPE_AREA_JSON);
  for (const Design& d : perf_designs())
    for (const std::string& b :
         {d.blocks.pe, d.blocks.edge, d.blocks.unit_logic, d.blocks.unit, d.blocks.dequant, d.blocks.pe_p1}) {
      if (b.empty()) continue;  // a block the design does not have
      EXPECT_GT(t.block(b).um2, 0.0) << d.name << ": " << b;
      EXPECT_GT(t.block(b).fmax_mhz, 0.0) << d.name << ": " << b;
    }
}

TEST(PerfModel, TrafficOfALayerThatFitsOnChip) {
  // M <= D, the weights fit the weight buffer and the activations their halves: DRAM carries the
  // weights once (4-bit codes, then a 16-bit scale and a 4-bit zero point per group and column)
  const AreaTable t = load_area_table(MIXPE_AREA_JSON);
  const SizedDesign s = size_design(perf_design("w4a16"), t, 16, 16, 16);
  PerfModel pm(s, MemorySystem{});
  Workload w{model_preset("llama-2-7b"), Phase::kPrefill, 1, 1, {{"x", 8, 256, 64, 1}}, 0.0, 1};
  const PerfResult p = pm.run(w);
  EXPECT_EQ(p.layers[0].dram_bytes, (256.0 * 64 * 4 + 2 * 64 * (16 + 4)) / 8);
  EXPECT_EQ(p.kv_bytes, 0.0);
  // FP16 weights: 16 bits each, no scales
  PerfModel fp(size_design(perf_design("fp16"), t, 16, 16, 16), MemorySystem{});
  EXPECT_EQ(fp.run(w).layers[0].dram_bytes, 256.0 * 64 * 2);
  // decode: the K and V caches read for the context and the new token's written, FP16
  const Workload d = make_workload(model_preset("llama-2-7b"), Phase::kDecode, 2, 100);
  EXPECT_EQ(pm.run(d).kv_bytes, 2.0 * 4096 * 2 * 32 * 2 * 101);
}

}  // namespace
}  // namespace mixpe
