#include "pipeline/flow_schedule.h"

namespace huabu::detail {

std::vector<double> flow_time_grid(int steps, double shift) {
  std::vector<double> times(static_cast<std::size_t>(steps) + 1);
  for (int i = 0; i <= steps; ++i) {
    const double t = static_cast<float>(1.0 - static_cast<double>(i) / steps);  // Math.fround
    times[static_cast<std::size_t>(i)] = (shift * t) / (1.0 + (shift - 1.0) * t);
  }
  return times;
}

}  // namespace huabu::detail
