// The FP32 transformer against the golden backend, and LLM trace files.
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include <gtest/gtest.h>

#include "config/options.h"
#include "llm/backends.h"
#include "llm/trace_file.h"
#include "llm/transformer.h"
#include "numerics/error.h"

using namespace mixpe;

namespace {
const std::string kModel = std::string(MIXPE_TEST_DATA) + "/stories260K.bin";
}

// With 8-bit weights the quantized model stays close to FP32: logits within a few percent.
TEST(Transformer, W8GoldenLogitsTrackFp32) {
  const LlamaModel m = load_llama_model(kModel);
  const auto layers = m.linear_layers();
  Fp32Backend fp(layers);
  GoldenBackend gb(layers, engine_from_options({{"--weight-bits", "8"}, {"--group-size", "32"}}));
  Transformer a(m, fp), b(m, gb);
  int token = 1;
  for (int pos = 0; pos < 8; ++pos) {
    const std::vector<float> la = a.forward(token, pos), lb = b.forward(token, pos);
    double num = 0, den = 0;
    for (size_t i = 0; i < la.size(); ++i) num += (la[i] - lb[i]) * (la[i] - lb[i]), den += la[i] * la[i];
    EXPECT_LT(std::sqrt(num / den), 0.1) << pos;
    token = argmax(la);
  }
  EXPECT_THROW(a.forward(600, 9), Error);
}

TEST(TraceFile, RoundTripsAndRejectsMalformedFiles) {
  const std::string dir = (std::filesystem::temp_directory_path() / "mixpe_test_traces").string();
  std::filesystem::remove_all(dir);
  TraceFile t{"L0.wq", Matrix<float>(3, 4, 1.5f), Matrix<float>(4, 2, -0.25f)};
  write_traces(dir, {t}, {1, 2, 3});
  const auto back = read_traces(dir);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].name, "L0.wq");
  EXPECT_EQ(back[0].x.data, t.x.data);
  EXPECT_EQ(back[0].w.data, t.w.data);
  // truncate the file: a one-line error naming it
  std::filesystem::resize_file(dir + "/L0.wq.trace", 30);
  try {
    read_traces(dir);
    FAIL() << "truncated trace accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
  }
  std::ofstream(dir + "/L0.wq.trace") << "garbage";
  EXPECT_THROW(read_traces(dir), Error);
  EXPECT_THROW(read_traces(dir + "/missing"), Error);
  std::filesystem::remove_all(dir);
}

// The activations' bound is the format's: 1e5 is beyond FP16 but a BF16 value.
TEST(TraceFile, ActivationBoundFollowsTheFormat) {
  const std::string dir = (std::filesystem::temp_directory_path() / "mixpe_test_traces_bf16").string();
  std::filesystem::remove_all(dir);
  write_traces(dir, {{"L0.wq", Matrix<float>(2, 4, 1.0e5f), Matrix<float>(4, 2, 0.5f)}}, {1});
  EXPECT_THROW(read_traces(dir, ActFormat::kFp16), Error);
  EXPECT_EQ(read_traces(dir, ActFormat::kBf16).size(), 1u);
  EXPECT_EQ(read_traces(dir, ActFormat::kInt8).size(), 1u);
  std::filesystem::remove_all(dir);
}

// Fuzz-style: mutated and truncated trace files either read back with the shape their header
// gives or fail with a one-line Error; never a crash (the sanitizer build runs this too).
TEST(TraceFile, MutatedFilesReadConsistentlyOrFailCleanly) {
  const std::string dir = (std::filesystem::temp_directory_path() / "mixpe_fuzz_traces").string();
  std::filesystem::remove_all(dir);
  write_traces(dir, {{"L0.wq", Matrix<float>(3, 8, 0.5f), Matrix<float>(8, 4, -0.25f)}}, {1});
  std::ifstream in(dir + "/L0.wq.trace", std::ios::binary);
  const std::vector<char> good((std::istreambuf_iterator<char>(in)), {});
  std::mt19937_64 rng(7);
  int rejected = 0;
  for (int i = 0; i < 400; ++i) {
    std::vector<char> bad = good;
    switch (i % 4) {
      case 0:
        bad.resize(size_t(rng() % good.size()));
        break;
      case 1:
        bad.resize(good.size() + 1 + rng() % 64, char(rng()));
        break;
      case 2: {  // a header field, often extreme
        const int32_t v = rng() % 2 ? int32_t(rng()) : int32_t(rng() % 16) - 4;
        std::memcpy(&bad[4 + (rng() % 4) * 4], &v, 4);
        break;
      }
      case 3:
        bad[rng() % bad.size()] = char(rng());
        break;
    }
    std::ofstream(dir + "/L0.wq.trace", std::ios::binary).write(bad.data(), std::streamsize(bad.size()));
    try {
      const auto t = read_traces(dir);
      ASSERT_EQ(bad.size(), 20 + 4 * (t[0].x.data.size() + t[0].w.data.size()));
    } catch (const Error& e) {
      ASSERT_EQ(std::string(e.what()).find('\n'), std::string::npos);
      ++rejected;
    }
  }
  EXPECT_GT(rejected, 250);
  std::filesystem::remove_all(dir);
}
