#include "huabu/engine/driver.h"

namespace huabu::engine {

NamedTensors to_named_tensors(const std::vector<ModelTensor>& tensors) {
  NamedTensors out;
  for (const ModelTensor& t : tensors) {
    out.insert_or_assign(t.name, t.dtype == TensorDtype::kFloat32 ? Tensor::float32(t.shape, t.f32)
                                                                   : Tensor::int64(t.shape, t.i64));
  }
  return out;
}

std::vector<ModelTensor> to_model_tensors(const NamedTensors& tensors) {
  std::vector<ModelTensor> out;
  out.reserve(tensors.size());
  for (const auto& [name, t] : tensors) {
    ModelTensor m{name, t.dtype() == DType::kFloat32 ? TensorDtype::kFloat32 : TensorDtype::kInt64, t.shape, {}, {}};
    if (t.dtype() == DType::kFloat32) {
      m.f32 = t.floats();
    } else {
      m.i64 = t.int64s();
    }
    out.push_back(std::move(m));
  }
  return out;
}

Status ModelSet::load(const std::string& name, const std::string& path, const PinnedDims& pinned) {
  auto engine = OnnxEngine::load(path, pinned);
  if (!engine.ok()) return engine.status();
  engines_.insert_or_assign(name, std::move(engine).value());
  return ok_status();
}

Result<std::vector<ModelTensor>> ModelSet::run(const PipelineAction& action) {
  const auto it = engines_.find(action.model);
  if (it == engines_.end()) {
    std::string known;
    for (const auto& [name, engine] : engines_) known += (known.empty() ? "" : ", ") + name;
    return invalid_argument("the pipeline asked for model '" + action.model + "'; loaded: " +
                            (known.empty() ? "none" : known));
  }
  auto outputs = it->second.run(to_named_tensors(action.inputs));
  if (!outputs.ok()) return outputs.status();
  return to_model_tensors(*outputs);
}

}  // namespace huabu::engine
