// huabu/stylize.h: classic image stylisation and colour tools (no neural network).
//
//   std::vector<huabu::StyleParamValue> p = {{"sigma", 1.2}, {"threshold", 0.5}};
//   huabu::StyleOptions options;
//   options.progress = [](double done) { return !user_pressed_cancel(); };  // false = stop
//   auto drawn = huabu::stylize(photo.view(), "lineart", p, options);
//   if (!drawn.ok()) return drawn.status();   // invalid_argument names the bad parameter
//
//   auto palette = huabu::extract_palette(photo.view(), 8);                 // median cut
//   auto posterised = huabu::quantize_to_palette(photo.view(), *palette, huabu::Dither::kFloydSteinberg);
//   auto recoloured = huabu::color_transfer(photo.view(), sunset.view(), 1.0);
//
// Operations, parameters, ranges and defaults: style_ops() (the single source the wasm
// module, the CLI and docs/image-ops.md are written from). Every result is RGBA8 of the
// input's size; alpha is carried over unchanged. Inputs may be RGBA8, RGB8 or Gray8.
//
// Large images: local operations run in horizontal strips (StyleOptions::strip_rows) with a
// halo of extra rows as wide as the operation's reach, so memory grows with the image width,
// not its area, and the result is bit-identical to processing the image in one piece.
// Progress is reported after each strip; returning false cancels (status cancelled).
//
// Determinism: only integer arithmetic and IEEE basic float operations in a fixed order
// (compiled with -ffp-contract=off; exp/cbrt/sin are the core's own), so native and wasm
// builds produce the same bytes. The SIMD paths use the same operations as the scalar ones.
// Threading: pure functions; safe to call concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "huabu/image.h"
#include "huabu/status.h"

namespace huabu {

// Called with the fraction done (0..1]; return false to cancel the operation.
using ProgressFn = std::function<bool(double fraction)>;

struct StyleOptions {
  ProgressFn progress;  // may be empty
  int strip_rows = 0;   // output rows per strip; 0 picks about 512K pixels per strip
  // Only output rows [first_row, first_row + row_count) (row_count 0: to the last row), for
  // operations that are row_local: the result is that many rows high and byte-identical to
  // those rows of the whole result, so workers can each make one band of an image.
  int first_row = 0;
  int row_count = 0;
};

struct StyleParam {
  std::string_view name;
  double min;
  double max;
  double default_value;
  bool integer;  // the value must be a whole number
  std::string_view help;
};

struct StyleOp {
  std::string_view name;
  std::string_view summary;
  std::span<const StyleParam> params;
  bool row_local;  // an output row depends only on nearby input rows (StyleOptions::first_row)
};

struct StyleParamValue {
  std::string name;
  double value;
};

// All operations that stylize() accepts, in menu order.
[[nodiscard]] std::span<const StyleOp> style_ops();

// Runs operation `op` with `params` (unlisted parameters take their defaults). Unknown
// operation or parameter names, non-integers for integer parameters and values outside
// [min, max] are invalid_argument naming the value and its range.
[[nodiscard]] Result<Image> stylize(ImageView src, std::string_view op,
                                    const std::vector<StyleParamValue>& params,
                                    const StyleOptions& options = {});

// ---- colour tools ---------------------------------------------------------------------------

struct Rgb8 {
  std::uint8_t r = 0;
  std::uint8_t g = 0;
  std::uint8_t b = 0;
  friend bool operator==(const Rgb8&, const Rgb8&) = default;
};

inline constexpr int kMaxPaletteColors = 256;

// Median cut over a 15-bit colour histogram of the pixels with alpha > 0 (all pixels if none
// has): up to `colors` (1..256) colours, each the exact mean of its box's pixels, most
// frequent first. Fewer colours come back when the image has fewer distinct 15-bit colours.
[[nodiscard]] Result<std::vector<Rgb8>> extract_palette(ImageView src, int colors);

// invalid_argument unless 1 <= colors <= kMaxPaletteColors (for callers that check before work).
[[nodiscard]] Status check_palette_colors(int colors);

// extract_palette() over an image that arrives in bands of rows, so a caller never needs the
// whole image in one buffer (the wasm binding copies 256 KB of a JS image at a time instead
// of all of it). The same bands in any order give the same palette as extract_palette().
//
//   auto builder = huabu::PaletteBuilder::create();
//   for (huabu::ImageView band : bands) HUABU_RETURN_IF_ERROR(builder->add(band));
//   auto palette = builder->finish(16);
class PaletteBuilder {
 public:
  [[nodiscard]] static Result<PaletteBuilder> create();  // allocates the 512 KB histogram
  PaletteBuilder(PaletteBuilder&&) noexcept;
  PaletteBuilder& operator=(PaletteBuilder&&) noexcept;
  ~PaletteBuilder();

  [[nodiscard]] Status add(ImageView rows);  // RGBA8, RGB8 or Gray8, any width
  // invalid_argument for colors outside 1..256 or when no pixel was added.
  [[nodiscard]] Result<std::vector<Rgb8>> finish(int colors) const;

 private:
  struct State;
  explicit PaletteBuilder(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

enum class Dither { kNone, kOrdered, kFloydSteinberg };
[[nodiscard]] std::string_view dither_name(Dither dither);  // "none", "ordered", "floyd-steinberg"
[[nodiscard]] Result<Dither> parse_dither(std::string_view name);

// Each pixel's colour replaced by the nearest palette entry (squared RGB distance, ties to
// the earlier entry), optionally dithered (8x8 Bayer or Floyd-Steinberg error diffusion in
// serpentine order). Palette of 1..256 colours.
[[nodiscard]] Result<Image> quantize_to_palette(ImageView src, std::span<const Rgb8> palette, Dither dither,
                                                const StyleOptions& options = {});

// Reinhard colour transfer in Oklab: each channel of `src` is shifted and scaled so its mean
// and standard deviation match `reference`'s; strength in [0, 1] blends from the original
// (0) to the full transfer (1). Statistics use pixels with alpha > 0.
[[nodiscard]] Result<Image> color_transfer(ImageView src, ImageView reference, double strength,
                                           const StyleOptions& options = {});

}  // namespace huabu
