// Cartoon: edge-preserving smoothing, luminance quantisation and dark edges (after
// Winnemöller, Olsen & Gooch 2006, "Real-time video abstraction").
// Parameters (style_registry.cpp order): smoothing, range, iterations, levels, edge_width,
// edge_threshold.
//   1. `iterations` separable bilateral passes (spatial sigma `smoothing`, range sigma `range`).
//   2. The luma is snapped to `levels` flat bands; colours are scaled to match (hue kept).
//   3. Edges: DoG of the smoothed luma (sigma edge_width vs 1.6x), inked where it falls below
//      -edge_threshold, with a short soft ramp (XDoG tone, phi 100).
#include <cmath>

#include "filters/bilateral.h"
#include "filters/gaussian_blur.h"
#include "filters/simd.h"
#include "filters/strips.h"
#include "filters/style_ops.h"
#include "filters/xdog.h"

namespace huabu::detail {

namespace {

constexpr float kSurroundRatio = 1.6f;
constexpr float kEdgePhi = 100.0f;

}  // namespace

Result<Image> cartoon(ImageView src, std::span<const double> p, const StyleOptions& options) {
  const float smoothing = static_cast<float>(p[0]);
  const float range = static_cast<float>(p[1]);
  const int iterations = static_cast<int>(p[2]);
  const float levels = static_cast<float>(p[3]);
  const float edge_width = static_cast<float>(p[4]);
  const float edge_threshold = static_cast<float>(p[5]);
  const int halo = iterations * bilateral_radius(smoothing) + gaussian_radius(kSurroundRatio * edge_width);
  return run_in_strips(src, halo, options, [&](const Band& band, MutableImageView out) -> Status {
    RgbPlanes rgb;
    HUABU_RETURN_IF_ERROR(load_rgb(band.pixels, &rgb));
    for (int i = 0; i < iterations; ++i) HUABU_RETURN_IF_ERROR(bilateral_filter(&rgb, smoothing, range));
    Plane luma, g1, g2;
    HUABU_RETURN_IF_ERROR(luma_of(rgb, &luma));
    HUABU_RETURN_IF_ERROR(gaussian_blur(luma, edge_width, &g1));
    HUABU_RETURN_IF_ERROR(gaussian_blur(luma, kSurroundRatio * edge_width, &g2));
    const int w = luma.width;
    for (int r = 0; r < band.rows; ++r) {
      const int y = band.first() + r;
      const float* l = luma.row(y);
      const float* a = g1.row(y);
      const float* b = g2.row(y);
      for (int x = 0; x < w; ++x) {
        const float ink = soft_ramp(kEdgePhi * (a[x] - b[x] + edge_threshold));
        const float band_luma = (std::floor(l[x] * levels) + 0.5f) / levels;
        const float scale = l[x] > 1e-4f ? band_luma / l[x] : 0.0f;
        for (Plane* c : {&rgb.r, &rgb.g, &rgb.b}) {
          float* v = c->row(y) + x;
          *v = l[x] > 1e-4f ? clamp01(*v * scale) * ink : band_luma * ink;
        }
      }
    }
    store_rgb(rgb.r, rgb.g, rgb.b, band.first(), out);
    return ok_status();
  });
}

}  // namespace huabu::detail
