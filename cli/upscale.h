// Super-resolution of an image of any size through the native engine: the same steps as
// the browser's web/src/ml/upscale-pipeline.js (the core's tile plan and stitcher, RGB as
// float32 0..255 NCHW, alpha resized bicubically and put back), so both give the same image.
#pragma once

#include <functional>

#include "huabu/engine/onnx_engine.h"
#include "huabu/image.h"
#include "huabu/status.h"
#include "sr_manifest.h"

namespace huabu::cli {

// on_tile(done, total) after each tile (and once with done = 0 before the first).
[[nodiscard]] Result<Image> upscale(engine::OnnxEngine& engine, const SrManifest& manifest, ImageView image,
                                    const std::function<void(int, int)>& on_tile);

}  // namespace huabu::cli
