// huabu/engine/driver.h: runs the core's sans-IO pipelines (issue #4) natively. A pipeline
// never runs a network: next() returns an action ("run graph M on these named tensors", a
// preview, done) and provide() takes the graph's outputs. In the browser the inference worker
// answers with onnxruntime-web (web/src/ml/text-to-image.js); here drive() answers with
// OnnxEngine, so the same pipeline code runs in both.
//
//   huabu::engine::ModelSet models;
//   HUABU_RETURN_IF_ERROR(models.load("unet", "models/huabu-tiny/unet/model.onnx", {{"B", 2}}));
//   auto done = huabu::engine::drive(pipeline, models, {.on_action = show_progress});
//   if (!done.ok()) return done.status();          // done->images: the results
//
// The pipeline type needs the members in SansIoPipeline (huabu::TextToImagePipeline has
// them). Ownership: ModelSet owns its engines. Threading: drive() runs on the caller's thread.
#pragma once

#include <chrono>
#include <concepts>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "huabu/engine/named_tensors.h"
#include "huabu/engine/onnx_engine.h"
#include "huabu/model_tensor.h"
#include "huabu/status.h"
#include "huabu/text_to_image.h"

namespace huabu::engine {

// next(): the next action, or an error (cancelled after cancel()). provide(): the outputs of
// the last kRunModel action. cancel(): makes the next next() end the run with cancelled.
template <typename P>
concept SansIoPipeline = requires(P& p, const std::vector<ModelTensor>& outputs) {
  { p.next() } -> std::same_as<Result<PipelineAction>>;
  { p.provide(outputs) } -> std::same_as<Status>;
  { p.cancel() };
};

// The adapter between the core's tensors and the engine's (same names, shapes and values).
[[nodiscard]] NamedTensors to_named_tensors(const std::vector<ModelTensor>& tensors);
[[nodiscard]] std::vector<ModelTensor> to_model_tensors(const NamedTensors& tensors);

// Engines by the graph names pipelines use in their actions.
class ModelSet {
 public:
  // `pinned` as in OnnxEngine::load (e.g. {{"B", 2}}: the batch the pipeline will ask for).
  [[nodiscard]] Status load(const std::string& name, const std::string& path, const PinnedDims& pinned = {});
  // For graphs whose sizes only the pipeline knows (diffusers layouts: batch, latent size;
  // huabu-tiny's UNet: 2B rows on guided steps, B on unguided ones): reads the file and
  // checks its signature and element types now, and imports it into OpenCV at the first run
  // of `name` with each new set of sizes, every symbolic input dimension pinned to the size
  // that run gives it. Each import is kept for later runs of the same sizes.
  [[nodiscard]] Status load_pinned_per_run_size(const std::string& name, const std::string& path);
  // Imports such a graph for these sizes now (load time stays out of the first run's time);
  // a no-op when that import exists. invalid_argument for a name not loaded that way.
  [[nodiscard]] Status prepare(const std::string& name, const PinnedDims& pinned);
  // The declared inputs/outputs of a loaded or deferred graph; nullptr for an unknown name.
  [[nodiscard]] const OnnxSignature* signature(std::string_view name) const;
  // Runs action.model on action.inputs; invalid_argument if no engine has that name.
  [[nodiscard]] Result<std::vector<ModelTensor>> run(const PipelineAction& action);
  [[nodiscard]] bool has(const std::string& name) const { return engines_.count(name) + deferred_.count(name) > 0; }

 private:
  struct Deferred {
    std::string path;
    std::vector<std::uint8_t> bytes;
    OnnxSignature signature;
    std::map<PinnedDims, OnnxEngine> imports;  // one per set of run sizes seen
  };
  // The import of a deferred graph pinned to these sizes (made on first use).
  [[nodiscard]] static Result<OnnxEngine*> import_for(Deferred& graph, const PinnedDims& pinned);

  std::map<std::string, OnnxEngine, std::less<>> engines_;
  std::map<std::string, Deferred, std::less<>> deferred_;
};

struct DriveHooks {
  // Asked before every next(); false cancels the pipeline, whose next() then ends the run
  // with its cancelled status (between model runs: a run in progress is not interrupted).
  std::function<bool()> keep_going = nullptr;
  // Every action as the pipeline returns it, before it is run: progress (step/steps), previews.
  std::function<void(const PipelineAction&)> on_action = nullptr;
  // After each model run: the action and the run's wall time in milliseconds (--timings).
  std::function<void(const PipelineAction&, double)> on_model_run = nullptr;
};

// Runs `pipeline` to the end and returns its kDone action; any error (the pipeline's, an
// unknown graph, the engine's) ends the run with that status.
template <SansIoPipeline P>
[[nodiscard]] Result<PipelineAction> drive(P& pipeline, ModelSet& models, const DriveHooks& hooks = {}) {
  for (;;) {
    if (hooks.keep_going && !hooks.keep_going()) pipeline.cancel();
    auto action = pipeline.next();
    if (!action.ok()) return action.status();
    if (hooks.on_action) hooks.on_action(*action);
    if (action->kind == PipelineAction::Kind::kDone) return action;
    if (action->kind != PipelineAction::Kind::kRunModel) continue;
    const auto start = std::chrono::steady_clock::now();
    auto outputs = models.run(*action);
    if (!outputs.ok()) return outputs.status();
    if (hooks.on_model_run) {
      hooks.on_model_run(*action, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    HUABU_RETURN_IF_ERROR(pipeline.provide(*outputs));
  }
}

}  // namespace huabu::engine
