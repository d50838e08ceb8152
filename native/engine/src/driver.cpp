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

Status ModelSet::load_pinned_per_run_size(const std::string& name, const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return invalid_argument("cannot open model file '" + path + "'");
  Deferred d{path, std::vector<std::uint8_t>((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>()), {}, {}};
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

namespace {

// The sizes `inputs` give the graph's symbolic input dimensions.
PinnedDims run_sizes(const OnnxSignature& signature, const std::vector<ModelTensor>& inputs) {
  PinnedDims pinned;
  for (const ValueSignature& v : signature.inputs) {
    for (const ModelTensor& t : inputs) {
      if (t.name != v.name || t.shape.size() != v.dims.size()) continue;
      for (std::size_t i = 0; i < v.dims.size(); ++i) {
        if (!v.dims[i].fixed() && !v.dims[i].symbol.empty()) pinned.emplace(v.dims[i].symbol, t.shape[i]);
      }
    }
  }
  return pinned;
}

}  // namespace

Result<OnnxEngine*> ModelSet::import_for(Deferred& graph, const PinnedDims& pinned) {
  if (const auto found = graph.imports.find(pinned); found != graph.imports.end()) return &found->second;
  auto engine = OnnxEngine::load_from_bytes(graph.bytes, graph.path, pinned);
  if (!engine.ok()) return engine.status();
  return &graph.imports.emplace(pinned, std::move(engine).value()).first->second;
}

Status ModelSet::prepare(const std::string& name, const PinnedDims& pinned) {
  const auto d = deferred_.find(name);
  if (d == deferred_.end()) return invalid_argument("prepare: '" + name + "' was not loaded with load_pinned_per_run_size");
  auto imported = import_for(d->second, pinned);
  return imported.ok() ? ok_status() : imported.status();
}

Result<std::vector<ModelTensor>> ModelSet::run(const PipelineAction& action) {
  const NamedTensors feeds = to_named_tensors(action.inputs);
  OnnxEngine* engine = nullptr;
  if (const auto d = deferred_.find(action.model); d != deferred_.end()) {
    // Checked before an import: a wrong input is named, not met by an OpenCV assertion.
    HUABU_RETURN_IF_ERROR(check_inputs_against(d->second.signature.inputs, feeds));
    auto imported = import_for(d->second, run_sizes(d->second.signature, action.inputs));
    if (!imported.ok()) return imported.status();
    engine = *imported;
  } else if (const auto e = engines_.find(action.model); e != engines_.end()) {
    engine = &e->second;
  } else {
    std::string known;
    for (const auto& [name, loaded] : engines_) known += (known.empty() ? "" : ", ") + name;
    for (const auto& [name, graph] : deferred_) known += (known.empty() ? "" : ", ") + name;
    return invalid_argument("the pipeline asked for model '" + action.model + "'; loaded: " +
                            (known.empty() ? "none" : known));
  }
  auto outputs = engine->run(feeds);
  if (!outputs.ok()) return outputs.status();
  return to_model_tensors(*outputs);
}

}  // namespace huabu::engine
