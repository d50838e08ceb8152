// Internal: separable bilateral filter on RGB planes (rows, then columns), the edge-preserving
// smoothing of the cartoon and watercolour styles. Separable bilateral is an approximation
// of the 2D filter (Pham & van Vliet 2005) that costs 2(2r+1) instead of (2r+1)^2 taps.
#pragma once

#include "filters/plane.h"

namespace huabu::detail {

// Taps on each side for a spatial sigma: ceil(2 sigma).
[[nodiscard]] int bilateral_radius(float sigma_space);

// One pass in each direction, in place. Spatial weight exp(-d^2 / 2 sigma_space^2), range
// weight exp(-|dc|^2 / 2 sigma_range^2) with |dc| the RGB distance (0..1 scale).
// Reach: bilateral_radius(sigma_space) pixels.
[[nodiscard]] Status bilateral_filter(RgbPlanes* rgb, float sigma_space, float sigma_range);

}  // namespace huabu::detail
