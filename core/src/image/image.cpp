#include "huabu/image.h"

#include <cstring>
#include <memory>
#include <new>

#include "base/alloc.h"
#include "base/str_cat.h"

namespace huabu {

using detail::str_cat;

int bytes_per_pixel(PixelFormat format) {
  switch (format) {
    case PixelFormat::kRgba8: return 4;
    case PixelFormat::kRgb8: return 3;
    case PixelFormat::kGray8: return 1;
  }
  return 4;
}

std::string_view pixel_format_name(PixelFormat format) {
  switch (format) {
    case PixelFormat::kRgba8: return "rgba8";
    case PixelFormat::kRgb8: return "rgb8";
    case PixelFormat::kGray8: return "gray8";
  }
  return "unknown";
}

Status check_image_size(int width, int height) {
  if (width < 1) return invalid_argument(str_cat("width ", width, " must be in 1..", kMaxImageSide));
  if (height < 1) return invalid_argument(str_cat("height ", height, " must be in 1..", kMaxImageSide));
  if (width > kMaxImageSide) {
    return resource_exhausted(str_cat("width ", width, " exceeds the maximum side ", kMaxImageSide));
  }
  if (height > kMaxImageSide) {
    return resource_exhausted(str_cat("height ", height, " exceeds the maximum side ", kMaxImageSide));
  }
  const std::int64_t pixels = std::int64_t{width} * height;
  if (pixels > kMaxImagePixels) {
    return resource_exhausted(str_cat("image ", width, "x", height, " has ", pixels,
                                      " pixels, more than the maximum ", kMaxImagePixels));
  }
  return ok_status();
}

Status ImageView::validate() const {
  HUABU_RETURN_IF_ERROR(check_image_size(width_, height_));
  if (data_ == nullptr) return invalid_argument("image data is null");
  const std::ptrdiff_t packed = std::ptrdiff_t{width_} * bytes_per_pixel(format_);
  if (stride_ < packed) {
    return invalid_argument(str_cat("stride ", stride_, " is less than the row size ", packed, " of a ",
                                    width_, "-pixel ", pixel_format_name(format_), " row"));
  }
  return ok_status();
}

namespace {

Result<std::unique_ptr<std::uint8_t[]>> allocate_pixels(int width, int height, PixelFormat format, bool zeroed) {
  HUABU_RETURN_IF_ERROR(check_image_size(width, height));
  const std::size_t bytes = static_cast<std::size_t>(width) * height * bytes_per_pixel(format);
  std::unique_ptr<std::uint8_t[]> pixels =
      zeroed ? detail::try_allocate<std::uint8_t>(bytes) : std::unique_ptr<std::uint8_t[]>(new (std::nothrow) std::uint8_t[bytes]);
  if (pixels == nullptr) {
    return resource_exhausted(str_cat("could not allocate ", bytes, " bytes for a ", width, "x", height,
                                      " ", pixel_format_name(format), " image"));
  }
  return pixels;
}

}  // namespace

Result<Image> Image::create(int width, int height, PixelFormat format) {
  auto pixels = allocate_pixels(width, height, format, true);
  if (!pixels.ok()) return pixels.status();
  return Image(std::move(pixels).value(), width, height, format);
}

Result<Image> Image::create_uninitialized(int width, int height, PixelFormat format) {
  auto pixels = allocate_pixels(width, height, format, false);
  if (!pixels.ok()) return pixels.status();
  return Image(std::move(pixels).value(), width, height, format);
}

Result<Image> Image::copy_of(ImageView src) {
  HUABU_RETURN_IF_ERROR(src.validate());
  auto made = create(src.width(), src.height(), src.format());
  if (!made.ok()) return made.status();
  Image image = std::move(made).value();
  const std::size_t row_bytes = static_cast<std::size_t>(image.stride());
  for (int y = 0; y < src.height(); ++y) {
    std::memcpy(image.data() + y * row_bytes, src.row(y), row_bytes);
  }
  return image;
}

}  // namespace huabu
