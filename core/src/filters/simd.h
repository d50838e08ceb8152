// Internal: portable 4-lane float vectors (GCC/Clang vector extensions). They compile to SSE
// natively and to wasm simd128 with -msimd128, from the same source. Lanes use only IEEE
// basic operations, so a vector loop and its scalar tail give the same bits as a scalar loop.
#pragma once

#include <cstring>

namespace huabu::detail {

typedef float f32x4 __attribute__((vector_size(16)));
typedef int i32x4 __attribute__((vector_size(16)));

inline f32x4 splat(float v) { return f32x4{v, v, v, v}; }

inline f32x4 load4(const float* p) {
  f32x4 v;
  std::memcpy(&v, p, sizeof v);  // unaligned load
  return v;
}

inline void store4(float* p, f32x4 v) { std::memcpy(p, &v, sizeof v); }

inline f32x4 vmax(f32x4 a, f32x4 b) { return a > b ? a : b; }
inline f32x4 vmin(f32x4 a, f32x4 b) { return a < b ? a : b; }
inline f32x4 vclamp01(f32x4 v) { return vmin(vmax(v, splat(0.0f)), splat(1.0f)); }
// Scalar twin of vclamp01 (same selects, so NaN maps to 0 in both).
inline float clamp01(float v) {
  const float t = v > 0.0f ? v : 0.0f;
  return t < 1.0f ? t : 1.0f;
}

}  // namespace huabu::detail
