// huabu-cli generate: text -> image with huabu-tiny, natively. The same C++ pipeline the
// browser worker drives (huabu::TextToImagePipeline, sans-IO next()/provide()), here answered
// by the native engine (huabu::engine::drive, OpenCV dnn) instead of onnxruntime-web; the
// request is built as web/src/ml/generate-request.js builds it (manifest defaults, style
// names), then each 32 px image goes through huabu-sr-x4 as in the app. So the same prompt
// and seed give the browser's picture (tests/node/cli-generate.test.mjs).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace huabu::cli {

// positional: PROMPT OUT; options: --seed N, --count N, --steps N, --guidance G,
// --guidance-above T, --style NAME, --sampler euler|heun, --upscale 1|4, --model-dir DIR, --quality Q, --lossless.
// Image i (1-based) of N is written to OUT for i = 1 and to OUT with "-i" before the
// extension otherwise (out.png, out-2.png, ...). Returns the exit status (messages on stderr).
int run_generate(const std::vector<std::string>& positional, const std::map<std::string, std::string>& options);

}  // namespace huabu::cli
