#include "filters/bilateral.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#include "filters/simd.h"
#include "math/det_exp.h"

namespace huabu::detail {

namespace {

// Range weights tabulated over squared RGB distance 0..3 (the largest possible).
constexpr int kRangeBins = 4096;
constexpr float kRangeScale = (kRangeBins - 1) / 3.0f;

struct Weights {
  std::vector<float> space;  // 2r + 1
  std::vector<float> range;  // kRangeBins
};

Weights make_weights(float sigma_space, float sigma_range) {
  Weights w;
  const int r = bilateral_radius(sigma_space);
  for (int k = -r; k <= r; ++k) {
    w.space.push_back(static_cast<float>(exp_det(-(double(k) * k) / (2.0 * double(sigma_space) * sigma_space))));
  }
  w.range.resize(kRangeBins);
  for (int i = 0; i < kRangeBins; ++i) {
    const double d2 = i / double(kRangeScale);
    w.range[i] = static_cast<float>(exp_det(-d2 / (2.0 * double(sigma_range) * sigma_range)));
  }
  return w;
}

// Range weights of four squared distances already scaled to table bins. The conversion is
// one vector instruction (SSE cvttps2dq, wasm i32x4.trunc_sat_f32x4_s): a scalar float-to-int
// cast per lane costs a range check and branch in wasm without non-trapping conversions.
inline f32x4 range_weights(const std::vector<float>& table, f32x4 scaled) {
  const i32x4 last = i32x4{kRangeBins - 1, kRangeBins - 1, kRangeBins - 1, kRangeBins - 1};
  i32x4 bin = __builtin_convertvector(scaled, i32x4);
  bin = bin < last ? bin : last;
#ifdef __wasm_simd128__
  // wasm has no gather: the four addresses are formed in one vector (wasm pointers are 32
  // bits) and each lane is loaded straight into the result (v128.load32_lane), instead of
  // scalar address arithmetic and f32.load + replace_lane per lane.
  const i32x4 addr = (bin << 2) + static_cast<int>(reinterpret_cast<std::uintptr_t>(table.data()));
  v128_t v = wasm_v128_load32_zero(reinterpret_cast<const void*>(static_cast<std::uintptr_t>(addr[0])));
  v = wasm_v128_load32_lane(reinterpret_cast<const void*>(static_cast<std::uintptr_t>(addr[1])), v, 1);
  v = wasm_v128_load32_lane(reinterpret_cast<const void*>(static_cast<std::uintptr_t>(addr[2])), v, 2);
  v = wasm_v128_load32_lane(reinterpret_cast<const void*>(static_cast<std::uintptr_t>(addr[3])), v, 3);
  return reinterpret_cast<f32x4>(v);
#else
  return f32x4{table[bin[0]], table[bin[1]], table[bin[2]], table[bin[3]]};
#endif
}

// Filters one row of `count` pixels, writing to out*. Pixels whose taps all lie inside the
// row go four at a time (tap by tap, so each pixel's sums are formed in the scalar order).
void filter_row(const float* r, const float* g, const float* b, int count, const Weights& w,
                 float* out_r, float* out_g, float* out_b) {
  const int radius = static_cast<int>(w.space.size()) / 2;
  auto one_pixel = [&](int i) {
    const float cr = r[i], cg = g[i], cb = b[i];
    float sr = 0.0f, sg = 0.0f, sb = 0.0f, sw = 0.0f;
    const int lo = std::max(0, i - radius), hi = std::min(count - 1, i + radius);
    for (int j = lo; j <= hi; ++j) {
      const float qr = r[j], qg = g[j], qb = b[j];
      const float dr = qr - cr, dg = qg - cg, db = qb - cb;
      const float d2 = dr * dr + dg * dg + db * db;
      const float wt = w.space[j - i + radius] * w.range[std::min(kRangeBins - 1, static_cast<int>(d2 * kRangeScale))];
      sr += wt * qr;
      sg += wt * qg;
      sb += wt * qb;
      sw += wt;
    }
    out_r[i] = sr / sw;
    out_g[i] = sg / sw;
    out_b[i] = sb / sw;
  };
  int i = 0;
  for (; i < std::min(radius, count); ++i) one_pixel(i);
  for (; i + 4 <= count - radius; i += 4) {
    const f32x4 cr = load4(r + i), cg = load4(g + i), cb = load4(b + i);
    f32x4 sr = splat(0.0f), sg = sr, sb = sr, sw = sr;
    for (int k = -radius; k <= radius; ++k) {
      const f32x4 qr = load4(r + i + k), qg = load4(g + i + k), qb = load4(b + i + k);
      const f32x4 dr = qr - cr, dg = qg - cg, db = qb - cb;
      const f32x4 d2 = dr * dr + dg * dg + db * db;
      const f32x4 wt = splat(w.space[k + radius]) * range_weights(w.range, d2 * splat(kRangeScale));
      sr += wt * qr;
      sg += wt * qg;
      sb += wt * qb;
      sw += wt;
    }
    store4(out_r + i, sr / sw);
    store4(out_g + i, sg / sw);
    store4(out_b + i, sb / sw);
  }
  for (; i < count; ++i) one_pixel(i);
}

}  // namespace

int bilateral_radius(float sigma_space) { return static_cast<int>(std::ceil(2.0f * sigma_space)); }

Status bilateral_filter(RgbPlanes* rgb, float sigma_space, float sigma_range) {
  const Weights w = make_weights(sigma_space, sigma_range);
  const int width = rgb->r.width, height = rgb->r.height;
  std::vector<float> lr(width), lg(width), lb(width);
  for (int y = 0; y < height; ++y) {
    filter_row(rgb->r.row(y), rgb->g.row(y), rgb->b.row(y), width, w, lr.data(), lg.data(), lb.data());
    std::copy(lr.begin(), lr.begin() + width, rgb->r.row(y));
    std::copy(lg.begin(), lg.begin() + width, rgb->g.row(y));
    std::copy(lb.begin(), lb.begin() + width, rgb->b.row(y));
  }
  // Columns, row-major so every tap reads a contiguous row (cache-friendly); results go to
  // fresh planes since later rows still read the unfiltered values.
  RgbPlanes out;
  HUABU_RETURN_IF_ERROR(make_plane(width, height, "bilateral red", &out.r));
  HUABU_RETURN_IF_ERROR(make_plane(width, height, "bilateral green", &out.g));
  HUABU_RETURN_IF_ERROR(make_plane(width, height, "bilateral blue", &out.b));
  const int radius = static_cast<int>(w.space.size()) / 2;
  std::vector<float> sw(width);
  for (int y = 0; y < height; ++y) {
    const float* cr = rgb->r.row(y);
    const float* cg = rgb->g.row(y);
    const float* cb = rgb->b.row(y);
    float* orr = out.r.row(y);
    float* og = out.g.row(y);
    float* ob = out.b.row(y);
    std::fill(sw.begin(), sw.end(), 0.0f);
    for (int j = std::max(0, y - radius); j <= std::min(height - 1, y + radius); ++j) {
      const float ws = w.space[j - y + radius];
      const float* qr = rgb->r.row(j);
      const float* qg = rgb->g.row(j);
      const float* qb = rgb->b.row(j);
      int x = 0;
      // Four columns at a time.
      for (; x + 4 <= width; x += 4) {
        const f32x4 vr = load4(qr + x), vg = load4(qg + x), vb = load4(qb + x);
        const f32x4 dr = vr - load4(cr + x), dg = vg - load4(cg + x), db = vb - load4(cb + x);
        const f32x4 wt = splat(ws) * range_weights(w.range, (dr * dr + dg * dg + db * db) * splat(kRangeScale));
        store4(orr + x, load4(orr + x) + wt * vr);
        store4(og + x, load4(og + x) + wt * vg);
        store4(ob + x, load4(ob + x) + wt * vb);
        store4(sw.data() + x, load4(sw.data() + x) + wt);
      }
      for (; x < width; ++x) {
        const float dr = qr[x] - cr[x], dg = qg[x] - cg[x], db = qb[x] - cb[x];
        const float d2 = dr * dr + dg * dg + db * db;
        const float wt = ws * w.range[std::min(kRangeBins - 1, static_cast<int>(d2 * kRangeScale))];
        orr[x] += wt * qr[x];
        og[x] += wt * qg[x];
        ob[x] += wt * qb[x];
        sw[x] += wt;
      }
    }
    for (int x = 0; x < width; ++x) {
      orr[x] = orr[x] / sw[x];
      og[x] = og[x] / sw[x];
      ob[x] = ob[x] / sw[x];
    }
  }
  *rgb = std::move(out);
  return ok_status();
}

}  // namespace huabu::detail
