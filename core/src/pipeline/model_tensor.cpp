#include "huabu/model_tensor.h"

#include <cmath>

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

Result<const ModelTensor*> find_float_output(const std::vector<ModelTensor>& outputs, std::string_view model,
                                             std::string_view name, const std::vector<std::int64_t>& shape) {
  using detail::str_cat;
  const ModelTensor* found = nullptr;
  std::string names;
  for (const ModelTensor& t : outputs) {
    names += str_cat(names.empty() ? "" : ", ", t.name);
    if (t.name == name) found = &t;
  }
  if (!found) return invalid_argument(str_cat(model, " outputs must include \"", name, "\", got [", names, "]"));
  if (found->dtype != TensorDtype::kFloat32) {
    return invalid_argument(str_cat(model, " output ", name, " must be float32, got ", tensor_dtype_name(found->dtype)));
  }
  bool fits = found->shape.size() == shape.size();
  bool any_size = false;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    any_size = any_size || shape[i] < 0;
    if (fits) fits = shape[i] < 0 ? found->shape[i] > 0 : found->shape[i] == shape[i];
  }
  if (!fits) {
    return invalid_argument(str_cat(model, " output ", name, " has shape ", shape_to_string(found->shape), ", expected ",
                                    shape_to_string(shape), any_size ? " (-1: any size)" : ""));
  }
  if (found->f32.size() != static_cast<std::size_t>(found->element_count())) {
    return invalid_argument(str_cat(model, " output ", name, " has ", found->f32.size(), " values for shape ",
                                    shape_to_string(found->shape)));
  }
  for (std::size_t i = 0; i < found->f32.size(); ++i) {
    if (!std::isfinite(found->f32[i])) {
      return invalid_argument(str_cat(model, " output ", name, "[", i, "] is ", found->f32[i], " (not finite)"));
    }
  }
  return found;
}

}  // namespace huabu
