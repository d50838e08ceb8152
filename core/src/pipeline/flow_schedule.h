// Internal: the time grid of Huabu's rectified-flow samplers, computed exactly as
// models/tiny/sampler.mjs's timeGrid(): t_i = f32(1 - i / steps) (in double), then the
// shift s maps t -> s t / (1 + (s - 1) t) (Esser et al. 2024, SD3), all in double.
#pragma once

#include <vector>

namespace huabu::detail {

[[nodiscard]] std::vector<double> flow_time_grid(int steps, double shift);

}  // namespace huabu::detail
