#include "filters/xdog.h"

#include "filters/simd.h"

namespace huabu::detail {

namespace {

inline f32x4 tone4(f32x4 a, f32x4 b, float p, float eps, float phi) {
  const f32x4 d = splat(1.0f + p) * a - splat(p) * b;
  f32x4 x = splat(phi) * (d - splat(eps));
  x = vmin(vmax(x, splat(-3.0f)), splat(0.0f));
  const f32x4 x2 = x * x;
  const f32x4 t = x * (splat(27.0f) + x2) / (splat(27.0f) + splat(9.0f) * x2);
  return splat(1.0f) + t;
}

inline float tone1(float a, float b, float p, float eps, float phi) {
  const float d = (1.0f + p) * a - p * b;
  return soft_ramp(phi * (d - eps));
}

}  // namespace

void xdog_tone(const Plane& g1, const Plane& g2, float p, float eps, float phi, int first, int rows, Plane* out) {
  const int w = g1.width;
  for (int y = first; y < first + rows; ++y) {
    const float* a = g1.row(y);
    const float* b = g2.row(y);
    float* o = out->row(y);
    int x = 0;
    for (; x + 4 <= w; x += 4) store4(o + x, tone4(load4(a + x), load4(b + x), p, eps, phi));
    for (; x < w; ++x) o[x] = tone1(a[x], b[x], p, eps, phi);
  }
}

}  // namespace huabu::detail
