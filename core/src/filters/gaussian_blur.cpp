#include "filters/gaussian_blur.h"

#include <algorithm>
#include <cmath>

#include "base/alloc.h"
#include "filters/simd.h"
#include "math/det_exp.h"

namespace huabu::detail {

int gaussian_radius(float sigma) {
  if (!(sigma > 0.0f)) return 0;
  return static_cast<int>(std::ceil(3.0f * sigma));
}

std::vector<float> gaussian_kernel(float sigma) {
  const int r = gaussian_radius(sigma);
  std::vector<double> w(2 * r + 1);
  double sum = 0.0;
  for (int k = -r; k <= r; ++k) {
    w[k + r] = r == 0 ? 1.0 : exp_det(-(double(k) * k) / (2.0 * double(sigma) * sigma));
    sum += w[k + r];
  }
  std::vector<float> out(w.size());
  for (std::size_t i = 0; i < w.size(); ++i) out[i] = static_cast<float>(w[i] / sum);
  return out;
}

Status convolve_rows(const Plane& in, const std::vector<float>& kernel, Plane* out) {
  const int w = in.width;
  const int r = static_cast<int>(kernel.size()) / 2;
  const int taps = static_cast<int>(kernel.size());
  auto padded = try_make_vector<float>(static_cast<std::size_t>(w) + 2 * r, "blur row");
  if (!padded.ok()) return padded.status();
  float* pad = padded->data();
  for (int y = 0; y < in.height; ++y) {
    const float* src = in.row(y);
    for (int i = 0; i < w + 2 * r; ++i) pad[i] = src[std::clamp(i - r, 0, w - 1)];
    float* dst = out->row(y);
    int x = 0;
    for (; x + 4 <= w; x += 4) {
      f32x4 acc = splat(0.0f);
      for (int k = 0; k < taps; ++k) acc += splat(kernel[k]) * load4(pad + x + k);
      store4(dst + x, acc);
    }
    for (; x < w; ++x) {
      float acc = 0.0f;
      for (int k = 0; k < taps; ++k) acc += kernel[k] * pad[x + k];
      dst[x] = acc;
    }
  }
  return ok_status();
}

void convolve_columns(const Plane& in, const std::vector<float>& kernel, Plane* out) {
  const int w = in.width;
  const int r = static_cast<int>(kernel.size()) / 2;
  const int taps = static_cast<int>(kernel.size());
  for (int y = 0; y < in.height; ++y) {
    float* dst = out->row(y);
    std::fill(dst, dst + w, 0.0f);
    for (int k = 0; k < taps; ++k) {
      const float* src = in.row(std::clamp(y + k - r, 0, in.height - 1));
      const f32x4 wk = splat(kernel[k]);
      int x = 0;
      for (; x + 4 <= w; x += 4) store4(dst + x, load4(dst + x) + wk * load4(src + x));
      for (; x < w; ++x) dst[x] = dst[x] + kernel[k] * src[x];
    }
  }
}

Status gaussian_blur(const Plane& in, float sigma, Plane* out) {
  HUABU_RETURN_IF_ERROR(make_plane(in.width, in.height, "blurred plane", out));
  if (gaussian_radius(sigma) == 0) {
    out->values = in.values;
    return ok_status();
  }
  const std::vector<float> kernel = gaussian_kernel(sigma);
  Plane mid;
  HUABU_RETURN_IF_ERROR(make_plane(in.width, in.height, "blur intermediate", &mid));
  HUABU_RETURN_IF_ERROR(convolve_rows(in, kernel, &mid));
  convolve_columns(mid, kernel, out);
  return ok_status();
}

}  // namespace huabu::detail
