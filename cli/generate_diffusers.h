// huabu-cli generate --model-dir DIR, when DIR is a diffusers ONNX layout (SD-Turbo style):
// the core's DiffusersTextToImage pipeline, the same one the browser's worker drives with
// onnxruntime-web (web/src/ml/diffusers-pipeline.js), here answered by the native engine.
// The request is built as the app builds it for /draw with a loaded model: steps 4 and no
// guidance unless given, the sampler from the scheduler config, the graph's size or 512.
// Same prompt, seed and options give the browser's picture (tests/node/cli-diffusers.test.mjs).
#pragma once

#include <string>
#include <vector>

#include "cli_options.h"

namespace huabu::cli {

// positional: PROMPT OUT; options: --seed N, --count N, --steps N, --guidance G,
// --negative TEXT, --sampler euler|euler-ancestral|ddim|lcm, --width W, --height H,
// --upscale 1|4 (default 1), --quality Q, --lossless. Returns the exit status.
int run_generate_diffusers(const std::vector<std::string>& positional, const Options& options, const std::string& dir);

}  // namespace huabu::cli
