// read_onnx_signature: names, element types and shapes of the shipped models, read without
// OpenCV (so they are known even for graphs OpenCV cannot import).
#include "huabu/engine/onnx_signature.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

namespace huabu::engine {
namespace {

std::vector<std::uint8_t> read_file(const std::string& relative) {
  std::ifstream f(std::string(HUABU_SOURCE_DIR) + "/" + relative, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

TEST(OnnxSignature, HuabuTinyUnet) {
  const auto bytes = read_file("models/huabu-tiny/unet/model.onnx");
  ASSERT_FALSE(bytes.empty());
  auto sig = read_onnx_signature(bytes);
  ASSERT_TRUE(sig.ok()) << sig.status().to_string();
  EXPECT_EQ(sig->opset, 17);
  ASSERT_EQ(sig->inputs.size(), 3u);
  EXPECT_EQ(sig->inputs[0].name, "sample");
  EXPECT_EQ(onnx_type_name(sig->inputs[0].elem_type), "float32");
  EXPECT_EQ(dims_to_string(sig->inputs[0].dims), "[B, 3, 32, 32]");
  EXPECT_EQ(sig->inputs[1].name, "timestep");
  EXPECT_EQ(dims_to_string(sig->inputs[1].dims), "[B]");
  EXPECT_EQ(sig->inputs[2].name, "cond");
  EXPECT_EQ(dims_to_string(sig->inputs[2].dims), "[B, 1344]");
  ASSERT_EQ(sig->outputs.size(), 1u);
  EXPECT_EQ(sig->outputs[0].name, "velocity");
  EXPECT_FALSE(sig->op_types.empty());
}

TEST(OnnxSignature, HuabuTinyTextEncoderTakesInt64) {
  auto sig = read_onnx_signature(read_file("models/huabu-tiny/text_encoder/model.onnx"));
  ASSERT_TRUE(sig.ok()) << sig.status().to_string();
  ASSERT_EQ(sig->inputs.size(), 2u);
  EXPECT_EQ(sig->inputs[0].name, "input_ids");
  EXPECT_EQ(sig->inputs[0].elem_type, kOnnxInt64);
  EXPECT_EQ(dims_to_string(sig->inputs[0].dims), "[B, 16]");
  EXPECT_EQ(sig->inputs[1].name, "style_id");
  EXPECT_EQ(sig->outputs[0].name, "cond");
}

TEST(OnnxSignature, SrModelListsItsOperators) {
  auto sig = read_onnx_signature(read_file("models/huabu-sr-x4/model.onnx"));
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->op_types.back(), "ConvTranspose");
  const auto& dims = sig->outputs[0].dims;
  ASSERT_EQ(dims.size(), 4u);
  EXPECT_EQ(dims[1].value, 3);
  EXPECT_EQ(dims[2].symbol, "H*4");
  EXPECT_EQ(dims[3].symbol, "W*4");
}

TEST(OnnxSignature, MalformedProtobufIsCorruptData) {
  // Field 7 (graph) claims 100 bytes but the buffer ends after 3.
  const std::vector<std::uint8_t> cut = {0x08, 0x08, 0x3a, 100, 0x0a, 0x01, 0x41};
  auto sig = read_onnx_signature(cut);
  ASSERT_FALSE(sig.ok());
  EXPECT_EQ(sig.status().code(), StatusCode::kCorruptData);
  // A well-formed protobuf that is not a model (no graph).
  const std::vector<std::uint8_t> no_graph = {0x08, 0x08};
  EXPECT_EQ(read_onnx_signature(no_graph).status().code(), StatusCode::kCorruptData);
}

}  // namespace
}  // namespace huabu::engine
