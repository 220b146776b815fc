// The host contract (golden/host_streams.h): its beats are the ones the cycle model counts, every
// output element is named by exactly one output beat, and the order follows the interleaved turns.
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "config/options.h"
#include "golden/engine_cycles.h"
#include "golden/host_streams.h"

namespace mixpe {
namespace {

Matrix<float> random_matrix(int rows, int cols, std::mt19937_64& rng) {
  std::normal_distribution<float> nd(0.0f, 1.0f);
  Matrix<float> m(rows, cols);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) m.at(r, c) = nd(rng);
  return m;
}

TEST(HostStreams, BeatsAreTheCycleModelsAndEveryOutputIsNamedOnce) {
  std::mt19937_64 rng(11);
  for (const char* options :
       {"--preset w4a16 --rows 4 --cols 4 --group-size 32", "--preset w4a8 --rows 4 --cols 3 --group-size 32",
        "--preset fma --rows 4 --cols 2", "--preset int8 --rows 8 --cols 4 --group-size 32",
        "--preset w4a16 --rows 4 --cols 4 --group-size 32 --load 4"}) {
    const EngineConfig e = engine_from_options(parse_option_string(options));
    for (const auto& [M, K, N] : {std::tuple{1, 40, 13}, std::tuple{3, 64, 16}, std::tuple{e.depth, 33, 5}}) {
      const Activations x = quantize_activations(random_matrix(M, K, rng), e.pe.act);
      const QuantWeights w = quantize_weights(random_matrix(K, N, rng), e.weight_quant());
      const EngineCommand cmd = engine_command(e, x, w);
      EXPECT_EQ(cmd.ktiles * e.rows, w.k_padded) << "the command pads K as the quantizer does";
      const HostStreams s = host_streams(e, x, w);
      const EngineCycles n = engine_cycles(e, cmd.m, cmd.ktiles, cmd.ntiles);
      EXPECT_EQ(s.w.size(), n.w_beats) << options << " " << M << "x" << K << "x" << N;
      EXPECT_EQ(s.scale.size(), n.sz_beats) << options;
      EXPECT_EQ(s.a.size(), n.a_beats) << options;
      EXPECT_EQ(s.a_scale.size(), s.a.size());
      std::set<std::pair<int, int>> rows;
      for (int beat = 0; beat < int(n.y_beats); ++beat) {
        const OutputRow o = output_row(cmd, beat);
        EXPECT_TRUE(o.m >= 0 && o.m < M && o.n_tile >= 0 && o.n_tile < cmd.ntiles);
        rows.insert({o.m, o.n_tile});
      }
      EXPECT_EQ(rows.size(), size_t(M) * size_t(cmd.ntiles)) << options;
    }
  }
}

TEST(HostStreams, InterleavedTurnsSendEachNTilesActivationsInTurn) {
  // L = R: one-row tiles of B N tiles take turns, tile by tile; each turn carries its own scales
  const EngineConfig e = engine_from_options(parse_option_string("--preset w4a16 --rows 16 --cols 2 --load 16"));
  const int B = e.interleave(1);
  ASSERT_GT(B, 1);
  std::mt19937_64 rng(3);
  const Activations x = quantize_activations(random_matrix(1, 2 * e.group_size, rng), e.pe.act);
  const QuantWeights w = quantize_weights(random_matrix(2 * e.group_size, B * e.cols, rng), e.weight_quant());
  const HostStreams s = host_streams(e, x, w);
  // for each K tile, each N tile of the block: the activation row repeats, the weights differ
  ASSERT_EQ(s.a.size(), size_t(B) * size_t(2 * e.group_size / e.rows));
  EXPECT_EQ(s.a[0], s.a[1]);
  EXPECT_NE(s.w[0], s.w[1]);
  EXPECT_EQ(s.scale.size(), size_t(B) * 2);  // two groups for each of the B N tiles
}

}  // namespace
}  // namespace mixpe
