// huabu/engine/named_tensors.h: the tensors a model takes and returns, by name.
//
//   huabu::engine::NamedTensors in;
//   in.emplace("input_ids", huabu::engine::Tensor::int64({2, 16}, ids));
//   in.emplace("style_id", huabu::engine::Tensor::int64({2}, {0, 0}));
//
// Only the two element types Huabu's models use: float32 (images, conditioning) and int64
// (token and style ids). Ownership: a Tensor owns its values; NamedTensors is a plain map.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "huabu/model_tensor.h"

namespace huabu::engine {

enum class DType { kFloat32, kInt64 };

[[nodiscard]] std::string_view dtype_name(DType dtype);  // "float32" / "int64"

// "[2, 3, 32, 32]": for error messages (the core's, shared with its ModelTensor).
using huabu::shape_to_string;

struct Tensor {
  std::vector<std::int64_t> shape;
  std::variant<std::vector<float>, std::vector<std::int64_t>> values;

  static Tensor float32(std::vector<std::int64_t> shape, std::vector<float> values) {
    return {std::move(shape), std::move(values)};
  }
  static Tensor int64(std::vector<std::int64_t> shape, std::vector<std::int64_t> values) {
    return {std::move(shape), std::move(values)};
  }

  [[nodiscard]] DType dtype() const { return values.index() == 0 ? DType::kFloat32 : DType::kInt64; }
  // Product of the shape (1 for a scalar); the caller checks it against the value count.
  [[nodiscard]] std::int64_t element_count() const;
  [[nodiscard]] std::size_t value_count() const {
    return std::visit([](const auto& v) { return v.size(); }, values);
  }
  // Precondition: dtype() is float32 / int64.
  [[nodiscard]] const std::vector<float>& floats() const { return std::get<std::vector<float>>(values); }
  [[nodiscard]] const std::vector<std::int64_t>& int64s() const {
    return std::get<std::vector<std::int64_t>>(values);
  }
};

using NamedTensors = std::map<std::string, Tensor, std::less<>>;

}  // namespace huabu::engine
