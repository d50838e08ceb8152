#include "huabu/engine/driver.h"

#include <fstream>
#include <iterator>

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
  deferred_.erase(name);
  engines_.insert_or_assign(name, std::move(engine).value());
  return ok_status();
}

Status ModelSet::load_pinned_at_first_run(const std::string& name, const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return invalid_argument("cannot open model file '" + path + "'");
  Deferred d{path, std::vector<std::uint8_t>((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>()), {}};
  if (d.bytes.empty()) return corrupt_data(path + ": not an ONNX model: the file is empty");
  auto signature = read_onnx_signature(d.bytes);
  if (!signature.ok()) return Status(signature.status().code(), path + ": " + signature.status().message());
  HUABU_RETURN_IF_ERROR(check_signature_types(*signature, path));
  d.signature = std::move(signature).value();
  engines_.erase(name);
  deferred_.insert_or_assign(name, std::move(d));
  return ok_status();
}

const OnnxSignature* ModelSet::signature(std::string_view name) const {
  if (const auto e = engines_.find(name); e != engines_.end()) return &e->second.signature();
  if (const auto d = deferred_.find(name); d != deferred_.end()) return &d->second.signature;
  return nullptr;
}

Status ModelSet::load_deferred(const std::string& name, const std::vector<ModelTensor>& inputs) {
  const auto it = deferred_.find(name);
  PinnedDims pinned;
  for (const ValueSignature& v : it->second.signature.inputs) {
    for (const ModelTensor& t : inputs) {
      if (t.name != v.name || t.shape.size() != v.dims.size()) continue;
      for (std::size_t i = 0; i < v.dims.size(); ++i) {
        if (!v.dims[i].fixed() && !v.dims[i].symbol.empty()) pinned.emplace(v.dims[i].symbol, t.shape[i]);
      }
    }
  }
  auto engine = OnnxEngine::load_from_bytes(it->second.bytes, it->second.path, pinned);
  if (!engine.ok()) return engine.status();
  deferred_.erase(it);
  engines_.insert_or_assign(name, std::move(engine).value());
  return ok_status();
}

Result<std::vector<ModelTensor>> ModelSet::run(const PipelineAction& action) {
  if (deferred_.count(action.model)) HUABU_RETURN_IF_ERROR(load_deferred(action.model, action.inputs));
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
