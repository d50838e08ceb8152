// Posterize: the image's own median-cut palette, then quantisation to it.
// Parameters (style_registry.cpp order): colors, dither (0 none, 1 ordered, 2 Floyd-Steinberg).
#include "filters/style_ops.h"

namespace huabu::detail {

Result<Image> posterize(ImageView src, std::span<const double> p, const StyleOptions& options) {
  auto palette = extract_palette(src, static_cast<int>(p[0]));
  if (!palette.ok()) return palette.status();
  return quantize_to_palette(src, *palette, static_cast<Dither>(static_cast<int>(p[1])), options);
}

}  // namespace huabu::detail
