#include <cstdint>

#include "huabu/image_ops.h"

namespace huabu {
namespace {

std::uint8_t luma(const std::uint8_t* rgb) {
  return static_cast<std::uint8_t>((77u * rgb[0] + 150u * rgb[1] + 29u * rgb[2] + 128u) >> 8);
}

// Reads pixel x of a row as RGBA (gray replicated, missing alpha = 255).
void read_rgba(const std::uint8_t* row, int x, PixelFormat format, std::uint8_t out[4]) {
  switch (format) {
    case PixelFormat::kRgba8:
      for (int c = 0; c < 4; ++c) out[c] = row[4 * x + c];
      return;
    case PixelFormat::kRgb8:
      for (int c = 0; c < 3; ++c) out[c] = row[3 * x + c];
      out[3] = 255;
      return;
    case PixelFormat::kGray8:
      out[0] = out[1] = out[2] = row[x];
      out[3] = 255;
      return;
  }
}

void write_pixel(std::uint8_t* row, int x, PixelFormat format, const std::uint8_t rgba[4]) {
  switch (format) {
    case PixelFormat::kRgba8:
      for (int c = 0; c < 4; ++c) row[4 * x + c] = rgba[c];
      return;
    case PixelFormat::kRgb8:
      for (int c = 0; c < 3; ++c) row[3 * x + c] = rgba[c];
      return;
    case PixelFormat::kGray8:
      row[x] = luma(rgba);
      return;
  }
}

}  // namespace

Result<Image> convert(ImageView src, PixelFormat format) {
  HUABU_RETURN_IF_ERROR(src.validate());
  if (src.format() == format) return Image::copy_of(src);
  auto made = Image::create(src.width(), src.height(), format);
  if (!made.ok()) return made.status();
  Image out = std::move(made).value();
  MutableImageView dst = out.mutable_view();
  for (int y = 0; y < src.height(); ++y) {
    const std::uint8_t* in_row = src.row(y);
    std::uint8_t* out_row = dst.row(y);
    for (int x = 0; x < src.width(); ++x) {
      std::uint8_t rgba[4] = {0, 0, 0, 255};
      read_rgba(in_row, x, src.format(), rgba);
      write_pixel(out_row, x, format, rgba);
    }
  }
  return out;
}

}  // namespace huabu
