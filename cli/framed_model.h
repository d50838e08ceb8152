// huabu-cli sketch2img and style-transfer: the two 128-px image-to-image models, natively.
// sketch2img: a drawing (PNG/WebP, any size, dark lines on light paper or transparent) into a
// picture with huabu-sketch. style-transfer: a picture redrawn in an emoji set's style with
// huabu-style. The same steps as the browser worker (web/src/ml/framed-image-model.js): the
// core's sketch_to_input (grey or RGB, as the manifest's first input asks), the model at
// batch 1, the output as RGB, then huabu-sr-x4 with the browser's tile plan; so both give
// the same image for the same input.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace huabu::cli {

// positional: IN OUT; options: --style NAME, --upscale 1|4, --model-dir DIR, --quality Q,
// --lossless. Returns the process exit status (messages on stderr).
int run_sketch2img(const std::vector<std::string>& positional, const std::map<std::string, std::string>& options);

// As run_sketch2img, with huabu-style; --style is required (the target emoji set).
int run_style_transfer(const std::vector<std::string>& positional, const std::map<std::string, std::string>& options);

}  // namespace huabu::cli
