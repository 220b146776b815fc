// The llama2.c checkpoint loader on the real stories260K file and on broken copies of it.
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "model/llama_model.h"
#include "numerics/error.h"

using namespace mixpe;

namespace {

const std::string kModel = std::string(MIXPE_TEST_DATA) + "/stories260K.bin";

std::vector<char> read_all(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

std::string write_temp(const std::vector<char>& bytes, const char* name) {
  const std::string path = (std::filesystem::temp_directory_path() / name).string();
  std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
  return path;
}

std::string load_error(const std::vector<char>& bytes) {
  const std::string path = write_temp(bytes, "mixpe_bad_model.bin");
  try {
    load_llama_model(path);
  } catch (const Error& e) {
    std::remove(path.c_str());
    return e.what();
  }
  std::remove(path.c_str());
  return "";
}

}  // namespace

TEST(LlamaModel, LoadsStories260K) {
  const LlamaModel m = load_llama_model(kModel);
  EXPECT_EQ(m.cfg.dim, 64);
  EXPECT_EQ(m.cfg.hidden_dim, 172);
  EXPECT_EQ(m.cfg.n_layers, 5);
  EXPECT_EQ(m.cfg.kv_dim(), 32);
  EXPECT_TRUE(m.cfg.shared_classifier);
  const auto layers = m.linear_layers();
  ASSERT_EQ(layers.size(), 5u * 7u + 1u);
  EXPECT_EQ(layers[0].name, "L0.wq");
  EXPECT_EQ(layers[1].w.rows, 64);   // wk: K = dim
  EXPECT_EQ(layers[1].w.cols, 32);   // N = kv_dim
  EXPECT_EQ(layers[5].w.rows, 172);  // w2: K = hidden
  EXPECT_EQ(layers.back().w.cols, 512);
  // the classifier shares the token embedding: row 0 of the file is column 0 of K x N
  EXPECT_EQ(layers.back().w.at(3, 0), m.data[3]);
}

TEST(LlamaModel, RejectsTruncatedOversizedAndNonsenseFiles) {
  const std::vector<char> good = read_all(kModel);
  std::vector<char> bad(good.begin(), good.end() - 4);
  EXPECT_NE(load_error(bad).find("truncated"), std::string::npos) << load_error(bad);
  bad = good;
  bad.push_back(0);
  EXPECT_NE(load_error(bad).find("oversized"), std::string::npos);
  bad.assign(good.begin(), good.begin() + 10);
  EXPECT_NE(load_error(bad).find("too short"), std::string::npos);
  bad = good;
  bad[0] = char(0xFF), bad[1] = char(0xFF), bad[2] = char(0xFF), bad[3] = char(0xFF);  // dim = -1
  EXPECT_NE(load_error(bad).find("dim = -1"), std::string::npos);
  EXPECT_THROW(load_llama_model("/nonexistent/model.bin"), Error);
}

// Fuzz-style: thousands of mutated copies (truncated, extended, header fields changed, random
// bytes) either load with a consistent shape or fail with an Error; never a crash or a misread.
TEST(LlamaModel, MutatedFilesLoadConsistentlyOrFailCleanly) {
  const std::vector<char> good = read_all(kModel);
  std::mt19937_64 rng(2024);
  int rejected = 0, loaded = 0;
  for (int i = 0; i < 300; ++i) {
    std::vector<char> bad = good;
    switch (i % 5) {
      case 0:
        bad.resize(size_t(rng() % good.size()));
        break;  // truncated
      case 1:
        bad.resize(good.size() + 1 + rng() % 4096, char(rng()));
        break;   // extended
      case 2: {  // a header field
        const int32_t v = int32_t(rng() % 2 ? rng() : rng() % 1024) * (rng() % 2 ? 1 : -1);
        std::memcpy(&bad[(rng() % 7) * 4], &v, 4);
        break;
      }
      case 3:
        bad[rng() % 28] = char(rng());
        break;  // a header byte
      case 4:
        for (int k = 0; k < 64; ++k) bad[28 + rng() % (bad.size() - 28)] = char(rng());
        break;  // data
    }
    const std::string path = write_temp(bad, "mixpe_fuzz_model.bin");
    try {
      const LlamaModel m = load_llama_model(path);
      // a file that loads must have exactly the size its header implies
      ASSERT_EQ(bad.size(), 28 + m.data.size() * 4);
      ASSERT_EQ(m.linear_layers().size(), size_t(m.cfg.n_layers) * 7 + 1);
      ++loaded;
    } catch (const Error& e) {
      ASSERT_EQ(std::string(e.what()).find('\n'), std::string::npos);  // one line
      ++rejected;
    }
    std::remove(path.c_str());
  }
  EXPECT_GT(rejected, 200);
  EXPECT_GT(loaded, 50);  // data-only mutations still load
}
