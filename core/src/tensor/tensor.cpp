#include "huabu/tensor.h"

#include <cmath>
#include <cstdint>

#include "base/alloc.h"
#include "base/str_cat.h"

namespace huabu {

using detail::str_cat;

namespace {

std::uint8_t to_byte(float v) {
  if (!(v > 0.0f)) return 0;  // also NaN
  if (v >= 254.5f) return 255;
  return static_cast<std::uint8_t>(static_cast<int>(v + 0.5f));  // round half up
}

// Per-channel mean and std with the "empty means 0 / 1" defaults applied.
struct Affine {
  float mean[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  float std[4] = {1.0f, 1.0f, 1.0f, 1.0f};
};

Affine affine_of(const TensorOptions& o) {
  Affine a;
  for (int c = 0; c < o.channels; ++c) {
    if (!o.mean.empty()) a.mean[c] = o.mean[c];
    if (!o.std.empty()) a.std[c] = o.std[c];
  }
  return a;
}

// Index of (channel c, pixel p) in a tensor of `pixels` pixels.
std::size_t tensor_index(TensorLayout layout, int channels, std::size_t pixels, std::size_t p, int c) {
  return layout == TensorLayout::kNchw ? c * pixels + p : p * channels + c;
}

}  // namespace

Result<TensorLayout> parse_tensor_layout(std::string_view name) {
  if (name == "nchw") return TensorLayout::kNchw;
  if (name == "nhwc") return TensorLayout::kNhwc;
  return invalid_argument(str_cat("tensor layout '", name, "' must be nchw or nhwc"));
}

Status validate_tensor_options(const TensorOptions& o) {
  if (o.channels != 3 && o.channels != 4) {
    return invalid_argument(str_cat("channels ", o.channels, " must be 3 or 4"));
  }
  if (!std::isfinite(o.scale) || !(o.scale > 0.0f)) {
    return invalid_argument(str_cat("scale ", o.scale, " must be finite and positive"));
  }
  if (!o.mean.empty() && o.mean.size() != static_cast<std::size_t>(o.channels)) {
    return invalid_argument(str_cat("mean has ", o.mean.size(), " values, expected ", o.channels, " (channels)"));
  }
  if (!o.std.empty() && o.std.size() != static_cast<std::size_t>(o.channels)) {
    return invalid_argument(str_cat("std has ", o.std.size(), " values, expected ", o.channels, " (channels)"));
  }
  for (int c = 0; c < o.channels && !o.mean.empty(); ++c) {
    if (!std::isfinite(o.mean[c])) return invalid_argument(str_cat("mean[", c, "] ", o.mean[c], " must be finite"));
  }
  for (int c = 0; c < o.channels && !o.std.empty(); ++c) {
    if (!std::isfinite(o.std[c]) || o.std[c] == 0.0f) {
      return invalid_argument(str_cat("std[", c, "] ", o.std[c], " must be finite and non-zero"));
    }
  }
  return ok_status();
}

std::size_t tensor_size(int width, int height, const TensorOptions& options) {
  return static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * options.channels;
}

Result<std::vector<float>> image_to_tensor(ImageView image, const TensorOptions& o) {
  HUABU_RETURN_IF_ERROR(image.validate());
  HUABU_RETURN_IF_ERROR(validate_tensor_options(o));
  const bool rgba = image.format() == PixelFormat::kRgba8;
  if (!rgba && !(image.format() == PixelFormat::kRgb8 && o.channels == 3)) {
    return unsupported(str_cat("image_to_tensor with ", o.channels, " channels needs ",
                               o.channels == 3 ? "rgba8 or rgb8" : "rgba8", ", got ",
                               pixel_format_name(image.format())));
  }
  auto made = detail::try_make_vector<float>(tensor_size(image.width(), image.height(), o), "tensor");
  if (!made.ok()) return made.status();
  std::vector<float> out = std::move(made).value();
  const std::size_t pixels = static_cast<std::size_t>(image.width()) * image.height();
  const int bpp = image.channels();
  const Affine a = affine_of(o);
  for (int y = 0; y < image.height(); ++y) {
    const std::uint8_t* row = image.row(y);
    for (int x = 0; x < image.width(); ++x) {
      const std::size_t p = static_cast<std::size_t>(y) * image.width() + x;
      for (int c = 0; c < o.channels; ++c) {
        const float byte = row[x * bpp + c];
        out[tensor_index(o.layout, o.channels, pixels, p, c)] = (byte * o.scale - a.mean[c]) / a.std[c];
      }
    }
  }
  return out;
}

Result<Image> tensor_to_image(std::span<const float> data, int width, int height, const TensorOptions& o) {
  HUABU_RETURN_IF_ERROR(check_image_size(width, height));
  HUABU_RETURN_IF_ERROR(validate_tensor_options(o));
  const std::size_t expected = tensor_size(width, height, o);
  if (data.size() != expected) {
    return invalid_argument(str_cat("tensor has ", data.size(), " values, expected ", expected, " (", width, "x",
                                    height, "x", o.channels, ")"));
  }
  auto made = Image::create(width, height, PixelFormat::kRgba8);
  if (!made.ok()) return made.status();
  Image out = std::move(made).value();
  const std::size_t pixels = static_cast<std::size_t>(width) * height;
  std::uint8_t* px = out.data();
  const Affine a = affine_of(o);
  for (std::size_t p = 0; p < pixels; ++p, px += 4) {
    for (int c = 0; c < o.channels; ++c) {
      const float v = data[tensor_index(o.layout, o.channels, pixels, p, c)];
      px[c] = to_byte((v * a.std[c] + a.mean[c]) / o.scale);
    }
    if (o.channels == 3) px[3] = 255;
  }
  return out;
}

}  // namespace huabu
