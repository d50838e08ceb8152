// huabu/engine/onnx_signature.h: the names, element types and shapes of an ONNX model's
// graph inputs and outputs, read straight from the file's protobuf encoding.
//
//   auto sig = huabu::engine::read_onnx_signature(bytes);   // corrupt_data if not ONNX
//   for (const auto& in : sig->inputs) ...                   // "sample" float32 [B, 3, 32, 32]
//
// Why our own reader: OpenCV's dnn module does not report a network's input names, types
// or shapes, and a file that is not ONNX should get a clear error before OpenCV's importer
// sees it. Only the few protobuf fields named in the .cpp are read; nothing is executed.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "huabu/status.h"

namespace huabu::engine {

// ONNX TensorProto.DataType codes for the element types we name; others keep their code.
inline constexpr int kOnnxFloat = 1;
inline constexpr int kOnnxInt32 = 6;
inline constexpr int kOnnxInt64 = 7;

struct Dim {
  std::int64_t value = -1;  // >= 0 when fixed
  std::string symbol;       // e.g. "B", "H*2"; empty when fixed or fully unknown
  [[nodiscard]] bool fixed() const { return value >= 0; }
};

struct ValueSignature {
  std::string name;
  int elem_type = 0;      // ONNX code (kOnnxFloat, kOnnxInt64, ...)
  std::vector<Dim> dims;  // empty: rank unknown or scalar
};

struct OnnxSignature {
  std::int64_t ir_version = 0;
  std::int64_t opset = 0;  // default-domain opset
  std::vector<ValueSignature> inputs;   // graph inputs that are not initializers
  std::vector<ValueSignature> outputs;
  std::vector<std::string> op_types;    // every node's op type, in graph order
};

[[nodiscard]] Result<OnnxSignature> read_onnx_signature(std::span<const std::uint8_t> bytes);

// "float32", "int32", "float16", ... as ONNX Runtime names them; "onnx type N" past float64.
[[nodiscard]] std::string onnx_type_name(int elem_type);
// "[B, 3, 32, 32]".
[[nodiscard]] std::string dims_to_string(const std::vector<Dim>& dims);

}  // namespace huabu::engine
