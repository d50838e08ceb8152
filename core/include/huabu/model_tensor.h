// huabu/model_tensor.h: a named tensor as exchanged with a model runner (ONNX Runtime in the
// browser, a native engine in tests): what a pipeline asks to run and what it is handed back.
//
//   huabu::ModelTensor t{"velocity", huabu::TensorDtype::kFloat32, {2, 3, 32, 32}, values, {}};
//
// Exactly one of f32 / i64 holds the data (by dtype), row-major, element_count() values.
// Ownership: plain value type. Threading: no shared state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "huabu/status.h"

namespace huabu {

enum class TensorDtype { kFloat32, kInt64 };

[[nodiscard]] std::string_view tensor_dtype_name(TensorDtype dtype);  // "float32" / "int64"
[[nodiscard]] Result<TensorDtype> parse_tensor_dtype(std::string_view name);

struct ModelTensor {
  std::string name;
  TensorDtype dtype = TensorDtype::kFloat32;
  std::vector<std::int64_t> shape;
  std::vector<float> f32;
  std::vector<std::int64_t> i64;

  // Product of shape (1 for a scalar); -1 if a dimension is negative or the product overflows.
  [[nodiscard]] std::int64_t element_count() const;
};

// "[2, 3, 32, 32]" for messages.
[[nodiscard]] std::string shape_to_string(const std::vector<std::int64_t>& shape);

// The output `name` among a model's `outputs`, checked for a pipeline: float32, `shape`
// (-1 = any positive size), as many values as the shape says, all finite. invalid_argument
// naming `model` otherwise.
[[nodiscard]] Result<const ModelTensor*> find_float_output(const std::vector<ModelTensor>& outputs, std::string_view model,
                                                           std::string_view name, const std::vector<std::int64_t>& shape);

}  // namespace huabu
