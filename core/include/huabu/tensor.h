// huabu/tensor.h: images to float tensors for ML models, and back.
//
//   huabu::TensorOptions opt;                 // NCHW, 3 channels, value = byte / 255
//   opt.mean = {0.5f, 0.5f, 0.5f}; opt.std = {0.5f, 0.5f, 0.5f};   // -> [-1, 1]
//   auto t = huabu::image_to_tensor(img.view(), opt);              // 1 x 3 x H x W floats
//   auto back = huabu::tensor_to_image(*t, img.width(), img.height(), opt);   // RGBA8
//
// Ownership: returned vectors and Images belong to the caller; inputs are borrowed.
// Threading: pure functions; safe to call concurrently.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "huabu/image.h"
#include "huabu/status.h"

namespace huabu {

enum class TensorLayout {
  kNchw,  // planar: all of channel 0, then channel 1, ... (batch 1)
  kNhwc,  // interleaved: pixel by pixel, channels innermost (batch 1)
};

[[nodiscard]] Result<TensorLayout> parse_tensor_layout(std::string_view name);  // "nchw"/"nhwc"

struct TensorOptions {
  TensorLayout layout = TensorLayout::kNchw;
  int channels = 3;               // 3 = RGB (alpha dropped / set to 255), 4 = RGBA
  float scale = 1.0f / 255.0f;    // value = (byte * scale - mean[c]) / std[c]
  std::vector<float> mean;        // empty (all 0) or exactly `channels` values
  std::vector<float> std;         // empty (all 1) or exactly `channels` values, none zero
};

// Checks channels (3 or 4), mean/std sizes, finite values, non-zero std, positive scale.
[[nodiscard]] Status validate_tensor_options(const TensorOptions& options);

// Number of floats for a width x height image: width * height * channels.
[[nodiscard]] std::size_t tensor_size(int width, int height, const TensorOptions& options);

// Image (RGBA8, or RGB8 when channels == 3) to a 1 x C x H x W or 1 x H x W x C tensor.
[[nodiscard]] Result<std::vector<float>> image_to_tensor(ImageView image,
                                                         const TensorOptions& options);

// Inverse: byte = clamp(floor((value * std[c] + mean[c]) / scale + 0.5), 0, 255) (round half
// up); NaN becomes 0. data.size() must equal tensor_size(). Returns RGBA8 (alpha 255 for 3
// channels).
[[nodiscard]] Result<Image> tensor_to_image(std::span<const float> data, int width, int height,
                                            const TensorOptions& options);

}  // namespace huabu
