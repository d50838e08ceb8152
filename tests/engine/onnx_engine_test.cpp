// OnnxEngine: the shipped SR models run through OpenCV dnn and match onnxruntime-node; bad
// files and bad inputs get clear errors. Reference values below come from onnxruntime-node
// 1.30 on the same input (x[i] = (37 i) mod 251, shape 1x3x20x28).
#include "huabu/engine/onnx_engine.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <ostream>
#include <string>

namespace huabu::engine {
namespace {

const std::string kRoot = HUABU_SOURCE_DIR;

Tensor sr_input(int h, int w) {
  std::vector<float> x(static_cast<std::size_t>(3 * h * w));
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>((i * 37) % 251);
  return Tensor::float32({1, 3, h, w}, std::move(x));
}

struct SrReference {
  int scale;
  double mean;
  std::vector<std::pair<std::size_t, float>> values;
};

void PrintTo(const SrReference& ref, std::ostream* os) { *os << "huabu-sr-x" << ref.scale; }

class SrModel : public ::testing::TestWithParam<SrReference> {};

TEST_P(SrModel, MatchesOnnxRuntimeOnAFixedInput) {
  const SrReference& ref = GetParam();
  auto engine = OnnxEngine::load(kRoot + "/models/huabu-sr-x" + std::to_string(ref.scale) + "/model.onnx");
  ASSERT_TRUE(engine.ok()) << engine.status().to_string();
  ASSERT_EQ(engine->inputs().size(), 1u);
  EXPECT_EQ(engine->inputs()[0].name, "input");
  EXPECT_EQ(dims_to_string(engine->inputs()[0].dims), "[1, 3, H, W]");
  EXPECT_EQ(engine->outputs()[0].name, "output");

  NamedTensors in;
  in.emplace("input", sr_input(20, 28));
  auto out = engine->run(in);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  const Tensor& y = out->at("output");
  EXPECT_EQ(y.shape, (std::vector<std::int64_t>{1, 3, 20 * ref.scale, 28 * ref.scale}));
  const auto& v = y.floats();
  ASSERT_EQ(v.size(), static_cast<std::size_t>(y.element_count()));
  EXPECT_NEAR(std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size()), ref.mean, 1e-3);
  for (const auto& [index, expected] : ref.values) EXPECT_NEAR(v[index], expected, 2e-3) << "at " << index;
}

INSTANTIATE_TEST_SUITE_P(
    HuabuSr, SrModel,
    ::testing::Values(SrReference{2, 124.83068899531804,
                                  {{0, -13.920846939086914f}, {1, 0.12930065393447876f}, {777, 100.60221862792969f},
                                   {1234, 131.0450439453125f}, {3360, 157.0957794189453f}, {6719, 131.84210205078125f}}},
                      SrReference{4, 124.75927213135043,
                                  {{0, -10.924941062927246f}, {1, -9.000669479370117f}, {777, 288.3154602050781f},
                                   {1234, 86.43406677246094f}, {13440, 165.887939453125f}, {26879, 131.56216430664062f}}}),
    [](const auto& param_info) { return std::string("x").append(std::to_string(param_info.param.scale)); });

TEST(OnnxEngine, OneEngineRunsTilesOfDifferentSizes) {
  auto engine = OnnxEngine::load(kRoot + "/models/huabu-sr-x2/model.onnx");
  ASSERT_TRUE(engine.ok());
  for (auto [h, w] : {std::pair{128, 128}, std::pair{37, 5}, std::pair{2, 2}, std::pair{20, 28}}) {
    NamedTensors in;
    in.emplace("input", sr_input(h, w));
    auto out = engine->run(in);
    ASSERT_TRUE(out.ok()) << h << "x" << w << ": " << out.status().to_string();
    EXPECT_EQ(out->at("output").shape, (std::vector<std::int64_t>{1, 3, 2 * h, 2 * w}));
  }
}

// A known OpenCV 4.6 limit (docs/native-engine.md): its edge-mode Pad fails on a side of one
// pixel. That must come back as an error, not a crash, and leave the engine usable.
TEST(OnnxEngine, OnePixelInputFailsCleanly) {
  auto engine = OnnxEngine::load(kRoot + "/models/huabu-sr-x2/model.onnx");
  ASSERT_TRUE(engine.ok());
  auto out = engine->run({{"input", sr_input(1, 5)}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInternal);
  EXPECT_NE(out.status().message().find("padding_layer"), std::string::npos) << out.status().to_string();
  EXPECT_TRUE(engine->run({{"input", sr_input(4, 4)}}).ok());
}

TEST(OnnxEngine, MissingFileIsInvalidArgument) {
  auto engine = OnnxEngine::load(kRoot + "/models/no-such-model.onnx");
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(engine.status().message().find("no-such-model.onnx"), std::string::npos);
}

TEST(OnnxEngine, FilesThatAreNotOnnxAreCorruptData) {
  const std::string png = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
  const std::string text = "this is a text file, not a model\n";
  for (const std::string& bytes : {png, text, std::string()}) {
    auto engine = OnnxEngine::load_from_bytes(
        {reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, "fake.onnx");
    ASSERT_FALSE(engine.ok());
    EXPECT_EQ(engine.status().code(), StatusCode::kCorruptData) << engine.status().to_string();
    EXPECT_NE(engine.status().message().find("fake.onnx"), std::string::npos);
  }
}

TEST(OnnxEngine, TruncatedModelIsCorruptData) {
  auto good = OnnxEngine::load(kRoot + "/models/huabu-sr-x2/model.onnx");
  ASSERT_TRUE(good.ok());
  std::FILE* f = std::fopen((kRoot + "/models/huabu-sr-x2/model.onnx").c_str(), "rb");
  ASSERT_NE(f, nullptr);
  std::vector<std::uint8_t> bytes(4096);
  bytes.resize(std::fread(bytes.data(), 1, bytes.size(), f));
  std::fclose(f);
  auto engine = OnnxEngine::load_from_bytes(bytes, "cut.onnx");
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), StatusCode::kCorruptData) << engine.status().to_string();
}

TEST(OnnxEngine, AnOperatorOpenCvLacksIsUnsupportedAndNamed) {
  auto engine = OnnxEngine::load(kRoot + "/tests/engine/fixtures/where.onnx");
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(engine.status().message().find("Where"), std::string::npos) << engine.status().to_string();
}

TEST(OnnxEngine, WrongInputsAreNamed) {
  auto engine = OnnxEngine::load(kRoot + "/models/huabu-sr-x2/model.onnx");
  ASSERT_TRUE(engine.ok());
  auto expect_error = [&](const NamedTensors& in, StatusCode code, const std::string& needle) {
    auto out = engine->run(in);
    ASSERT_FALSE(out.ok()) << needle;
    EXPECT_EQ(out.status().code(), code) << out.status().to_string();
    EXPECT_NE(out.status().message().find(needle), std::string::npos) << out.status().to_string();
  };
  expect_error({}, StatusCode::kInvalidArgument, "missing input 'input'");
  expect_error({{"image", sr_input(4, 4)}}, StatusCode::kInvalidArgument, "unknown input 'image'");
  expect_error({{"input", Tensor::int64({1, 3, 2, 2}, std::vector<std::int64_t>(12))}},
               StatusCode::kInvalidArgument, "must be float32, got int64");
  expect_error({{"input", Tensor::float32({3, 4, 4}, std::vector<float>(48))}},
               StatusCode::kInvalidArgument, "rank differs");
  expect_error({{"input", Tensor::float32({1, 4, 4, 4}, std::vector<float>(64))}},
               StatusCode::kInvalidArgument, "has shape [1, 4, 4, 4], the model declares [1, 3, H, W]");
  expect_error({{"input", Tensor::float32({1, 3, 4, 4}, std::vector<float>(47))}},
               StatusCode::kInvalidArgument, "47 values for shape [1, 3, 4, 4]");
  expect_error({{"input", Tensor::float32({1, 3, 0, 4}, {})}}, StatusCode::kInvalidArgument, ">= 1");
  expect_error({{"input", Tensor::float32({1, 3, 1 << 20, 1 << 20}, {})}}, StatusCode::kResourceExhausted,
               "too many elements");
  // The engine still works after refusing bad calls.
  auto ok = engine->run({{"input", sr_input(3, 3)}});
  EXPECT_TRUE(ok.ok()) << ok.status().to_string();
}

TEST(OnnxEngine, Int64InputsAndASharedBatchSymbol) {
  auto engine = OnnxEngine::load(kRoot + "/tests/engine/fixtures/ids_plus_x.onnx");
  ASSERT_TRUE(engine.ok()) << engine.status().to_string();
  NamedTensors in;
  in.emplace("ids", Tensor::int64({2, 4}, {0, 1, 2, 3, 9654, 16777216, -5, 7}));
  in.emplace("x", Tensor::float32({2, 4}, {0.5f, 0.5f, 0.5f, 0.5f, 0.25f, 0.0f, 1.0f, -7.0f}));
  auto out = engine->run(in);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  EXPECT_EQ(out->at("y").floats(), (std::vector<float>{0.5f, 1.5f, 2.5f, 3.5f, 9654.25f, 16777216.0f, -4.0f, 0.0f}));

  in.at("x") = Tensor::float32({3, 4}, std::vector<float>(12));
  auto mismatch = engine->run(in);
  ASSERT_FALSE(mismatch.ok());
  EXPECT_NE(mismatch.status().message().find("'B' is 2 in another input"), std::string::npos)
      << mismatch.status().to_string();

  in.at("x") = Tensor::float32({2, 4}, std::vector<float>(8));
  in.at("ids") = Tensor::int64({2, 4}, {0, 0, 0, 0, 0, 0, 0, 16777217});
  auto big = engine->run(in);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().code(), StatusCode::kOutOfRange);
}

}  // namespace
}  // namespace huabu::engine
