// Oil paint: anisotropic Kuwahara filter (Kyprianidis, Kang & Döllner 2009) with the
// polynomial sector weights of Kyprianidis 2011. Parameters (style_registry.cpp order):
// radius, sharpness (q / 2), tensor_sigma, anisotropy (alpha).
//   1. Structure tensor of the RGB image (Sobel), smoothed by tensor_sigma: its eigenvectors
//      give the local edge direction, its eigenvalues how strongly oriented the region is.
//   2. Around each pixel an ellipse along the edge (longer the more anisotropic) is split
//      into 8 overlapping sectors; each sector's mean colour is weighted by
//      1 / (1 + (255 variance)^(q/2)), so the flattest sectors win and edges stay sharp.
// Deviations from the paper, for speed: the Gaussian fall-off exp(-3.125 |v|^2) is its
// degree-4 Taylor polynomial (|v|^2 <= 1/4, within 0.004), and the weights are tabulated on a
// 32x32 grid and read at the nearest cell (make_weight_table), 54-60 dB PSNR from exact
// weights on photos. Samples are visited in point-symmetric pairs (see the table's comment).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "base/alloc.h"

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

// Table cell (cx, cy) covers offsets v in [cx / kCells - 1/2, (cx + 1) / kCells - 1/2) (same
// for y) of the unit-diameter disc. For the offset v at its centre, let w_s be the weight of
// sector s times the fall-off divided by the sum over sectors. Sector s + 4 at v is sector s
// at -v, so the filter visits samples in pairs (v, -v) and needs per sector pair (s, s + 4)
// only the half-sum and half-difference of their weights: the cell holds
//   E = ((w0 + w4) / 2, (w2 + w6) / 2, (w1 + w5) / 2, (w3 + w7) / 2) and the same with - for O,
// and a pair with colours A (at v) and B (at -v) adds E (A + B) + O (A - B) to sectors 0, 2,
// 1, 3 and E (A + B) - O (A - B) to sectors 4, 6, 5, 7: half the multiplications of visiting
// both samples with all 8 weights. Nearest-cell lookup moves a sample's weights by at most
// half a cell (1/64 of the ellipse's diameter); docs/image-ops.md gives the PSNR against
// exact weights.
constexpr int kCellsLog2 = 5;
constexpr int kCells = 1 << kCellsLog2;

std::vector<float> make_weight_table(int radius) {
  const float zeta = 2.0f / static_cast<float>(radius);
  const float eta = (zeta + kCosPiOver8) / kSinPiOver8Squared;
  std::vector<float> table(static_cast<std::size_t>(kCells) * kCells * kSectors);
  for (int cy = 0; cy < kCells; ++cy) {
    for (int cx = 0; cx < kCells; ++cx) {
      const float vx = (static_cast<float>(cx) + 0.5f) / kCells - 0.5f;
      const float vy = (static_cast<float>(cy) + 0.5f) / kCells - 0.5f;
      const f32x4 even = sector_weights(vx, vy, zeta, eta);  // sectors 0, 2, 4, 6
      const f32x4 odd = sector_weights(kHalfSqrt2 * (vx - vy), kHalfSqrt2 * (vx + vy), zeta, eta);  // 1, 3, 5, 7
      const float sum = ((even[0] + even[1]) + (even[2] + even[3])) + ((odd[0] + odd[1]) + (odd[2] + odd[3]));
      if (!(sum > 0.0f)) continue;  // stays zero: the sample counts for no sector
      // exp(-3.125 |v|^2) as its degree-4 Taylor polynomial.
      const float u = 3.125f * (vx * vx + vy * vy);
      const float falloff = 1.0f - u * (1.0f - u * (0.5f - u * (1.0f / 6.0f - u * (1.0f / 24.0f))));
      const f32x4 k = splat(falloff / sum);
      const f32x4 ka = even * k, kb = odd * k;
      const f32x4 first = f32x4{ka[0], ka[1], kb[0], kb[1]}, second = f32x4{ka[2], ka[3], kb[2], kb[3]};
      float* cell = table.data() + (static_cast<std::size_t>(cy) * kCells + cx) * kSectors;
      store4(cell, (first + second) * splat(0.5f));
      store4(cell + 4, (first - second) * splat(0.5f));
    }
  }
  return table;
}

struct Params {
  int radius;
  int half_q;
  float tensor_sigma;
  float alpha;
};

// The band's pixels as (r, g, b, r^2 + g^2 + b^2) quadruples, each row padded by `pad`
// copies of its edge pixel on both sides so samples need no horizontal clamping.
struct Samples {
  int pad = 0;
  int stride = 0;  // floats per row
  std::vector<float> values;
  const float* at(int y, int x) const { return values.data() + static_cast<std::size_t>(y) * stride + 4 * (x + pad); }
};

