// Oil paint: anisotropic Kuwahara filter (Kyprianidis, Kang & Döllner 2009) with the
// polynomial sector weights of Kyprianidis 2011. Parameters (style_registry.cpp order):
// radius, sharpness (q / 2), tensor_sigma, anisotropy (alpha).
//   1. Structure tensor of the RGB image (Sobel), smoothed by tensor_sigma: its eigenvectors
//      give the local edge direction, its eigenvalues how strongly oriented the region is.
//   2. Around each pixel an ellipse along the edge (longer the more anisotropic) is split
//      into 8 overlapping sectors; each sector's mean colour is weighted by
//      1 / (1 + (255 variance)^(q/2)), so the flattest sectors win and edges stay sharp.
// The sector weights for one sample are two 4-lane vectors (sectors 0,2,4,6 and 1,3,5,7).
// Deviation from the paper: the Gaussian fall-off exp(-3.125 |v|^2) is its degree-4 Taylor
// polynomial (|v|^2 <= 1/4, within 0.004), which keeps the inner loop to basic operations.
#include <algorithm>
#include <cmath>

#include "filters/gaussian_blur.h"
#include "filters/simd.h"
#include "filters/strips.h"
#include "filters/style_ops.h"

namespace huabu::detail {

namespace {

constexpr int kSectors = 8;
constexpr float kCosPiOver8 = 0.923879532511286756f;
constexpr float kSinPiOver8Squared = 0.146446609406726238f;
constexpr float kHalfSqrt2 = 0.707106781186547524f;
// The ellipse's long axis is at most this many radii (bounds the strip halo).
constexpr float kMaxStretch = 2.0f;

struct Tensor {
  Plane e, f, g;  // smoothed fx^2, fx fy, fy^2 summed over R, G, B
};

Status structure_tensor(const RgbPlanes& rgb, float sigma, Tensor* out) {
  const int w = rgb.r.width, h = rgb.r.height;
  Tensor raw;
  HUABU_RETURN_IF_ERROR(make_plane(w, h, "tensor", &raw.e));
  HUABU_RETURN_IF_ERROR(make_plane(w, h, "tensor", &raw.f));
  HUABU_RETURN_IF_ERROR(make_plane(w, h, "tensor", &raw.g));
  for (const Plane* c : {&rgb.r, &rgb.g, &rgb.b}) {
    for (int y = 0; y < h; ++y) {
      const float* up = c->row(std::max(0, y - 1));
      const float* mid = c->row(y);
      const float* down = c->row(std::min(h - 1, y + 1));
      float* e = raw.e.row(y);
      float* f = raw.f.row(y);
      float* g = raw.g.row(y);
      for (int x = 0; x < w; ++x) {
        const int l = std::max(0, x - 1), r = std::min(w - 1, x + 1);
        const float fx = ((up[r] + 2.0f * mid[r] + down[r]) - (up[l] + 2.0f * mid[l] + down[l])) * 0.25f;
        const float fy = ((down[l] + 2.0f * down[x] + down[r]) - (up[l] + 2.0f * up[x] + up[r])) * 0.25f;
        e[x] += fx * fx;
        f[x] += fx * fy;
        g[x] += fy * fy;
      }
    }
  }
  HUABU_RETURN_IF_ERROR(gaussian_blur(raw.e, sigma, &out->e));
  HUABU_RETURN_IF_ERROR(gaussian_blur(raw.f, sigma, &out->f));
  return gaussian_blur(raw.g, sigma, &out->g);
}

// Weights of sectors (0, 2, 4, 6) at offset v, given zeta and eta of the polynomial form.
inline f32x4 sector_weights(float vx, float vy, float zeta, float eta) {
  const float vxx = zeta - eta * vx * vx;
  const float vyy = zeta - eta * vy * vy;
  f32x4 z = f32x4{vy + vxx, -vx + vyy, -vy + vxx, vx + vyy};
  z = vmax(z, splat(0.0f));
  return z * z;
}

struct Params {
  int radius;
  int half_q;
  float tensor_sigma;
  float alpha;
};

// Filters one pixel (x, y) of the band.
void filter_pixel(const RgbPlanes& rgb, const Tensor& t, const Params& prm, int x, int y, float* out) {
  const int w = rgb.r.width, h = rgb.r.height;
  const float e = t.e.row(y)[x], f = t.f.row(y)[x], g = t.g.row(y)[x];
  const float root = std::sqrt((e - g) * (e - g) + 4.0f * f * f);
  const float l1 = 0.5f * (e + g + root), l2 = 0.5f * (e + g - root);
  float tx = l1 - e, ty = -f;
  const float len = std::sqrt(tx * tx + ty * ty);
  if (len > 0.0f) {
    tx = tx / len;
    ty = ty / len;
  } else {
    tx = 0.0f;
    ty = 1.0f;
  }
  const float anisotropy = l1 + l2 > 0.0f ? (l1 - l2) / (l1 + l2) : 0.0f;
  const float r = static_cast<float>(prm.radius);
  const float a = r * std::min(kMaxStretch, (prm.alpha + anisotropy) / prm.alpha);
  const float b = r * std::max(1.0f / kMaxStretch, prm.alpha / (prm.alpha + anisotropy));
  // SR maps an offset into the unit-diameter disc: rotate by -phi, then scale by 0.5/a, 0.5/b.
  const float s00 = 0.5f / a * tx, s01 = 0.5f / a * ty;
  const float s10 = -0.5f / b * ty, s11 = 0.5f / b * tx;
  const int max_x = static_cast<int>(std::sqrt(a * a * tx * tx + b * b * ty * ty));
  const int max_y = static_cast<int>(std::sqrt(a * a * ty * ty + b * b * tx * tx));
  const float zeta = 2.0f / r;
  const float eta = (zeta + kCosPiOver8) / kSinPiOver8Squared;

  f32x4 wa = splat(0.0f), ra = wa, ga = wa, ba = wa, qa = wa;
  f32x4 wb = wa, rb = wa, gb = wa, bb = wa, qb = wa;
  // Row j of the ellipse spans the i where |SR (i, j)|^2 = ea i^2 + 2 eb j i + ec j^2 <= 1/4.
  const float ea = s00 * s00 + s10 * s10, eb = s00 * s01 + s10 * s11, ec = s01 * s01 + s11 * s11;
  for (int j = -max_y; j <= max_y; ++j) {
    const int sy = std::clamp(y + j, 0, h - 1);
    const float* pr = rgb.r.row(sy);
    const float* pg = rgb.g.row(sy);
    const float* pb = rgb.b.row(sy);
    const float fj = static_cast<float>(j);
    const float disc = eb * eb * fj * fj - ea * (ec * fj * fj - 0.25f);
    if (!(disc >= 0.0f)) continue;
    const float root_disc = std::sqrt(disc);
    // One pixel of slack each side; the exact test below decides.
    const int i_lo = std::max(-max_x, static_cast<int>(std::floor((-eb * fj - root_disc) / ea)) - 1);
    const int i_hi = std::min(max_x, static_cast<int>(std::ceil((-eb * fj + root_disc) / ea)) + 1);
    for (int i = i_lo; i <= i_hi; ++i) {
      const float vx = s00 * static_cast<float>(i) + s01 * static_cast<float>(j);
      const float vy = s10 * static_cast<float>(i) + s11 * static_cast<float>(j);
      const float d2 = vx * vx + vy * vy;
      if (d2 > 0.25f) continue;
      const f32x4 even = sector_weights(vx, vy, zeta, eta);
      const f32x4 odd = sector_weights(kHalfSqrt2 * (vx - vy), kHalfSqrt2 * (vx + vy), zeta, eta);
      const float sum = ((even[0] + even[1]) + (even[2] + even[3])) + ((odd[0] + odd[1]) + (odd[2] + odd[3]));
      if (!(sum > 0.0f)) continue;
      const float u = 3.125f * d2;
      const float falloff = 1.0f - u * (1.0f - u * (0.5f - u * (1.0f / 6.0f - u * (1.0f / 24.0f))));
      const f32x4 k = splat(falloff / sum);
      const int sx = std::clamp(x + i, 0, w - 1);
      const float cr = pr[sx], cg = pg[sx], cb = pb[sx];
      const f32x4 vr = splat(cr), vg = splat(cg), vbl = splat(cb), vq = splat(cr * cr + cg * cg + cb * cb);
      const f32x4 ka = even * k, kb = odd * k;
      wa += ka;
      ra += ka * vr;
      ga += ka * vg;
      ba += ka * vbl;
      qa += ka * vq;
      wb += kb;
      rb += kb * vr;
      gb += kb * vg;
      bb += kb * vbl;
      qb += kb * vq;
    }
  }
  float acc_r = 0.0f, acc_g = 0.0f, acc_b = 0.0f, acc_w = 0.0f;
  for (int s = 0; s < kSectors; ++s) {
    const int lane = s / 2;
    const bool is_even = (s % 2) == 0;
    const float sw = is_even ? wa[lane] : wb[lane];
    if (!(sw > 0.0f)) continue;
    const float mr = (is_even ? ra[lane] : rb[lane]) / sw;
    const float mg = (is_even ? ga[lane] : gb[lane]) / sw;
    const float mb = (is_even ? ba[lane] : bb[lane]) / sw;
    const float variance = std::fabs((is_even ? qa[lane] : qb[lane]) / sw - (mr * mr + mg * mg + mb * mb));
    const float base = 255.0f * variance;
    float power = 1.0f;
    for (int n = 0; n < prm.half_q; ++n) power = power * base;
    const float weight = 1.0f / (1.0f + power);
    acc_r += weight * mr;
    acc_g += weight * mg;
    acc_b += weight * mb;
    acc_w += weight;
  }
  out[0] = acc_r / acc_w;
  out[1] = acc_g / acc_w;
  out[2] = acc_b / acc_w;
}

}  // namespace

Result<Image> oil_kuwahara(ImageView src, std::span<const double> p, const StyleOptions& options) {
  const Params prm{static_cast<int>(p[0]), static_cast<int>(p[1]), static_cast<float>(p[2]),
                   static_cast<float>(p[3])};
  const int reach = static_cast<int>(std::ceil(kMaxStretch * prm.radius)) + 1;
  const int halo = std::max(reach, 1 + gaussian_radius(prm.tensor_sigma));
  return run_in_strips(src, halo, options, [&](const Band& band, MutableImageView out) -> Status {
    RgbPlanes rgb;
    Tensor tensor;
    HUABU_RETURN_IF_ERROR(load_rgb(band.pixels, &rgb));
    HUABU_RETURN_IF_ERROR(structure_tensor(rgb, prm.tensor_sigma, &tensor));
    for (int r = 0; r < band.rows; ++r) {
      std::uint8_t* o = out.row(r);
      for (int x = 0; x < out.width(); ++x) {
        float c[3];
        filter_pixel(rgb, tensor, prm, x, band.first() + r, c);
        o[4 * x] = to_byte(c[0]);
        o[4 * x + 1] = to_byte(c[1]);
        o[4 * x + 2] = to_byte(c[2]);
      }
    }
    return ok_status();
  });
}

}  // namespace huabu::detail
