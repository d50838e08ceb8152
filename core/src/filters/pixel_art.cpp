// Pixel art: block averages, a small median-cut palette, blocks scaled back up. Integer only.
// Parameters (style_registry.cpp order): block, colors, dither (0 none, 1 ordered,
// 2 Floyd-Steinberg). Memory: the block image is 1/block^2 of the input.
#include <algorithm>
#include <cstdint>
#include <optional>

#include "filters/strips.h"
#include "filters/style_ops.h"

namespace huabu::detail {

namespace {

// Mean colour of each block x block cell (partial cells at the right/bottom edges included).
Result<Image> block_means(ImageView rgba, int block) {
  const int bw = (rgba.width() + block - 1) / block, bh = (rgba.height() + block - 1) / block;
  auto made = Image::create(bw, bh, PixelFormat::kRgba8);
  if (!made.ok()) return made.status();
  Image small = std::move(made).value();
  for (int by = 0; by < bh; ++by) {
    const int y0 = by * block, y1 = std::min(rgba.height(), y0 + block);
    for (int bx = 0; bx < bw; ++bx) {
      const int x0 = bx * block, x1 = std::min(rgba.width(), x0 + block);
      std::uint32_t sum[3] = {0, 0, 0};
      for (int y = y0; y < y1; ++y) {
        const std::uint8_t* p = rgba.row(y) + 4 * x0;
        for (int x = x0; x < x1; ++x, p += 4) {
          for (int c = 0; c < 3; ++c) sum[c] += p[c];
        }
      }
      const std::uint32_t n = static_cast<std::uint32_t>((y1 - y0) * (x1 - x0));
      std::uint8_t* o = small.mutable_view().row(by) + 4 * bx;
      for (int c = 0; c < 3; ++c) o[c] = static_cast<std::uint8_t>((sum[c] + n / 2) / n);
      o[3] = 255;
    }
  }
  return small;
}

}  // namespace

Result<Image> pixel_art(ImageView src, std::span<const double> p, const StyleOptions& options) {
  const int block = static_cast<int>(p[0]);
  const int colors = static_cast<int>(p[1]);
  const Dither dither = static_cast<Dither>(static_cast<int>(p[2]));
  std::optional<Image> storage;
  ImageView rgba;
  HUABU_RETURN_IF_ERROR(as_rgba(src, &storage, &rgba));
  auto small = block_means(rgba, block);
  if (!small.ok()) return small.status();
  HUABU_RETURN_IF_ERROR(report_progress(options, 0.4, "pixelart"));
  auto palette = extract_palette(small->view(), colors);
  if (!palette.ok()) return palette.status();
  auto quantized = quantize_to_palette(small->view(), *palette, dither);
  if (!quantized.ok()) return quantized.status();
  HUABU_RETURN_IF_ERROR(report_progress(options, 0.7, "pixelart"));
  auto made = Image::create(rgba.width(), rgba.height(), PixelFormat::kRgba8);
  if (!made.ok()) return made.status();
  Image out = std::move(made).value();
  for (int y = 0; y < out.height(); ++y) {
    const std::uint8_t* q = quantized->view().row(y / block);
    const std::uint8_t* a = rgba.row(y);
    std::uint8_t* o = out.mutable_view().row(y);
    for (int x0 = 0, bx = 0; x0 < out.width(); x0 += block, ++bx) {  // no division per pixel
      const std::uint8_t* c = q + 4 * bx;
      for (int x = x0; x < std::min(out.width(), x0 + block); ++x) {
        o[4 * x] = c[0];
        o[4 * x + 1] = c[1];
        o[4 * x + 2] = c[2];
        o[4 * x + 3] = a[4 * x + 3];  // alpha kept
      }
    }
  }
  HUABU_RETURN_IF_ERROR(report_progress(options, 1.0, "pixelart"));
  return out;
}

}  // namespace huabu::detail
