// Internal: the XDoG tone mapping (Winnemöller, Kyprianidis & Olsen 2012) shared by the
// line-art and cartoon styles.
#pragma once

#include "filters/plane.h"

namespace huabu::detail {

// out = 1 where D = (1 + p) g1 - p g2 >= eps, else 1 + tanh(phi (D - eps)), over rows
// [first, first + rows) of the planes (out has the same size as g1).
// tanh is the Pade form x (27 + x^2) / (27 + 9 x^2) on [-3, 3], clamped outside
// (within 0.02 of tanh; basic operations only, so deterministic).
// 1 + tanh(min(x, 0)) with the Pade tanh described above (scalar).
inline float soft_ramp(float x) {
  x = x > -3.0f ? x : -3.0f;  // the same selects as vmax/vmin, NaN included
  x = x < 0.0f ? x : 0.0f;
  const float x2 = x * x;
  return 1.0f + x * (27.0f + x2) / (27.0f + 9.0f * x2);
}

void xdog_tone(const Plane& g1, const Plane& g2, float p, float eps, float phi, int first, int rows, Plane* out);

}  // namespace huabu::detail
