// color_transfer: Reinhard et al. 2001 ("Color transfer between images"), in Oklab
// (Ottosson 2020) instead of l-alpha-beta. Two streaming passes per image (statistics, then
// the transform row by row), so memory stays at the output image.
// Determinism: sRGB decoding is a table built with the core's exp/log, the cube root is the
// core's Newton iteration, encoding back to bytes is a search over exact thresholds.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>

#include "base/str_cat.h"
#include "filters/strips.h"
#include "huabu/stylize.h"
#include "math/det_exp.h"
#include "math/det_math.h"

namespace huabu {

namespace {

double srgb_to_linear(double c) {
  if (c <= 0.04045) return c / 12.92;
  return detail::exp_det(2.4 * detail::log_det((c + 0.055) / 1.055));
}

// Linear-light values are turned back into bytes by counting the thresholds at or below
// them (what a binary search over `threshold` gives), started from a bucket table: the
// buckets are narrower than the closest two thresholds, so at most one comparison follows
// (a binary search's 8 unpredictable branches per channel cost more than the rest of the
// conversion).
constexpr int kBuckets = 4096;

struct SrgbTables {
  float to_linear[256];
  float threshold[255];  // [i]: linear value halfway (in sRGB) between byte i and i + 1
  std::uint8_t below[kBuckets + 1];  // [k]: thresholds under k / kBuckets
  SrgbTables() {
    for (int i = 0; i < 256; ++i) to_linear[i] = static_cast<float>(srgb_to_linear(i / 255.0));
    for (int i = 0; i < 255; ++i) threshold[i] = static_cast<float>(srgb_to_linear((i + 0.5) / 255.0));
    int n = 0;
    for (int k = 0; k <= kBuckets; ++k) {
      while (n < 255 && threshold[n] < static_cast<float>(k) / kBuckets) ++n;
      below[k] = static_cast<std::uint8_t>(n);
    }
  }
  std::uint8_t to_byte(float linear) const {
    const float scaled = linear * kBuckets;  // exact: kBuckets is a power of two
    int i = below[scaled >= kBuckets ? kBuckets : scaled > 0.0f ? static_cast<int>(scaled) : 0];
    while (i < 255 && threshold[i] <= linear) ++i;
    return static_cast<std::uint8_t>(i);
  }
};
const SrgbTables kSrgb;

struct Lab {
  float l, a, b;
};

typedef double f64x2 __attribute__((vector_size(16)));

// detail::cbrt_det's initial guess (from the exponent bits).
inline double cbrt_guess(double a) {
  std::uint64_t bits;
  std::memcpy(&bits, &a, sizeof bits);
  bits = bits / 3 + 0x2A9F7893782DA1CEULL;
  double guess;
  std::memcpy(&guess, &bits, sizeof guess);
  return guess;
}

// Cube roots of three positive values with detail::cbrt_det's operations lane by lane (the
// same bits), two lanes per vector: the out-of-line scalar calls left their double divisions,
// which dominate the conversion, one after another.
void cbrt3(float l, float m, float s, float* out) {
  if (!(l > 0.0f && m > 0.0f && s > 0.0f)) {  // zero (black) and anything unexpected
    out[0] = detail::cbrt_det(l);
    out[1] = detail::cbrt_det(m);
    out[2] = detail::cbrt_det(s);
    return;
  }
  const f64x2 a0 = f64x2{l, m}, a1 = f64x2{s, s};
  const double guess_s = cbrt_guess(s);
  f64x2 y0 = f64x2{cbrt_guess(l), cbrt_guess(m)}, y1 = f64x2{guess_s, guess_s};
  for (int i = 0; i < 2; ++i) {  // two Halley steps
    const f64x2 c0 = y0 * y0 * y0, c1 = y1 * y1 * y1;
    y0 = y0 * (c0 + 2.0 * a0) / (2.0 * c0 + a0);
    y1 = y1 * (c1 + 2.0 * a1) / (2.0 * c1 + a1);
  }
  out[0] = static_cast<float>(y0[0]);
  out[1] = static_cast<float>(y0[1]);
  out[2] = static_cast<float>(y1[0]);
}

Lab to_oklab(const std::uint8_t* px) {
  const float r = kSrgb.to_linear[px[0]], g = kSrgb.to_linear[px[1]], b = kSrgb.to_linear[px[2]];
  float lms[3];
  cbrt3(0.4122214708f * r + 0.5363325363f * g + 0.0514459929f * b,
        0.2119034982f * r + 0.6806995451f * g + 0.1073969566f * b,
        0.0883024619f * r + 0.2817188376f * g + 0.6299787005f * b, lms);
  const float l = lms[0], m = lms[1], s = lms[2];
  return {0.2104542553f * l + 0.7936177850f * m - 0.0040720468f * s,
          1.9779984951f * l - 2.4285922050f * m + 0.4505937099f * s,
          0.0259040371f * l + 0.7827717662f * m - 0.8086757660f * s};
}

void from_oklab(const Lab& c, std::uint8_t* px) {
  const float l1 = c.l + 0.3963377774f * c.a + 0.2158037573f * c.b;
  const float m1 = c.l - 0.1055613458f * c.a - 0.0638541728f * c.b;
  const float s1 = c.l - 0.0894841775f * c.a - 1.2914855480f * c.b;
  const float l = l1 * l1 * l1, m = m1 * m1 * m1, s = s1 * s1 * s1;
  px[0] = kSrgb.to_byte(4.0767416621f * l - 3.3077115913f * m + 0.2309699292f * s);
  px[1] = kSrgb.to_byte(-1.2684380046f * l + 2.6097574011f * m - 0.3413193965f * s);
  px[2] = kSrgb.to_byte(-0.0041960863f * l - 0.7034186147f * m + 1.7076147010f * s);
}

struct Stats {
  double mean[3];
  double stddev[3];
};

// Mean and standard deviation of L, a, b over the pixels with alpha > 0 (all if none).
Stats lab_stats(ImageView rgba) {
  Stats st{};
  for (int pass = 0; pass < 2; ++pass) {
    double sum[3] = {0, 0, 0}, sq[3] = {0, 0, 0};
    double n = 0;
    for (int y = 0; y < rgba.height(); ++y) {
      double row_sum[3] = {0, 0, 0}, row_sq[3] = {0, 0, 0};
      const std::uint8_t* p = rgba.row(y);
      for (int x = 0; x < rgba.width(); ++x, p += 4) {
        if (pass == 0 && p[3] == 0) continue;
        const Lab c = to_oklab(p);
        const double v[3] = {c.l, c.a, c.b};
        for (int k = 0; k < 3; ++k) {
          row_sum[k] += v[k];
          row_sq[k] += v[k] * v[k];
        }
        n += 1;
      }
      for (int k = 0; k < 3; ++k) {
        sum[k] += row_sum[k];
        sq[k] += row_sq[k];
      }
    }
    if (n == 0) continue;
    for (int k = 0; k < 3; ++k) {
      st.mean[k] = sum[k] / n;
      st.stddev[k] = std::sqrt(std::max(0.0, sq[k] / n - st.mean[k] * st.mean[k]));
    }
    break;
  }
  return st;
}

}  // namespace

Result<Image> color_transfer(ImageView src, ImageView reference, double strength, const StyleOptions& options) {
  if (!(strength >= 0.0 && strength <= 1.0)) {
    return invalid_argument(detail::str_cat("color transfer strength ", strength, " must be in 0..1"));
  }
  std::optional<Image> src_storage, ref_storage;
  ImageView rgba, ref;
  HUABU_RETURN_IF_ERROR(detail::as_rgba(src, &src_storage, &rgba));
  HUABU_RETURN_IF_ERROR(detail::as_rgba(reference, &ref_storage, &ref));
  const Stats from = lab_stats(rgba);
  HUABU_RETURN_IF_ERROR(detail::report_progress(options, 0.25, "color transfer"));
  const Stats to = lab_stats(ref);
  HUABU_RETURN_IF_ERROR(detail::report_progress(options, 0.5, "color transfer"));
  float scale[3], shift[3];
  for (int k = 0; k < 3; ++k) {
    // A flat channel (no spread to scale) is only shifted.
    const double s = from.stddev[k] > 1e-6 ? to.stddev[k] / from.stddev[k] : 1.0;
    scale[k] = static_cast<float>(s);
    shift[k] = static_cast<float>(to.mean[k] - from.mean[k] * s);
  }
  const float t = static_cast<float>(strength);
  auto made = Image::copy_of(rgba);
  if (!made.ok()) return made.status();
  Image out = std::move(made).value();
  for (int y = 0; y < out.height(); ++y) {
    std::uint8_t* p = out.mutable_view().row(y);
    for (int x = 0; x < out.width(); ++x, p += 4) {
      const Lab c = to_oklab(p);
      const Lab moved = {c.l * scale[0] + shift[0], c.a * scale[1] + shift[1], c.b * scale[2] + shift[2]};
      from_oklab({c.l + t * (moved.l - c.l), c.a + t * (moved.a - c.a), c.b + t * (moved.b - c.b)}, p);
    }
    if ((y & 63) == 63) {
      HUABU_RETURN_IF_ERROR(detail::report_progress(options, 0.5 + 0.5 * (y + 1) / out.height(), "color transfer"));
    }
  }
  HUABU_RETURN_IF_ERROR(detail::report_progress(options, 1.0, "color transfer"));
  return out;
}

}  // namespace huabu
