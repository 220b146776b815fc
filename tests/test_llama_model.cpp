// The llama2.c checkpoint loader on the real stories260K file and on broken copies of it.
#include <cstdio>
#include <filesystem>
#include <fstream>
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
  EXPECT_EQ(layers[1].w.rows, 64);  // wk: K = dim
  EXPECT_EQ(layers[1].w.cols, 32);  // N = kv_dim
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
