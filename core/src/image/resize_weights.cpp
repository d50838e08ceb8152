#include "image/resize_weights.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "math/det_math.h"

namespace huabu::detail {
namespace {

double triangle(double x) {
  x = std::fabs(x);
  return x < 1.0 ? 1.0 - x : 0.0;
}

// Keys (1981) cubic convolution, a = -0.5.
double keys_cubic(double x) {
  constexpr double a = -0.5;
  x = std::fabs(x);
  if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
  if (x < 2.0) return ((a * x - 5.0 * a) * x + 8.0 * a) * x - 4.0 * a;
  return 0.0;
}

double lanczos3(double x) {
  x = std::fabs(x);
  if (x == 0.0) return 1.0;
  if (x >= 3.0) return 0.0;
  // sinc(x) sinc(x/3) = 3 sin(pi x) sin(pi x / 3) / (pi x)^2, with the core's own sin.
  constexpr double kPi = 3.14159265358979311600;
  const double px = kPi * x;
  return 3.0 * sin_pi(x) * sin_pi(x / 3.0) / (px * px);
}

double kernel_radius(ResizeFilter filter) {
  switch (filter) {
    case ResizeFilter::kBilinear: return 1.0;
    case ResizeFilter::kBicubic: return 2.0;
    case ResizeFilter::kLanczos3: return 3.0;
    default: return 0.5;
  }
}

double kernel(ResizeFilter filter, double x) {
  switch (filter) {
    case ResizeFilter::kBilinear: return triangle(x);
    case ResizeFilter::kBicubic: return keys_cubic(x);
    case ResizeFilter::kLanczos3: return lanczos3(x);
    default: return 0.0;
  }
}

// Exact box average: output i covers [i*src, (i+1)*src) and source j covers
// [j*dst, (j+1)*dst), both in units of 1/dst source pixels; overlaps are integers.
void area_weights(int src_len, int dst_len, std::vector<double>* w, std::vector<int>* start,
                  std::vector<int>* count) {
  const std::int64_t s = src_len, d = dst_len;
  for (std::int64_t i = 0; i < d; ++i) {
    const std::int64_t lo = i * s, hi = (i + 1) * s;
    const std::int64_t j0 = lo / d, j1 = (hi + d - 1) / d;  // [j0, j1)
    (*start)[i] = static_cast<int>(j0);
    (*count)[i] = static_cast<int>(j1 - j0);
    for (std::int64_t j = j0; j < j1; ++j) {
      const std::int64_t overlap = std::min(hi, (j + 1) * d) - std::max(lo, j * d);
      w->push_back(static_cast<double>(overlap));
    }
  }
}

void kernel_weights(int src_len, int dst_len, ResizeFilter filter, std::vector<double>* w,
                    std::vector<int>* start, std::vector<int>* count) {
  const double scale = static_cast<double>(src_len) / dst_len;
  const double fs = std::max(scale, 1.0);  // stretch the kernel when downscaling
  const double support = kernel_radius(filter) * fs;
  for (int i = 0; i < dst_len; ++i) {
    const double center = (i + 0.5) * scale;
    int j0 = static_cast<int>(std::floor(center - support - 0.5));
    int j1 = static_cast<int>(std::ceil(center + support - 0.5));  // inclusive
    j0 = std::max(j0, 0);
    j1 = std::min(j1, src_len - 1);
    std::vector<double> row;
    for (int j = j0; j <= j1; ++j) row.push_back(kernel(filter, (j + 0.5 - center) / fs));
    // Trim zero taps at both ends so windows stay tight.
    int a = 0, b = static_cast<int>(row.size());
    while (a < b && row[a] == 0.0) ++a;
    while (b > a && row[b - 1] == 0.0) --b;
    if (a == b) {  // cannot happen for these kernels; fall back to the nearest pixel
      const int j = std::clamp(static_cast<int>(std::floor(center)), 0, src_len - 1);
      (*start)[i] = j;
      (*count)[i] = 1;
      w->push_back(1.0);
      continue;
    }
    (*start)[i] = j0 + a;
    (*count)[i] = b - a;
    for (int k = a; k < b; ++k) w->push_back(row[k]);
  }
}

}  // namespace

int nearest_index(int i, int src_len, int dst_len) {
  const std::int64_t j = ((2 * std::int64_t{i} + 1) * src_len) / (2 * std::int64_t{dst_len});
  return static_cast<int>(std::min<std::int64_t>(j, src_len - 1));
}

AxisWeights compute_axis_weights(int src_len, int dst_len, ResizeFilter filter) {
  AxisWeights out;
  out.start.assign(dst_len, 0);
  out.count.assign(dst_len, 0);
  std::vector<double> packed;  // concatenated weights, count[i] per output
  if (filter == ResizeFilter::kArea) {
    area_weights(src_len, dst_len, &packed, &out.start, &out.count);
  } else {
    kernel_weights(src_len, dst_len, filter, &packed, &out.start, &out.count);
  }
  out.taps = *std::max_element(out.count.begin(), out.count.end());
  out.weights.assign(static_cast<std::size_t>(dst_len) * out.taps, 0.0f);
  std::size_t offset = 0;
  for (int i = 0; i < dst_len; ++i) {
    double sum = 0.0;
    for (int k = 0; k < out.count[i]; ++k) sum += packed[offset + k];
    for (int k = 0; k < out.count[i]; ++k) {
      out.weights[static_cast<std::size_t>(i) * out.taps + k] =
          static_cast<float>(packed[offset + k] / sum);
    }
    offset += out.count[i];
  }
  return out;
}

}  // namespace huabu::detail
