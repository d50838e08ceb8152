#include <algorithm>
#include <cstdint>

#include "base/alloc.h"
#include "base/str_cat.h"
#include "huabu/tiling.h"

namespace huabu {

using detail::str_cat;

namespace {

// Feather weights along one axis of a tile's output: a linear ramp over `ramp` pixels at each
// edge that lies inside the image (edges on the image border keep full weight).
void axis_weights(int start, int length, int image_length, int scale, int ramp, std::vector<float>* w) {
  w->assign(static_cast<std::size_t>(length) * scale, 1.0f);
  if (ramp == 0) return;
  const int n = length * scale;
  const bool ramp_low = start > 0, ramp_high = start + length < image_length;
  for (int d = 0; d < n && d < ramp; ++d) {
    const float v = (static_cast<float>(d) + 0.5f) / static_cast<float>(ramp);
    if (ramp_low) (*w)[d] = std::min((*w)[d], v);
    if (ramp_high) (*w)[n - 1 - d] = std::min((*w)[n - 1 - d], v);
  }
}

std::uint8_t round_clamp(float v) {
  if (!(v > 0.0f)) return 0;
  if (v >= 254.5f) return 255;
  return static_cast<std::uint8_t>(static_cast<int>(v + 0.5f));
}

}  // namespace

Result<TileStitcher> TileStitcher::create(int width, int height, int scale, int overlap) {
  HUABU_RETURN_IF_ERROR(check_image_size(width, height));
  if (scale < 1 || scale > kMaxTileScale) {
    return invalid_argument(str_cat("scale ", scale, " must be in 1..", kMaxTileScale));
  }
  if (overlap < 0 || overlap > kMaxImageSide) {
    return invalid_argument(str_cat("overlap ", overlap, " must be in 0..", kMaxImageSide));
  }
  // width * scale fits in int: 16384 * 16 < 2^31.
  if (Status out = check_image_size(width * scale, height * scale); !out.ok()) {
    return Status(out.code(), str_cat("output ", width * scale, "x", height * scale, " (input times scale ", scale,
                                      "): ", out.message()));
  }
  const std::size_t pixels = static_cast<std::size_t>(width) * scale * height * scale;
  auto sums = detail::try_allocate<float>(pixels * 4);
  auto weights = detail::try_allocate<float>(pixels);
  if (!sums || !weights) {
    return resource_exhausted(str_cat("tile stitcher: could not allocate ", pixels * 20, " bytes"));
  }
  return TileStitcher(width, height, scale, overlap, std::move(sums), std::move(weights));
}

Status TileStitcher::add(const Tile& tile, ImageView output) {
  if (tile.width < 1 || tile.height < 1) {
    return invalid_argument(str_cat("tile size ", tile.width, "x", tile.height, " must be positive"));
  }
  if (tile.x < 0 || tile.y < 0 || std::int64_t{tile.x} + tile.width > width_ ||
      std::int64_t{tile.y} + tile.height > height_) {
    return out_of_range(str_cat("tile x ", tile.x, " y ", tile.y, " width ", tile.width, " height ", tile.height,
                                " is not inside the ", width_, "x", height_, " image"));
  }
  HUABU_RETURN_IF_ERROR(output.validate());
  if (output.format() != PixelFormat::kRgba8) {
    return unsupported(str_cat("tile output must be rgba8, got ", pixel_format_name(output.format())));
  }
  if (output.width() != tile.width * scale_ || output.height() != tile.height * scale_) {
    return invalid_argument(str_cat("tile output ", output.width(), "x", output.height(), " must be ",
                                    tile.width * scale_, "x", tile.height * scale_, " (tile size times scale ",
                                    scale_, ")"));
  }
  const int ramp = 2 * overlap_ * scale_;
  std::vector<float> wx, wy;
  axis_weights(tile.x, tile.width, width_, scale_, ramp, &wx);
  axis_weights(tile.y, tile.height, height_, scale_, ramp, &wy);
  const std::size_t out_w = static_cast<std::size_t>(output_width());
  for (int y = 0; y < output.height(); ++y) {
    const std::uint8_t* src = output.row(y);
    const std::size_t base = (static_cast<std::size_t>(tile.y) * scale_ + y) * out_w +
                             static_cast<std::size_t>(tile.x) * scale_;
    for (int x = 0; x < output.width(); ++x) {
      const float w = wx[x] * wy[y];
      float* sum = sums_.get() + (base + x) * 4;
      for (int c = 0; c < 4; ++c) sum[c] += w * static_cast<float>(src[x * 4 + c]);
      weights_[base + x] += w;
    }
  }
  return ok_status();
}

Result<Image> TileStitcher::finish() const {
  auto made = Image::create(output_width(), output_height(), PixelFormat::kRgba8);
  if (!made.ok()) return made.status();
  Image out = std::move(made).value();
  const std::size_t pixels = static_cast<std::size_t>(output_width()) * output_height();
  std::uint8_t* px = out.data();
  for (std::size_t p = 0; p < pixels; ++p, px += 4) {
    const float w = weights_[p];
    if (!(w > 0.0f)) {
      return invalid_argument(str_cat("output pixel x ", p % output_width(), " y ", p / output_width(),
                                      " is not covered by any tile"));
    }
    for (int c = 0; c < 4; ++c) px[c] = round_clamp(sums_[p * 4 + c] / w);
  }
  return out;
}

}  // namespace huabu
