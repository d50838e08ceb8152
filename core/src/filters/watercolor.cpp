// Watercolour: an edge-preserving wash with pigment-density effects (after Bousseau et al.
// 2006, "Interactive watercolor rendering with temporal coherence and abstraction").
// Parameters (style_registry.cpp order): spread, granulation, turbulence, edge_darkening, seed.
//   1. Bilateral smoothing (spatial sigma `spread`) abstracts the photo into washes.
//   2. A pigment density d per pixel: 1 + granulation * paper grain (fine noise)
//      + turbulence * uneven wash (noise with 48-pixel cells) + edge_darkening * |gradient|.
//   3. Each channel is darkened/lightened by the density: C' = C - (C - C^2)(d - 1).
// The noise is an integer hash of the image position and seed, so strips agree.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "filters/bilateral.h"
#include "filters/simd.h"
#include "filters/strips.h"
#include "filters/style_ops.h"

namespace huabu::detail {

namespace {

constexpr float kRangeSigma = 0.12f;
constexpr int kTurbulenceCell = 48;
constexpr int kGrainCell = 3;

// 0..1 from an integer hash of (x, y, seed) (a lowbias32-style mixer).
inline float hash01(int x, int y, std::uint32_t seed) {
  std::uint32_t h = static_cast<std::uint32_t>(x) * 0x9E3779B1u ^ static_cast<std::uint32_t>(y) * 0x85EBCA77u ^
                    seed * 0xC2B2AE3Du;
  h ^= h >> 16;
  h *= 0x7FEB352Du;
  h ^= h >> 15;
  h *= 0x846CA68Bu;
  h ^= h >> 16;
  return static_cast<float>(h >> 8) * (1.0f / 16777216.0f);
}

// Smooth value noise: hashed lattice values every `cell` pixels, blended with smoothstep.
inline float value_noise(int x, int y, int cell, std::uint32_t seed) {
  const int cx = x / cell, cy = y / cell;
  const float fx = static_cast<float>(x - cx * cell) / cell, fy = static_cast<float>(y - cy * cell) / cell;
  const float sx = fx * fx * (3.0f - 2.0f * fx), sy = fy * fy * (3.0f - 2.0f * fy);
  const float top = hash01(cx, cy, seed) + sx * (hash01(cx + 1, cy, seed) - hash01(cx, cy, seed));
  const float bottom = hash01(cx, cy + 1, seed) + sx * (hash01(cx + 1, cy + 1, seed) - hash01(cx, cy + 1, seed));
  return top + sy * (bottom - top);
}

}  // namespace

Result<Image> watercolor(ImageView src, std::span<const double> p, const StyleOptions& options) {
  const float spread = static_cast<float>(p[0]);
  const float granulation = static_cast<float>(p[1]);
  const float turbulence = static_cast<float>(p[2]);
  const float edge_darkening = static_cast<float>(p[3]);
  const std::uint32_t seed = static_cast<std::uint32_t>(p[4]);
  const int halo = bilateral_radius(spread) + 1;
  return run_in_strips(src, halo, options, [&](const Band& band, MutableImageView out) -> Status {
    RgbPlanes rgb;
    Plane luma;
    HUABU_RETURN_IF_ERROR(load_rgb(band.pixels, &rgb));
    HUABU_RETURN_IF_ERROR(bilateral_filter(&rgb, spread, kRangeSigma));
    HUABU_RETURN_IF_ERROR(luma_of(rgb, &luma));
    const int w = luma.width, h = luma.height;
    Plane density;
    HUABU_RETURN_IF_ERROR(make_plane(w, 1, "density row", &density));
    for (int r = 0; r < band.rows; ++r) {
      const int y = band.first() + r;  // band row
      const int gy = band.out_y + r;   // image row
      const float* up = luma.row(std::max(0, y - 1));
      const float* down = luma.row(std::min(h - 1, y + 1));
      const float* mid = luma.row(y);
      float* d = density.row(0);
      for (int x = 0; x < w; ++x) {
        const float gx = mid[std::min(w - 1, x + 1)] - mid[std::max(0, x - 1)];
        const float gyv = down[x] - up[x];
        const float grain = 0.5f * hash01(x, gy, seed) + 0.5f * value_noise(x, gy, kGrainCell, seed + 1);
        const float wash = value_noise(x, gy, kTurbulenceCell, seed + 2);
        d[x] = 1.0f + granulation * (grain - 0.5f) + turbulence * (wash - 0.5f) +
               edge_darkening * std::sqrt(gx * gx + gyv * gyv);
      }
      // C' = C - (C - C^2)(d - 1), four pixels at a time per channel.
      for (Plane* c : {&rgb.r, &rgb.g, &rgb.b}) {
        float* row = c->row(y);
        int x = 0;
        for (; x + 4 <= w; x += 4) {
          const f32x4 v = load4(row + x);
          store4(row + x, vclamp01(v - (v - v * v) * (load4(d + x) - splat(1.0f))));
        }
        for (; x < w; ++x) {
          const float v = row[x];
          row[x] = clamp01(v - (v - v * v) * (d[x] - 1.0f));
        }
      }
    }
    store_rgb(rgb.r, rgb.g, rgb.b, band.first(), out);
    return ok_status();
  });
}

}  // namespace huabu::detail
