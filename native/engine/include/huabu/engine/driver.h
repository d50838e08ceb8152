// huabu/engine/driver.h: the native side of a sans-IO pipeline (issue #4). A pipeline never
// runs a network: it hands out requests ("run model M on these named tensors") and is given
// the outputs. In the browser the inference worker answers them with onnxruntime-web; here
// drive() answers them with OnnxEngine, so the same pipeline code runs in both.
//
//   huabu::engine::ModelSet models;
//   HUABU_RETURN_IF_ERROR(models.load("unet", "models/huabu-tiny/unet/model.onnx"));
//   HUABU_RETURN_IF_ERROR(huabu::engine::drive(pipeline, models, [&] { return !stop; }));
//
// The pipeline type only needs the two members in SansIoPipeline; the pipeline's own
// progress, previews and results stay on the pipeline object.
//
// Ownership: ModelSet owns its engines. Threading: drive() runs on the caller's thread.
#pragma once

#include <concepts>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "huabu/engine/named_tensors.h"
#include "huabu/engine/onnx_engine.h"
#include "huabu/status.h"

namespace huabu::engine {

struct ModelRequest {
  std::string model;    // a name the driver was given models for ("text_encoder", "unet", ...)
  NamedTensors inputs;
};

// next_request(): the next model run the pipeline needs, std::nullopt once it is finished,
// or an error. provide(): the outputs of the last request (an error ends the run).
template <typename P>
concept SansIoPipeline = requires(P& p, NamedTensors outputs) {
  { p.next_request() } -> std::same_as<Result<std::optional<ModelRequest>>>;
  { p.provide(std::move(outputs)) } -> std::same_as<Status>;
};

// Engines by the names pipelines use in their requests.
class ModelSet {
 public:
  [[nodiscard]] Status load(const std::string& name, const std::string& path);
  [[nodiscard]] Result<NamedTensors> run(const ModelRequest& request);
  [[nodiscard]] bool has(const std::string& name) const { return engines_.count(name) > 0; }

 private:
  std::map<std::string, OnnxEngine, std::less<>> engines_;
};

// Runs `pipeline` to the end. keep_going() is asked before every request; false stops with
// cancelled (between model runs: a run in progress is not interrupted).
template <SansIoPipeline P>
[[nodiscard]] Status drive(P& pipeline, ModelSet& models, const std::function<bool()>& keep_going) {
  for (;;) {
    if (!keep_going()) return cancelled("stopped between model runs");
    auto request = pipeline.next_request();
    if (!request.ok()) return request.status();
    if (!request->has_value()) return ok_status();
    auto outputs = models.run(**request);
    if (!outputs.ok()) return outputs.status();
    HUABU_RETURN_IF_ERROR(pipeline.provide(std::move(outputs).value()));
  }
}

}  // namespace huabu::engine
