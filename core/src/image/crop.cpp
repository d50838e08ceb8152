#include <cstdint>

#include "base/str_cat.h"
#include "huabu/image_ops.h"

namespace huabu {

using detail::str_cat;

Result<ImageView> crop_view(ImageView src, int x, int y, int width, int height) {
  HUABU_RETURN_IF_ERROR(src.validate());
  if (width < 1) return invalid_argument(str_cat("crop width ", width, " must be at least 1"));
  if (height < 1) return invalid_argument(str_cat("crop height ", height, " must be at least 1"));
  // 64-bit sums: x + width must not overflow for hostile inputs.
  if (x < 0 || y < 0 || std::int64_t{x} + width > src.width() ||
      std::int64_t{y} + height > src.height()) {
    return out_of_range(str_cat("crop rectangle x ", x, " y ", y, " width ", width, " height ", height,
                                " is not inside the ", src.width(), "x", src.height(), " image"));
  }
  const std::uint8_t* origin = src.row(y) + std::ptrdiff_t{x} * src.channels();
  return ImageView(origin, width, height, src.format(), src.stride());
}

Result<Image> crop(ImageView src, int x, int y, int width, int height) {
  auto view = crop_view(src, x, y, width, height);
  if (!view.ok()) return view.status();
  return Image::copy_of(*view);
}

}  // namespace huabu
