// A diffusers ONNX layout on disk (text_encoder/, unet/, vae_decoder/, tokenizer/, scheduler/:
// the layout the ONNX Runtime Web SD-Turbo demo loads), read for the native engine the way
// web/src/ml/diffusers-model.js reads it in the browser: the same required and optional
// files, the same tokenizer settings (model_max_length, pad_token), the graphs' signatures
// checked by the core's validate_diffusers_model.
//
//   engine::ModelSet graphs;
//   auto layout = read_diffusers_layout("path/to/sd-turbo", graphs);  // graphs: deferred loads
//   auto p = DiffusersTextToImage::create(layout->tokenizer, layout->model, request);
//
// The graphs are imported into OpenCV at their first run, pinned to the sizes the pipeline
// asks for (ModelSet::load_pinned_per_run_size). What the native engine cannot take fails
// here with a clear error: float16 inputs/outputs (`--fp16` exports), weights in external
// data files, operators OpenCV 4.6 lacks (at the first run, naming the node).
#pragma once

#include <string>

#include "huabu/clip_tokenizer.h"
#include "huabu/diffusers_pipeline.h"
#include "huabu/engine/driver.h"
#include "huabu/status.h"

namespace huabu::cli {

struct DiffusersLayout {
  std::string name;  // the folder's name, for messages
  DiffusersModel model;
  ClipTokenizer tokenizer;
};

// True when `dir` holds unet/model.onnx and no manifest.json (a diffusers layout, not a Huabu model).
[[nodiscard]] bool is_diffusers_layout(const std::string& dir);

// Errors: invalid_argument (a required file is missing), corrupt_data (not ONNX, bad JSON or
// a config value of the wrong type), unsupported (element types, scheduler settings the
// pipeline does not run), and the core's validation messages, prefixed by the folder.
[[nodiscard]] Result<DiffusersLayout> read_diffusers_layout(const std::string& dir, engine::ModelSet& graphs);

}  // namespace huabu::cli
