// quantize_to_palette: nearest palette colour per pixel, optionally dithered. Integer results
// (the nearest-colour search uses floats, exactly: see NearestColor).
#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "base/alloc.h"
#include "base/str_cat.h"
#include "filters/simd.h"
#include "filters/strips.h"
#include "huabu/stylize.h"

namespace huabu {

namespace {

// 8x8 Bayer matrix, values 0..63.
constexpr std::uint8_t kBayer[8][8] = {
    {0, 32, 8, 40, 2, 34, 10, 42},  {48, 16, 56, 24, 50, 18, 58, 26}, {12, 44, 4, 36, 14, 46, 6, 38},
    {60, 28, 52, 20, 62, 30, 54, 22}, {3, 35, 11, 43, 1, 33, 9, 41},  {51, 19, 59, 27, 49, 17, 57, 25},
    {15, 47, 7, 39, 13, 45, 5, 37},  {63, 31, 55, 23, 61, 29, 53, 21}};

// Nearest palette colour by squared RGB distance, ties to the earlier entry, four entries
// at a time. Distances are integers below 2^18, so float arithmetic is exact and gives the
// same answer as integer code; lane l keeps the best of entries l, l + 4, ... (strict <, so
// the earliest), and the lanes are then compared by distance and index.
class NearestColor {
 public:
  explicit NearestColor(std::span<const Rgb8> palette) {
    const std::size_t n = (palette.size() + 3) / 4 * 4;
    r_.assign(n, kFar);
    g_.assign(n, kFar);
    b_.assign(n, kFar);
    for (std::size_t i = 0; i < palette.size(); ++i) {
      r_[i] = palette[i].r;
      g_[i] = palette[i].g;
      b_[i] = palette[i].b;
    }
  }

  int operator()(int r, int g, int b) const {
    using detail::f32x4;
    const f32x4 vr = detail::splat(static_cast<float>(r)), vg = detail::splat(static_cast<float>(g)),
                vb = detail::splat(static_cast<float>(b));
    f32x4 best_d = detail::splat(std::numeric_limits<float>::infinity());
    f32x4 best_i = detail::splat(0.0f);
    f32x4 index = f32x4{0.0f, 1.0f, 2.0f, 3.0f};
    for (std::size_t i = 0; i < r_.size(); i += 4) {
      const f32x4 dr = vr - detail::load4(&r_[i]), dg = vg - detail::load4(&g_[i]), db = vb - detail::load4(&b_[i]);
      const f32x4 d = dr * dr + dg * dg + db * db;
      const auto closer = d < best_d;
      best_d = closer ? d : best_d;
      best_i = closer ? index : best_i;
      index += detail::splat(4.0f);
    }
    // Smallest distance over the lanes, then the smallest index among the lanes that have it,
    // by two swap-and-min steps each (reading lanes one by one goes through memory in wasm).
    f32x4 d = detail::vmin(best_d, __builtin_shufflevector(best_d, best_d, 1, 0, 3, 2));
    d = detail::vmin(d, __builtin_shufflevector(d, d, 2, 3, 0, 1));
    f32x4 i = best_d == d ? best_i : detail::splat(std::numeric_limits<float>::infinity());
    i = detail::vmin(i, __builtin_shufflevector(i, i, 1, 0, 3, 2));
    i = detail::vmin(i, __builtin_shufflevector(i, i, 2, 3, 0, 1));
    return static_cast<int>(i[0]);
  }

