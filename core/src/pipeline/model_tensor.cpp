#include "huabu/model_tensor.h"

#include "base/str_cat.h"

namespace huabu {

std::string_view tensor_dtype_name(TensorDtype dtype) {
  return dtype == TensorDtype::kFloat32 ? "float32" : "int64";
}

Result<TensorDtype> parse_tensor_dtype(std::string_view name) {
  if (name == "float32") return TensorDtype::kFloat32;
  if (name == "int64") return TensorDtype::kInt64;
  return unsupported(detail::str_cat("tensor dtype \"", name, "\" is not supported (float32, int64)"));
}

std::int64_t ModelTensor::element_count() const {
  std::int64_t n = 1;
  for (std::int64_t d : shape) {
    if (d < 0 || (d > 0 && n > (std::int64_t{1} << 40) / d)) return -1;
    n *= d;
  }
  return n;
}

std::string shape_to_string(const std::vector<std::int64_t>& shape) {
  std::string out = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) out += detail::str_cat(i ? ", " : "", shape[i]);
  return out + "]";
}

}  // namespace huabu
