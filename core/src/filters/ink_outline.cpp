// Ink outline: clean black lines on white, the input a sketch-to-image model expects.
// Parameters (style_registry.cpp order): sigma, threshold, min_area, thickness.
//   1. DoG of the luma, G(sigma) - G(1.6 sigma): a pixel is ink where it is darker than its
//      surroundings by more than `threshold` (so lines sit on the dark side of each edge and
//      flat areas stay white, whatever their colour).
//   2. Ink specks of fewer than min_area 8-connected pixels are removed (texture noise).
//   3. Lines are thickened by `thickness` pixels (disc dilation).
#include <algorithm>
#include <cstdint>
#include <vector>

#include "base/alloc.h"
#include "filters/gaussian_blur.h"
#include "filters/strips.h"
#include "filters/style_ops.h"

namespace huabu::detail {

namespace {

constexpr float kSurroundRatio = 1.6f;

// Ink pixels are black (R = 0), paper white.
bool is_ink(const Image& image, std::size_t i) { return image.data()[4 * i] == 0; }

void set_pixel(Image& image, std::size_t i, bool ink) {
  const std::uint8_t v = ink ? 0 : 255;
  image.data()[4 * i] = image.data()[4 * i + 1] = image.data()[4 * i + 2] = v;
}

// Erases 8-connected ink components smaller than min_area. visited: 1 byte per pixel; the
// flood-fill stack holds at most one component.
Status remove_specks(Image& image, int min_area, const StyleOptions& options) {
  if (min_area <= 1) return ok_status();
  const int w = image.width(), h = image.height();
  auto visited = try_make_vector<std::uint8_t>(static_cast<std::size_t>(w) * h, "ink: speck mask");
  if (!visited.ok()) return visited.status();
  std::vector<std::uint32_t> component;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const std::size_t start = static_cast<std::size_t>(y) * w + x;
      if ((*visited)[start] || !is_ink(image, start)) continue;
      component.clear();
      component.push_back(static_cast<std::uint32_t>(start));
      (*visited)[start] = 1;
      for (std::size_t next = 0; next < component.size(); ++next) {
        const int cx = static_cast<int>(component[next] % w), cy = static_cast<int>(component[next] / w);
        for (int dy = -1; dy <= 1; ++dy) {
          for (int dx = -1; dx <= 1; ++dx) {
            const int nx = cx + dx, ny = cy + dy;
            if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
            const std::size_t n = static_cast<std::size_t>(ny) * w + nx;
            if ((*visited)[n] || !is_ink(image, n)) continue;
            (*visited)[n] = 1;
            component.push_back(static_cast<std::uint32_t>(n));
          }
        }
      }
      if (component.size() < static_cast<std::size_t>(min_area)) {
        for (std::uint32_t i : component) set_pixel(image, i, false);
      }
    }
    if ((y & 255) == 255) HUABU_RETURN_IF_ERROR(report_progress(options, 0.8 + 0.1 * (y + 1) / h, "ink"));
  }
  return ok_status();
}

// Disc dilation of the ink by `radius` pixels, reading a copy of the mask.
Status thicken(Image& image, int radius) {
  if (radius <= 0) return ok_status();
  const int w = image.width(), h = image.height();
  auto mask = try_make_vector<std::uint8_t>(static_cast<std::size_t>(w) * h, "ink: thickness mask");
  if (!mask.ok()) return mask.status();
  for (std::size_t i = 0; i < mask->size(); ++i) (*mask)[i] = is_ink(image, i) ? 1 : 0;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      bool ink = false;
      for (int dy = -radius; dy <= radius && !ink; ++dy) {
        const int ny = y + dy;
        if (ny < 0 || ny >= h) continue;
        for (int dx = -radius; dx <= radius; ++dx) {
          const int nx = x + dx;
          if (nx < 0 || nx >= w || dx * dx + dy * dy > radius * radius) continue;
          if ((*mask)[static_cast<std::size_t>(ny) * w + nx]) {
            ink = true;
            break;
          }
        }
      }
      set_pixel(image, static_cast<std::size_t>(y) * w + x, ink);
    }
  }
  return ok_status();
}

}  // namespace

Result<Image> ink_outline(ImageView src, std::span<const double> p, const StyleOptions& options) {
  const float sigma = static_cast<float>(p[0]);
  const float threshold = static_cast<float>(p[1]);
  const int min_area = static_cast<int>(p[2]);
  const int thickness = static_cast<int>(p[3]);
  // The strip pass reports 0..0.8 of the progress; speck removal and thickening the rest.
  StyleOptions strip_options = options;
  if (options.progress) strip_options.progress = [&](double f) { return options.progress(0.8 * f); };
  auto lines = run_in_strips(src, gaussian_radius(kSurroundRatio * sigma), strip_options,
                             [&](const Band& band, MutableImageView out) -> Status {
    Plane luma, g1, g2;
    HUABU_RETURN_IF_ERROR(load_luma(band.pixels, &luma));
    HUABU_RETURN_IF_ERROR(gaussian_blur(luma, sigma, &g1));
    HUABU_RETURN_IF_ERROR(gaussian_blur(luma, kSurroundRatio * sigma, &g2));
    for (int r = 0; r < band.rows; ++r) {
      const float* a = g1.row(band.first() + r);
      const float* b = g2.row(band.first() + r);
      std::uint8_t* o = out.row(r);
      for (int x = 0; x < out.width(); ++x) {
        const std::uint8_t v = a[x] - b[x] < -threshold ? 0 : 255;
        o[4 * x] = o[4 * x + 1] = o[4 * x + 2] = v;
      }
    }
    return ok_status();
  });
  if (!lines.ok()) return lines.status();
  Image image = std::move(lines).value();
  HUABU_RETURN_IF_ERROR(remove_specks(image, min_area, options));
  HUABU_RETURN_IF_ERROR(thicken(image, thickness));
  HUABU_RETURN_IF_ERROR(report_progress(options, 1.0, "ink"));
  return image;
}

}  // namespace huabu::detail
