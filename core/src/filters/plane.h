// Internal: one float channel of an image band (values 0..1), the working format of the
// filters. Rows are padded (kPlanePad); SIMD loops read them 4 floats at a time with a
// scalar tail.
#pragma once

#include <cstddef>
#include <vector>

#include "huabu/image.h"
#include "huabu/status.h"

namespace huabu::detail {

struct Plane {
  int width = 0;
  int height = 0;
  int stride = 0;  // floats from one row to the next: width + kPlanePad
  std::vector<float> values;
  float* row(int y) { return values.data() + static_cast<std::size_t>(y) * stride; }
  const float* row(int y) const { return values.data() + static_cast<std::size_t>(y) * stride; }
};

// Rows are kPlanePad floats (one 64-byte cache line) longer than the width. Without it, a
// row of 1024 or 2048 floats is a multiple of 4 KB, so the same column of consecutive rows
// falls into the same L1 cache set, and a vertical pass reading 13-17 rows of three planes
// at once (bilateral filter, blur) evicted its own lines. The pad holds zeros.
constexpr int kPlanePad = 16;

// A zeroed width x height plane, or resource_exhausted naming `what`.
[[nodiscard]] Status make_plane(int width, int height, const char* what, Plane* out);

struct RgbPlanes {
  Plane r, g, b;
};

// RGBA8 pixels to three planes (c / 255).
[[nodiscard]] Status load_rgb(ImageView rgba, RgbPlanes* out);
// BT.601 luma of RGBA8 pixels, 0..1.
[[nodiscard]] Status load_luma(ImageView rgba, Plane* out);
// Luma of float planes.
[[nodiscard]] Status luma_of(const RgbPlanes& rgb, Plane* out);

// Writes rows [first, first + out.height()) of the planes into out's RGB (rounded, clamped);
// alpha is left alone.
void store_rgb(const Plane& r, const Plane& g, const Plane& b, int first, MutableImageView out);
// Grey version: the plane into R, G and B.
void store_gray(const Plane& v, int first, MutableImageView out);

// Rounds v * 255 half up, clamped to 0..255 (NaN gives 0).
inline unsigned char to_byte(float v) {
  const float s = v * 255.0f + 0.5f;
  if (!(s > 0.0f)) return 0;
  if (s >= 255.0f) return 255;
  return static_cast<unsigned char>(static_cast<int>(s));
}

}  // namespace huabu::detail
