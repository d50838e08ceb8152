// Internal: deterministic exp and cube root from IEEE basic operations only (see
// det_math.h for why libm is avoided: glibc and the wasm libc differ in the last place).
#pragma once

namespace huabu::detail {

// e^x, about 1 ulp (double); 0 below -745, +inf above 709.
[[nodiscard]] double exp_det(double x);

// Real cube root (odd: cbrt(-x) = -cbrt(x)), correctly rounded to float in practice.
[[nodiscard]] float cbrt_det(float x);

}  // namespace huabu::detail