Status make_samples(const RgbPlanes& rgb, int pad, Samples* out) {
  const int w = rgb.r.width, h = rgb.r.height;
  out->pad = pad;
  out->stride = 4 * (w + 2 * pad);
  auto made = try_make_vector<float>(static_cast<std::size_t>(out->stride) * h, "oil samples");
  if (!made.ok()) return made.status();
  out->values = std::move(made).value();
  for (int y = 0; y < h; ++y) {
    const float* r = rgb.r.row(y);
    const float* g = rgb.g.row(y);
    const float* b = rgb.b.row(y);
    float* o = out->values.data() + static_cast<std::size_t>(y) * out->stride;
    for (int xp = 0; xp < w + 2 * pad; ++xp, o += 4) {
      const int x = std::clamp(xp - pad, 0, w - 1);
      o[0] = r[x];
      o[1] = g[x];
      o[2] = b[x];
      o[3] = r[x] * r[x] + g[x] * g[x] + b[x] * b[x];
    }
  }
  return ok_status();
}

// floor(x) for |x| < 64 without libm's rounding calls (SSE2 has no round instruction).
inline int floor_small(float x) { return static_cast<int>(x + 64.0f) - 64; }

// Longest row of an ellipse: 2 * max_x + 1 samples, max_x <= kMaxStretch * 12, plus the
// rounding of the 4-lane index loop.
constexpr int kMaxRowSamples = 64;

