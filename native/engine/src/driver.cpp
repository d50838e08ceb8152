#include "huabu/engine/driver.h"

namespace huabu::engine {

Status ModelSet::load(const std::string& name, const std::string& path) {
  auto engine = OnnxEngine::load(path);
  if (!engine.ok()) return engine.status();
  engines_.insert_or_assign(name, std::move(engine).value());
  return ok_status();
}

Result<NamedTensors> ModelSet::run(const ModelRequest& request) {
  const auto it = engines_.find(request.model);
  if (it == engines_.end()) {
    std::string known;
    for (const auto& [name, engine] : engines_) known += (known.empty() ? "" : ", ") + name;
    return invalid_argument("the pipeline asked for model '" + request.model + "'; loaded: " +
                            (known.empty() ? "none" : known));
  }
  return it->second.run(request.inputs);
}

}  // namespace huabu::engine
