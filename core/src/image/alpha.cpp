#include <algorithm>
#include <cstdint>

#include "base/str_cat.h"
#include "huabu/image_ops.h"

namespace huabu {

using detail::str_cat;

namespace {

Status require_rgba(ImageView image, const char* what) {
  HUABU_RETURN_IF_ERROR(image.validate());
  if (image.format() != PixelFormat::kRgba8) {
    return unsupported(str_cat(what, " needs rgba8, got ", pixel_format_name(image.format())));
  }
  return ok_status();
}

}  // namespace

Status premultiply_in_place(MutableImageView image) {
  HUABU_RETURN_IF_ERROR(require_rgba(image, "premultiply"));
  for (int y = 0; y < image.height(); ++y) {
    std::uint8_t* p = image.row(y);
    for (int x = 0; x < image.width(); ++x, p += 4) {
      const std::uint32_t a = p[3];
      for (int c = 0; c < 3; ++c) p[c] = static_cast<std::uint8_t>((p[c] * a + 127) / 255);
    }
  }
  return ok_status();
}

Status unpremultiply_in_place(MutableImageView image) {
  HUABU_RETURN_IF_ERROR(require_rgba(image, "unpremultiply"));
  for (int y = 0; y < image.height(); ++y) {
    std::uint8_t* p = image.row(y);
    for (int x = 0; x < image.width(); ++x, p += 4) {
      const std::uint32_t a = p[3];
      for (int c = 0; c < 3; ++c) {
        p[c] = a == 0 ? 0 : static_cast<std::uint8_t>(std::min<std::uint32_t>(255, (p[c] * 255u + a / 2) / a));
      }
    }
  }
  return ok_status();
}

Status composite_over(MutableImageView dst, ImageView src, int x, int y) {
  HUABU_RETURN_IF_ERROR(require_rgba(dst, "composite_over destination"));
  HUABU_RETURN_IF_ERROR(require_rgba(src, "composite_over source"));
  // Clip src's rectangle against dst in 64-bit (offsets may be anything).
  const std::int64_t x0 = std::max<std::int64_t>(x, 0), y0 = std::max<std::int64_t>(y, 0);
  const std::int64_t x1 = std::min<std::int64_t>(std::int64_t{x} + src.width(), dst.width());
  const std::int64_t y1 = std::min<std::int64_t>(std::int64_t{y} + src.height(), dst.height());
  for (std::int64_t dy = y0; dy < y1; ++dy) {
    std::uint8_t* d = dst.row(static_cast<int>(dy)) + x0 * 4;
    const std::uint8_t* s = src.row(static_cast<int>(dy - y)) + (x0 - x) * 4;
    for (std::int64_t dx = x0; dx < x1; ++dx, d += 4, s += 4) {
      // Everything scaled by 255^2: alpha2 = 255 as + ad (255 - as), colour likewise
      // premultiplied; the straight result is colour2 / alpha2, rounded.
      const std::uint32_t as = s[3], ad = d[3], inv = 255 - as;
      const std::uint32_t alpha2 = as * 255 + ad * inv;
      for (int c = 0; c < 3; ++c) {
        const std::uint32_t colour2 = s[c] * as * 255 + d[c] * ad * inv;
        d[c] = alpha2 == 0 ? 0 : static_cast<std::uint8_t>((colour2 + alpha2 / 2) / alpha2);
      }
      d[3] = static_cast<std::uint8_t>((alpha2 + 127) / 255);
    }
  }
  return ok_status();
}

}  // namespace huabu
