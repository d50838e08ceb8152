// huabu-tiny's shipped graphs (the one export the browser and the native engine share) in
// OpenCV dnn against onnxruntime's outputs on the same inputs (fixtures/huabu_tiny_io.json,
// written by fixtures/make_huabu_tiny_io.mjs), at the batch each is pinned to.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "huabu/engine/onnx_engine.h"

namespace huabu::engine {
namespace {

const std::string kDir = std::string(HUABU_SOURCE_DIR) + "/models/huabu-tiny";

nlohmann::json fixture() {
  std::ifstream in(std::string(HUABU_SOURCE_DIR) + "/tests/engine/fixtures/huabu_tiny_io.json");
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

double max_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
  EXPECT_EQ(a.size(), b.size());
  double m = 0;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) m = std::max(m, std::abs(static_cast<double>(a[i]) - b[i]));
  return m;
}

TEST(HuabuTiny, TextEncoderMatchesOnnxRuntime) {
  const auto io = fixture();
  auto engine = OnnxEngine::load(kDir + "/text_encoder/model.onnx", {{"B", 3}});
  ASSERT_TRUE(engine.ok()) << engine.status().to_string();
  NamedTensors in;
  in.emplace("input_ids", Tensor::int64({3, 16}, io["ids"].get<std::vector<std::int64_t>>()));
  in.emplace("style_id", Tensor::int64({3}, io["style"].get<std::vector<std::int64_t>>()));
  auto out = engine->run(in);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  const auto width = static_cast<std::int64_t>(io["cond"].size() / 3);  // the fixture's cond, written from the shipped graphs (3 prompts)
  EXPECT_EQ(out->at("cond").shape, (std::vector<std::int64_t>{3, width}));
  const double diff = max_abs_diff(out->at("cond").floats(), io["cond"].get<std::vector<float>>());
  std::printf("text_encoder, batch 3: OpenCV vs onnxruntime max abs diff %.3g\n", diff);
  EXPECT_LE(diff, 1e-4);
}

TEST(HuabuTiny, UnetMatchesOnnxRuntimeAtThePinnedBatch) {
  const auto io = fixture();
  auto engine = OnnxEngine::load(kDir + "/unet/model.onnx", {{"B", 2}});
  ASSERT_TRUE(engine.ok()) << engine.status().to_string();
  std::vector<float> sample(2 * 3072);
  for (std::size_t i = 0; i < sample.size(); ++i) sample[i] = static_cast<float>(((i * 37) % 251) / 125.5 - 1);
  const auto cond = io["cond"].get<std::vector<float>>();
  const auto width = static_cast<std::int64_t>(cond.size() / 3);  // rows 0 and 1 of the batch-3 cond
  NamedTensors in;
  in.emplace("sample", Tensor::float32({2, 3, 32, 32}, sample));
  in.emplace("timestep", Tensor::float32({2}, io["timestep"].get<std::vector<float>>()));
  in.emplace("cond", Tensor::float32({2, width}, std::vector<float>(cond.begin(), cond.begin() + 2 * width)));
  auto out = engine->run(in);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  const double diff = max_abs_diff(out->at("velocity").floats(), io["velocity"].get<std::vector<float>>());
  std::printf("unet, batch 2: OpenCV vs onnxruntime max abs diff %.3g\n", diff);
  EXPECT_LE(diff, 1e-4);

  // The engine takes exactly the pinned batch: another one is named, not run.
  NamedTensors three;
  three.emplace("sample", Tensor::float32({3, 3, 32, 32}, std::vector<float>(3 * 3072, 0.0f)));
  three.emplace("timestep", Tensor::float32({3}, {0.5f, 0.5f, 0.5f}));
  three.emplace("cond", Tensor::float32({3, width}, std::vector<float>(static_cast<std::size_t>(3 * width), 0.0f)));
  auto refused = engine->run(three);
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument) << refused.status().to_string();
}

}  // namespace
}  // namespace huabu::engine