// Filters one pixel (x, y) of the band.
void filter_pixel(const Samples& px, const Tensor& t, const std::vector<float>& table, const Params& prm, int x,
                  int y, float* out) {
  const int h = t.e.height;
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
  // Table coordinates of offset (i, j): (v + 1/2) * kCells.
  const float cells = static_cast<float>(kCells);
  const f32x4 cx_i = splat(s00 * cells), cy_i = splat(s10 * cells);
  const f32x4 iota = f32x4{0.0f, 1.0f, 2.0f, 3.0f};
  const f32x4 last_cell = splat(cells - 1.0f);

  // Sums over the pairs of E (A + B) per colour channel (r, g, b, r^2 + g^2 + b^2) and of
  // O (A - B); `ew` sums E (the weights, doubled at the end).
  f32x4 er = splat(0.0f), eg = er, ebl = er, eq = er, or_ = er, og = er, obl = er, oq = er, ew = er;
  int offsets[kMaxRowSamples];
  // Row j of the ellipse spans the i where |SR (i, j)|^2 = ea i^2 + 2 eb j i + ec j^2 <= 1/4,
  // i.e. |i - centre j| <= sqrt(spread j^2 + half0); row -j is row j mirrored through the
  // centre pixel, so rows 0..max_y with their mirror images cover the ellipse.
  const float ea = s00 * s00 + s10 * s10, eb = s00 * s01 + s10 * s11, ec = s01 * s01 + s11 * s11;
  const float centre = -eb / ea, spread = (eb * eb - ea * ec) / (ea * ea), half0 = 0.25f / ea;
  for (int j = 0; j <= max_y; ++j) {
    const float fj = static_cast<float>(j);
    const float half2 = spread * fj * fj + half0;
    if (!(half2 >= 0.0f)) continue;
    const float half = std::sqrt(half2), mid = centre * fj;
    // Row 0 pairs i > 0 with -i; the centre pixel itself is added after the loop.
    const int i_lo = j == 0 ? 1 : std::max(-max_x, -floor_small(half - mid));
    const int i_hi = std::min(max_x, floor_small(mid + half));
    if (i_lo > i_hi) continue;
    // Table offsets of the row's samples, four at a time (clamped to the table: samples on
    // the ellipse's rim may round half a cell outside it).
    const f32x4 cx_0 = splat(s01 * cells * fj + 0.5f * cells), cy_0 = splat(s11 * cells * fj + 0.5f * cells);
    const int count = i_hi - i_lo + 1;
    for (int n = 0; n < count; n += 4) {
      const f32x4 fi = splat(static_cast<float>(i_lo + n)) + iota;
      const i32x4 cx = __builtin_convertvector(vmin(vmax(cx_i * fi + cx_0, splat(0.0f)), last_cell), i32x4);
      const i32x4 cy = __builtin_convertvector(vmin(vmax(cy_i * fi + cy_0, splat(0.0f)), last_cell), i32x4);
      const i32x4 cell = ((cy << kCellsLog2) | cx) * kSectors;
      std::memcpy(offsets + n, &cell, sizeof cell);
    }
    const float* pa = px.at(std::clamp(y + j, 0, h - 1), x + i_lo);  // (x + i, y + j), i ascending
    const float* pb = px.at(std::clamp(y - j, 0, h - 1), x - i_lo);  // (x - i, y - j)
    for (int n = 0; n < count; ++n, pa += 4, pb -= 4) {
      const float* cell = table.data() + offsets[n];
      const f32x4 we = load4(cell), wo = load4(cell + 4);
      const f32x4 va = load4(pa), vb = load4(pb);
      const f32x4 sum = va + vb, diff = va - vb;
      ew += we;
      er += we * __builtin_shufflevector(sum, sum, 0, 0, 0, 0);
      eg += we * __builtin_shufflevector(sum, sum, 1, 1, 1, 1);
      ebl += we * __builtin_shufflevector(sum, sum, 2, 2, 2, 2);
      eq += we * __builtin_shufflevector(sum, sum, 3, 3, 3, 3);
      or_ += wo * __builtin_shufflevector(diff, diff, 0, 0, 0, 0);
      og += wo * __builtin_shufflevector(diff, diff, 1, 1, 1, 1);
      obl += wo * __builtin_shufflevector(diff, diff, 2, 2, 2, 2);
      oq += wo * __builtin_shufflevector(diff, diff, 3, 3, 3, 3);
    }
  }
  // Each pair weighs 2E per sector; the centre pixel (A = c, B = 0) weighs E + O and E - O.
  f32x4 ow;
  {
    const i32x4 cell = __builtin_convertvector(splat(0.5f * cells), i32x4);
    const float* weights = table.data() + ((cell[0] << kCellsLog2) | cell[0]) * kSectors;
    const f32x4 we = load4(weights), wo = load4(weights + 4);
    const f32x4 c = load4(px.at(y, x));
    ew = (ew + ew) + we;
    ow = wo;
    er += we * splat(c[0]);
    eg += we * splat(c[1]);
    ebl += we * splat(c[2]);
    eq += we * splat(c[3]);
    or_ += wo * splat(c[0]);
    og += wo * splat(c[1]);
    obl += wo * splat(c[2]);
    oq += wo * splat(c[3]);
  }
  // Lane l of (E + O) is sector 0, 2, 1, 3; of (E - O) sector 4, 6, 5, 7.
  float acc_r = 0.0f, acc_g = 0.0f, acc_b = 0.0f, acc_w = 0.0f;
  for (const float sign : {1.0f, -1.0f}) {
    const f32x4 vsign = splat(sign);
    const f32x4 sw = ew + vsign * ow, sr = er + vsign * or_, sg = eg + vsign * og, sb = ebl + vsign * obl,
                sq = eq + vsign * oq;
    for (int lane = 0; lane < 4; ++lane) {
      if (!(sw[lane] > 0.0f)) continue;
      const float mr = sr[lane] / sw[lane];
      const float mg = sg[lane] / sw[lane];
      const float mb = sb[lane] / sw[lane];
      const float variance = std::fabs(sq[lane] / sw[lane] - (mr * mr + mg * mg + mb * mb));
      const float base = 255.0f * variance;
      float power = 1.0f;
      for (int n = 0; n < prm.half_q; ++n) power = power * base;
      const float weight = 1.0f / (1.0f + power);
      acc_r += weight * mr;
      acc_g += weight * mg;
      acc_b += weight * mb;
      acc_w += weight;
    }
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
  const std::vector<float> table = make_weight_table(prm.radius);
  return run_in_strips(src, halo, options, [&](const Band& band, MutableImageView out) -> Status {
    RgbPlanes rgb;
    Tensor tensor;
    Samples samples;
    HUABU_RETURN_IF_ERROR(load_rgb(band.pixels, &rgb));
    HUABU_RETURN_IF_ERROR(structure_tensor(rgb, prm.tensor_sigma, &tensor));
    HUABU_RETURN_IF_ERROR(make_samples(rgb, reach, &samples));
    rgb = RgbPlanes();  // only the samples are read from here on
    for (int r = 0; r < band.rows; ++r) {
      std::uint8_t* o = out.row(r);
      for (int x = 0; x < out.width(); ++x) {
        float c[3];
        filter_pixel(samples, tensor, table, prm, x, band.first() + r, c);
        o[4 * x] = to_byte(c[0]);
        o[4 * x + 1] = to_byte(c[1]);
        o[4 * x + 2] = to_byte(c[2]);
      }
    }
    return ok_status();
  });
}

}  // namespace huabu::detail
