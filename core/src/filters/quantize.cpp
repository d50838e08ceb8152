// quantize_to_palette: nearest palette colour per pixel, optionally dithered. Integer only.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "base/alloc.h"
#include "base/str_cat.h"
#include "filters/strips.h"
#include "huabu/stylize.h"

namespace huabu {

namespace {

// 8x8 Bayer matrix, values 0..63.
constexpr std::uint8_t kBayer[8][8] = {
    {0, 32, 8, 40, 2, 34, 10, 42},  {48, 16, 56, 24, 50, 18, 58, 26}, {12, 44, 4, 36, 14, 46, 6, 38},
    {60, 28, 52, 20, 62, 30, 54, 22}, {3, 35, 11, 43, 1, 33, 9, 41},  {51, 19, 59, 27, 49, 17, 57, 25},
    {15, 47, 7, 39, 13, 45, 5, 37},  {63, 31, 55, 23, 61, 29, 53, 21}};

int nearest(std::span<const Rgb8> palette, int r, int g, int b) {
  int best = 0;
  int best_d = 1 << 30;
  for (std::size_t i = 0; i < palette.size(); ++i) {
    const int dr = r - palette[i].r, dg = g - palette[i].g, db = b - palette[i].b;
    const int d = dr * dr + dg * dg + db * db;
    if (d < best_d) {
      best_d = d;
      best = static_cast<int>(i);
    }
  }
  return best;
}

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
      const Rgb8& q = palette[nearest(palette, v[0], v[1], v[2])];
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
    for (int y = 0; y < rgba.height(); ++y) {
      const std::uint8_t* in = rgba.row(y);
      std::uint8_t* px = o.row(y);
      for (int x = 0; x < rgba.width(); ++x) {
        // Bayer offset in (-spread/2, spread/2), rounded toward zero.
        const int offset = dither == Dither::kOrdered ? (2 * kBayer[y & 7][x & 7] - 63) * spread / 128 : 0;
        const int r = std::clamp(in[4 * x] + offset, 0, 255);
        const int g = std::clamp(in[4 * x + 1] + offset, 0, 255);
        const int b = std::clamp(in[4 * x + 2] + offset, 0, 255);
        put(px + 4 * x, palette[nearest(palette, r, g, b)]);
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
