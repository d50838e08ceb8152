// Internal: separable Gaussian blur of a Plane with clamp-to-edge borders.
#pragma once

#include <vector>

#include "filters/plane.h"

namespace huabu::detail {

// Taps on each side: ceil(3 sigma) (0 for sigma <= 0, which copies).
[[nodiscard]] int gaussian_radius(float sigma);

// Normalised weights exp(-k^2 / (2 sigma^2)), k = -radius..radius (deterministic exp).
[[nodiscard]] std::vector<float> gaussian_kernel(float sigma);

// out = in blurred by sigma. A pixel depends on inputs at most gaussian_radius(sigma) rows
// and columns away. `out` may not alias `in`.
[[nodiscard]] Status gaussian_blur(const Plane& in, float sigma, Plane* out);

// Convolves each row / each column with a symmetric odd-length kernel (clamped borders).
[[nodiscard]] Status convolve_rows(const Plane& in, const std::vector<float>& kernel, Plane* out);
void convolve_columns(const Plane& in, const std::vector<float>& kernel, Plane* out);

}  // namespace huabu::detail