 private:
  static constexpr float kFar = 1e6f;  // padding entries, farther than any colour
  std::vector<float> r_, g_, b_;
};

void put(std::uint8_t* px, const Rgb8& c) {
  px[0] = c.r;
  px[1] = c.g;
  px[2] = c.b;
}

// Ordered dither amplitude: the spacing of a regular grid with as many colours per channel
// as a palette of this size would have (the cube root, at least 2).
int dither_spread(std::size_t colors) {
  int levels = 2;
  while (static_cast<std::size_t>((levels + 1) * (levels + 1) * (levels + 1)) <= colors) ++levels;
  return 255 / (levels - 1);
}

Status floyd_steinberg(ImageView rgba, std::span<const Rgb8> palette, MutableImageView out,
                       const StyleOptions& options) {
  const int w = rgba.width(), h = rgba.height();
  const NearestColor nearest(palette);
  // Error rows (x 16, with one pixel of padding on each side) for this row and the next.
  auto cur = detail::try_make_vector<int>(3 * (static_cast<std::size_t>(w) + 2), "dither error row");
  auto next = detail::try_make_vector<int>(3 * (static_cast<std::size_t>(w) + 2), "dither error row");
  if (!cur.ok()) return cur.status();
  if (!next.ok()) return next.status();
  for (int y = 0; y < h; ++y) {
    std::fill(next->begin(), next->end(), 0);
    const bool reverse = (y & 1) != 0;  // serpentine: alternate direction per row
    const int dir = reverse ? -1 : 1;
    for (int i = 0; i < w; ++i) {
      const int x = reverse ? w - 1 - i : i;
      const std::uint8_t* in = rgba.row(y) + 4 * x;
      int v[3];
      for (int c = 0; c < 3; ++c) v[c] = std::clamp(in[c] + (((*cur)[3 * (x + 1) + c] + 8) >> 4), 0, 255);
      const Rgb8& q = palette[nearest(v[0], v[1], v[2])];
      put(out.row(y) + 4 * x, q);
      const int err[3] = {v[0] - q.r, v[1] - q.g, v[2] - q.b};
      for (int c = 0; c < 3; ++c) {
        (*cur)[3 * (x + 1 + dir) + c] += 7 * err[c];
        (*next)[3 * (x + 1 - dir) + c] += 3 * err[c];
        (*next)[3 * (x + 1) + c] += 5 * err[c];
        (*next)[3 * (x + 1 + dir) + c] += err[c];
      }
    }
    std::swap(*cur, *next);
    if ((y & 63) == 63) HUABU_RETURN_IF_ERROR(detail::report_progress(options, double(y + 1) / h, "quantize"));
  }
  return ok_status();
}

}  // namespace

std::string_view dither_name(Dither dither) {
  switch (dither) {
    case Dither::kNone: return "none";
    case Dither::kOrdered: return "ordered";
    case Dither::kFloydSteinberg: return "floyd-steinberg";
  }
  return "unknown";
}

Result<Dither> parse_dither(std::string_view name) {
  for (Dither d : {Dither::kNone, Dither::kOrdered, Dither::kFloydSteinberg}) {
    if (dither_name(d) == name) return d;
  }
  return invalid_argument(detail::str_cat("dither '", name, "' must be one of none, ordered, floyd-steinberg"));
}

Result<Image> quantize_to_palette(ImageView src, std::span<const Rgb8> palette, Dither dither,
                                  const StyleOptions& options) {
  if (palette.empty() || palette.size() > static_cast<std::size_t>(kMaxPaletteColors)) {
    return invalid_argument(detail::str_cat("palette has ", palette.size(), " colours, expected 1..",
                                            kMaxPaletteColors));
  }
  std::optional<Image> storage;
  ImageView rgba;
  HUABU_RETURN_IF_ERROR(detail::as_rgba(src, &storage, &rgba));
  auto made = Image::copy_of(rgba);  // keeps alpha; RGB overwritten below
  if (!made.ok()) return made.status();
  Image out = std::move(made).value();
  MutableImageView o = out.mutable_view();
  if (dither == Dither::kFloydSteinberg) {
    HUABU_RETURN_IF_ERROR(floyd_steinberg(rgba, palette, o, options));
  } else {
    const int spread = dither_spread(palette.size());
    const NearestColor nearest(palette);
    for (int y = 0; y < rgba.height(); ++y) {
      const std::uint8_t* in = rgba.row(y);
      std::uint8_t* px = o.row(y);
      for (int x = 0; x < rgba.width(); ++x) {
        // Bayer offset in (-spread/2, spread/2), rounded toward zero.
        const int offset = dither == Dither::kOrdered ? (2 * kBayer[y & 7][x & 7] - 63) * spread / 128 : 0;
        const int r = std::clamp(in[4 * x] + offset, 0, 255);
        const int g = std::clamp(in[4 * x + 1] + offset, 0, 255);
        const int b = std::clamp(in[4 * x + 2] + offset, 0, 255);
        put(px + 4 * x, palette[nearest(r, g, b)]);
      }
      if ((y & 63) == 63) {
        HUABU_RETURN_IF_ERROR(detail::report_progress(options, double(y + 1) / rgba.height(), "quantize"));
      }
    }
  }
  HUABU_RETURN_IF_ERROR(detail::report_progress(options, 1.0, "quantize"));
  return out;
}

}  // namespace huabu
