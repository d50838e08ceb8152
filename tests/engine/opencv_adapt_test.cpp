// adapt_for_opencv: float16 weights widened and symbolic dimensions pinned, so OpenCV dnn
// 4.6 imports graphs it otherwise refuses, computing the same values.
#include "huabu/engine/opencv_adapt.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>

#include "huabu/engine/onnx_engine.h"

namespace huabu::engine {
namespace {

const std::string kFixture = std::string(HUABU_SOURCE_DIR) + "/tests/engine/fixtures/half_film.onnx";

std::vector<std::uint8_t> read_fixture() {
  std::ifstream f(kFixture, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

TEST(HalfToFloat, EveryKindOfValue) {
  EXPECT_EQ(half_to_float(0x3c00), 1.0f);
  EXPECT_EQ(half_to_float(0xc100), -2.5f);
  EXPECT_EQ(half_to_float(0x7bff), 65504.0f);                 // largest finite
  EXPECT_EQ(half_to_float(0x0001), std::ldexp(1.0f, -24));    // smallest subnormal
  EXPECT_EQ(half_to_float(0x8000), -0.0f);
  EXPECT_TRUE(std::signbit(half_to_float(0x8000)));
  EXPECT_EQ(half_to_float(0x7c00), std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(half_to_float(0x7e00)));
}

TEST(OpencvAdapt, WithoutTheRewriteOpencvRefusesTheGraph) {
  // Loading always widens the weights; with "B" unknown, OpenCV still cannot broadcast.
  auto engine = OnnxEngine::load(kFixture);
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), StatusCode::kUnsupported);
}

TEST(OpencvAdapt, PinnedBatchImportsAndComputesTheFloat16Weights) {
  auto engine = OnnxEngine::load(kFixture, {{"B", 1}});
  ASSERT_TRUE(engine.ok()) << engine.status().to_string();
  EXPECT_EQ(dims_to_string(engine->inputs()[0].dims), "[1, 4, 2, 2]");
  std::vector<float> x(16);
  for (int i = 0; i < 16; ++i) x[i] = static_cast<float>(i) - 5;
  const std::vector<float> s = {1, 2, -1, 3};
  NamedTensors in;
  in.emplace("x", Tensor::float32({1, 4, 2, 2}, x));
  in.emplace("s", Tensor::float32({1, 4}, s));
  auto out = engine->run(in);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  const std::vector<float>& y = out->at("y").floats();
  const float bias[4] = {0.25f, -1, 2, 0};
  ASSERT_EQ(y.size(), 16u);
  for (int c = 0; c < 4; ++c) {
    for (int i = 0; i < 4; ++i) EXPECT_FLOAT_EQ(y[c * 4 + i], (0.5f * x[c * 4 + i] + bias[c]) * s[c]);
  }
  // The pinned size is the one the engine takes now.
  NamedTensors two;
  two.emplace("x", Tensor::float32({2, 4, 2, 2}, std::vector<float>(32)));
  two.emplace("s", Tensor::float32({2, 4}, std::vector<float>(8)));
  EXPECT_EQ(engine->run(two).status().code(), StatusCode::kInvalidArgument);
}

TEST(OpencvAdapt, MalformedFilesAreCorruptData) {
  auto bytes = read_fixture();
  ASSERT_GT(bytes.size(), 100u);
  bytes.resize(bytes.size() - 7);  // cut off mid-field
  EXPECT_EQ(adapt_for_opencv(bytes).status().code(), StatusCode::kCorruptData);
  EXPECT_EQ(OnnxEngine::load_from_bytes(bytes, "cut.onnx", {{"B", 1}}).status().code(), StatusCode::kCorruptData);
  EXPECT_EQ(OnnxEngine::load_from_bytes({}, "empty.onnx").status().code(), StatusCode::kCorruptData);
}

TEST(OpencvAdapt, ADirectoryIsNotAModelFile) {
  EXPECT_EQ(OnnxEngine::load(HUABU_SOURCE_DIR).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace huabu::engine
