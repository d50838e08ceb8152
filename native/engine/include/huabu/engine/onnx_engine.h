// huabu/engine/onnx_engine.h: runs an ONNX model natively with OpenCV's dnn module (Debian
// libopencv-dnn-dev 4.6, CPU). The native counterpart of the browser's onnxruntime-web
// sessions: a pipeline hands it named tensors and gets named tensors back.
//
//   auto engine = huabu::engine::OnnxEngine::load("models/huabu-sr-x2/model.onnx");
//   if (!engine.ok()) return engine.status();     // corrupt_data: not ONNX; unsupported: an
//                                                 // operator OpenCV 4.6 cannot import
//   huabu::engine::NamedTensors in;
//   in.emplace("input", huabu::engine::Tensor::float32({1, 3, h, w}, pixels));
//   auto out = engine->run(in);                   // out->at("output"): [1, 3, 2h, 2w]
//
// run() checks the inputs against the model's declared signature first (names, element
// types, ranks, fixed dimensions, and that a symbolic dimension such as "B" has one value
// across all inputs), so a wrong call gets an invalid_argument naming the input instead of
// an OpenCV assertion. int64 and int32 inputs (both fed as int64 tensors) are computed in
// float32 inside OpenCV, so their values must stay within +-2^24 (exact in float32); token
// and style ids do.
//
// Ownership: the engine owns its network. Threading: one run() at a time per engine
// (OpenCV's Net keeps per-run state); OpenCV itself uses its thread pool inside a run.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "huabu/engine/named_tensors.h"
#include "huabu/engine/onnx_signature.h"
#include "huabu/engine/opencv_adapt.h"
#include "huabu/status.h"

namespace huabu::engine {

class OnnxEngine {
 public:
  // Reads the file; errors: invalid_argument (cannot open), corrupt_data (not ONNX),
  // unsupported (an element type other than float32/int64, or int32 for inputs, or OpenCV's
  // importer rejects the graph: the message names the node and operator). The graph goes
  // through adapt_for_opencv first (float16 weights widened; `pinned` named dimensions such
  // as {"B", 1} fixed, which run() then requires).
  [[nodiscard]] static Result<OnnxEngine> load(const std::string& path, const PinnedDims& pinned = {});
  // Same from memory; `label` names the model in messages.
  [[nodiscard]] static Result<OnnxEngine> load_from_bytes(std::span<const std::uint8_t> bytes,
                                                          const std::string& label, const PinnedDims& pinned = {});

  [[nodiscard]] Result<NamedTensors> run(const NamedTensors& inputs);

  [[nodiscard]] const std::vector<ValueSignature>& inputs() const { return signature_.inputs; }
  [[nodiscard]] const std::vector<ValueSignature>& outputs() const { return signature_.outputs; }
  [[nodiscard]] const OnnxSignature& signature() const { return signature_; }
  [[nodiscard]] const std::string& label() const { return label_; }

  OnnxEngine(OnnxEngine&&) noexcept;
  OnnxEngine& operator=(OnnxEngine&&) noexcept;
  ~OnnxEngine();

 private:
  struct Network;  // OpenCV's Net, kept out of this header
  OnnxEngine(std::string label, OnnxSignature signature, std::unique_ptr<Network> network);

  [[nodiscard]] Status check_inputs(const NamedTensors& inputs) const;

  std::string label_;
  OnnxSignature signature_;
  std::unique_ptr<Network> network_;
};

// The element-type check OnnxEngine::load applies: unsupported naming the first input or
// output the engine cannot take (float16 IO, strings, ...), prefixed by `label`.
[[nodiscard]] Status check_signature_types(const OnnxSignature& signature, const std::string& label);

// The input check OnnxEngine::run applies, usable without an engine
// (e.g. against a manifest): invalid_argument naming the first mismatch.
[[nodiscard]] Status check_inputs_against(const std::vector<ValueSignature>& declared,
                                          const NamedTensors& inputs);

}  // namespace huabu::engine
