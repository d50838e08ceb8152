#include "huabu/engine/named_tensors.h"

namespace huabu::engine {

std::string_view dtype_name(DType dtype) { return dtype == DType::kFloat32 ? "float32" : "int64"; }

std::int64_t Tensor::element_count() const {
  std::int64_t n = 1;
  for (std::int64_t d : shape) n *= d;
  return n;
}

}  // namespace huabu::engine
