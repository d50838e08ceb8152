// Line art / pencil sketch: XDoG on the luma. Parameters (style_registry.cpp order):
// sigma, k, sharpen (p), threshold (eps), softness (phi).
#include "filters/gaussian_blur.h"
#include "filters/strips.h"
#include "filters/style_ops.h"
#include "filters/xdog.h"

namespace huabu::detail {

Result<Image> lineart(ImageView src, std::span<const double> p, const StyleOptions& options) {
  const float sigma = static_cast<float>(p[0]);
  const float k = static_cast<float>(p[1]);
  const float sharpen = static_cast<float>(p[2]);
  const float threshold = static_cast<float>(p[3]);
  const float phi = static_cast<float>(p[4]);
  const int halo = gaussian_radius(k * sigma);
  return run_in_strips(src, halo, options, [&](const Band& band, MutableImageView out) -> Status {
    Plane luma, g1, g2;
    HUABU_RETURN_IF_ERROR(load_luma(band.pixels, &luma));
    HUABU_RETURN_IF_ERROR(gaussian_blur(luma, sigma, &g1));
    HUABU_RETURN_IF_ERROR(gaussian_blur(luma, k * sigma, &g2));
    xdog_tone(g1, g2, sharpen, threshold, phi, band.first(), band.rows, &luma);
    store_gray(luma, band.first(), out);
    return ok_status();
  });
}

}  // namespace huabu::detail
