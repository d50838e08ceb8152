// Halftone: printed dots on rotated screens. Parameters (style_registry.cpp order): cell,
// angle (degrees, mono screen), mode (0 mono black ink, 1 CMYK at 15/75/0/45 degrees).
// Each screen cell's ink amount is the blurred image (sigma cell/4) at the cell centre; the
// dot is a disc of that area (below 50 %) or paper-coloured disc on solid ink (above), with a
// one-pixel anti-aliased rim. Positions are image coordinates, so strips agree.
#include <algorithm>
#include <cmath>

#include "filters/gaussian_blur.h"
#include "filters/strips.h"
#include "filters/style_ops.h"
#include "math/det_math.h"

namespace huabu::detail {

namespace {

constexpr float kPi = 3.14159265358979f;

struct Screen {
  float cos_a;
  float sin_a;
};

Screen make_screen(double degrees) {
  return {static_cast<float>(cos_pi(degrees / 180.0)), static_cast<float>(sin_pi(degrees / 180.0))};
}

// Ink coverage 0..1 at pixel (x, y) (image coordinates) for one screen; `ink` gives the ink
// amount at an image position.
template <typename InkAt>
float dot_coverage(int x, int y, float cell, const Screen& s, const InkAt& ink) {
  const float px = static_cast<float>(x) + 0.5f, py = static_cast<float>(y) + 0.5f;
  const float u = px * s.cos_a + py * s.sin_a;
  const float v = py * s.cos_a - px * s.sin_a;
  const float cu = (std::floor(u / cell) + 0.5f) * cell;
  const float cv = (std::floor(v / cell) + 0.5f) * cell;
  const float amount = ink(cu * s.cos_a - cv * s.sin_a, cu * s.sin_a + cv * s.cos_a);
  const float du = u - cu, dv = v - cv;
  const float d = std::sqrt(du * du + dv * dv);
  if (amount <= 0.5f) {
    const float radius = cell * std::sqrt(amount / kPi);
    return std::clamp(radius - d + 0.5f, 0.0f, 1.0f);
  }
  const float radius = cell * std::sqrt((1.0f - amount) / kPi);
  return 1.0f - std::clamp(radius - d + 0.5f, 0.0f, 1.0f);
}

}  // namespace

Result<Image> halftone(ImageView src, std::span<const double> p, const StyleOptions& options) {
  const float cell = static_cast<float>(p[0]);
  const Screen mono = make_screen(p[1]);
  const bool cmyk = p[2] != 0.0;
  const Screen screens[4] = {make_screen(15), make_screen(75), make_screen(0), make_screen(45)};
  const float sigma = cell / 4.0f;
  // A cell centre is at most cell / sqrt(2) from the pixel; the blur reaches further still.
  const int halo = static_cast<int>(std::ceil(cell)) + 1 + gaussian_radius(sigma);
  const int height = src.height();
  return run_in_strips(src, halo, options, [&](const Band& band, MutableImageView out) -> Status {
    RgbPlanes rgb, blurred;
    HUABU_RETURN_IF_ERROR(load_rgb(band.pixels, &rgb));
    HUABU_RETURN_IF_ERROR(gaussian_blur(rgb.r, sigma, &blurred.r));
    HUABU_RETURN_IF_ERROR(gaussian_blur(rgb.g, sigma, &blurred.g));
    HUABU_RETURN_IF_ERROR(gaussian_blur(rgb.b, sigma, &blurred.b));
    const int w = out.width();
    // The blurred pixel containing image position (fx, fy), clamped to the image.
    auto sample = [&](const Plane& plane, float fx, float fy) {
      const int sx = std::clamp(static_cast<int>(std::floor(fx)), 0, w - 1);
      const int sy = std::clamp(static_cast<int>(std::floor(fy)), 0, height - 1);
      return plane.row(sy - band.top)[sx];
    };
    for (int r = 0; r < band.rows; ++r) {
      const int y = band.out_y + r;
      std::uint8_t* o = out.row(r);
      for (int x = 0; x < w; ++x) {
        if (!cmyk) {
          const float dot = dot_coverage(x, y, cell, mono, [&](float fx, float fy) {
            return 1.0f - (0.299f * sample(blurred.r, fx, fy) + 0.587f * sample(blurred.g, fx, fy) +
                           0.114f * sample(blurred.b, fx, fy));
          });
          o[4 * x] = o[4 * x + 1] = o[4 * x + 2] = to_byte(1.0f - dot);
          continue;
        }
        // Full grey-component replacement: K takes the common part of C, M and Y.
        auto ink = [&](int channel) {
          return [&, channel](float fx, float fy) {
            const float c = 1.0f - sample(blurred.r, fx, fy);
            const float m = 1.0f - sample(blurred.g, fx, fy);
            const float yl = 1.0f - sample(blurred.b, fx, fy);
            const float k = std::min(c, std::min(m, yl));
            if (channel == 3) return k;
            const float v = channel == 0 ? c : channel == 1 ? m : yl;
            return k < 1.0f ? (v - k) / (1.0f - k) : 0.0f;
          };
        };
        float dots[4];
        for (int i = 0; i < 4; ++i) dots[i] = dot_coverage(x, y, cell, screens[i], ink(i));
        const float paper = 1.0f - dots[3];
        o[4 * x] = to_byte((1.0f - dots[0]) * paper);
        o[4 * x + 1] = to_byte((1.0f - dots[1]) * paper);
        o[4 * x + 2] = to_byte((1.0f - dots[2]) * paper);
      }
    }
    return ok_status();
  });
}

}  // namespace huabu::detail
