// Internal: per-axis resampling weights for resize().
#pragma once

#include <vector>

#include "huabu/image_ops.h"

namespace huabu::detail {

// For output index i: source indices start[i] .. start[i] + count[i] - 1 with weights
// weights[i * taps + k] (normalised to sum to 1; entries past count[i] are zero).
struct AxisWeights {
  int taps = 0;
  std::vector<int> start;
  std::vector<int> count;
  std::vector<float> weights;
};

// src_len, dst_len >= 1. Not used for kNearest (which gathers pixels directly).
[[nodiscard]] AxisWeights compute_axis_weights(int src_len, int dst_len, ResizeFilter filter);

// Source index sampled by output index i under kNearest: floor((i + 0.5) * src / dst).
[[nodiscard]] int nearest_index(int i, int src_len, int dst_len);

}  // namespace huabu::detail
