// Pixel art: block averages, a small median-cut palette, blocks scaled back up. Integer only.
// Parameters (style_registry.cpp order): block, colors, dither (0 none, 1 ordered,
// 2 Floyd-Steinberg). Memory: the block image is 1/block^2 of the input.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

#include "base/alloc.h"

#include "filters/strips.h"
#include "filters/style_ops.h"

namespace huabu::detail {

namespace {

typedef std::uint8_t u8x4 __attribute__((vector_size(4)));
typedef std::uint32_t u32x4 __attribute__((vector_size(16)));

// Pixels are read and written as 32-bit words with alpha in the top byte.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "RGBA8 words assume little-endian");
constexpr std::uint32_t kAlphaMask = 0xFF000000u;

// Mean colour of each block x block cell (partial cells at the right/bottom edges included).
// Rows are read in order and a pixel's four channels are summed by one vector add (a block's
// sums fit in 32 bits: 64 * 64 * 255 < 2^32).
Result<Image> block_means(ImageView rgba, int block) {
  const int bw = (rgba.width() + block - 1) / block, bh = (rgba.height() + block - 1) / block;
  auto made = Image::create(bw, bh, PixelFormat::kRgba8);
  if (!made.ok()) return made.status();
  Image small = std::move(made).value();
  auto made_sums = try_make_vector<u32x4>(bw, "pixelart block sums");
  if (!made_sums.ok()) return made_sums.status();
  std::vector<u32x4> sums = std::move(made_sums).value();
  for (int by = 0; by < bh; ++by) {
    const int y0 = by * block, y1 = std::min(rgba.height(), y0 + block);
    std::fill(sums.begin(), sums.end(), u32x4{0, 0, 0, 0});
    for (int y = y0; y < y1; ++y) {
      const std::uint8_t* p = rgba.row(y);
      for (int bx = 0, x0 = 0; bx < bw; ++bx, x0 += block) {
        const int x1 = std::min(rgba.width(), x0 + block);
        u32x4 s = sums[bx];
        for (int x = x0; x < x1; ++x, p += 4) {
          u8x4 px;
          std::memcpy(&px, p, sizeof px);
          s += __builtin_convertvector(px, u32x4);
        }
        sums[bx] = s;
      }
    }
    std::uint8_t* o = small.mutable_view().row(by);
    for (int bx = 0; bx < bw; ++bx, o += 4) {
      const int x0 = bx * block, x1 = std::min(rgba.width(), x0 + block);
      const std::uint32_t n = static_cast<std::uint32_t>((y1 - y0) * (x1 - x0));
      for (int c = 0; c < 3; ++c) o[c] = static_cast<std::uint8_t>((sums[bx][c] + n / 2) / n);
      o[3] = 255;
    }
  }
  return small;
}

// Writes the output rows of block row `by`: each pixel is its block's colour with its own
// alpha. `line` (width words) receives the row of block colours, alpha byte 0.
void expand_block_row(ImageView quantized, ImageView rgba, int block, int by, std::uint32_t* line,
                      MutableImageView out) {
  const int w = out.width();
  const std::uint8_t* q = quantized.row(by);
  for (int x0 = 0, bx = 0; x0 < w; x0 += block, ++bx, q += 4) {
    const std::uint32_t colour = q[0] | (std::uint32_t{q[1]} << 8) | (std::uint32_t{q[2]} << 16);
    std::fill(line + x0, line + std::min(w, x0 + block), colour);
  }
  const u32x4 alpha = u32x4{kAlphaMask, kAlphaMask, kAlphaMask, kAlphaMask};
  for (int y = by * block; y < std::min(out.height(), (by + 1) * block); ++y) {
    const std::uint8_t* a = rgba.row(y);
    std::uint8_t* o = out.row(y);
    int x = 0;
    for (; x + 4 <= w; x += 4) {
      u32x4 in, c;
      std::memcpy(&in, a + 4 * x, sizeof in);
      std::memcpy(&c, line + x, sizeof c);
      c |= in & alpha;
      std::memcpy(o + 4 * x, &c, sizeof c);
    }
    for (; x < w; ++x) {
      std::uint32_t in;
      std::memcpy(&in, a + 4 * x, sizeof in);
      const std::uint32_t c = line[x] | (in & kAlphaMask);
      std::memcpy(o + 4 * x, &c, sizeof c);
    }
  }
}

}  // namespace

Result<Image> pixel_art(ImageView src, std::span<const double> p, const StyleOptions& options) {
  const int block = static_cast<int>(p[0]);
  const int colors = static_cast<int>(p[1]);
  const Dither dither = static_cast<Dither>(static_cast<int>(p[2]));
  std::optional<Image> storage;
  ImageView rgba;
  HUABU_RETURN_IF_ERROR(as_rgba(src, &storage, &rgba));
  auto small = block_means(rgba, block);
  if (!small.ok()) return small.status();
  HUABU_RETURN_IF_ERROR(report_progress(options, 0.4, "pixelart"));
  auto palette = extract_palette(small->view(), colors);
  if (!palette.ok()) return palette.status();
  auto quantized = quantize_to_palette(small->view(), *palette, dither);
  if (!quantized.ok()) return quantized.status();
  HUABU_RETURN_IF_ERROR(report_progress(options, 0.7, "pixelart"));
  // expand_block_row writes every byte, so the output is not zeroed first.
  auto made = Image::create_uninitialized(rgba.width(), rgba.height(), PixelFormat::kRgba8);
  if (!made.ok()) return made.status();
  Image out = std::move(made).value();
  auto made_line = try_make_vector<std::uint32_t>(rgba.width(), "pixelart row");
  if (!made_line.ok()) return made_line.status();
  std::vector<std::uint32_t> line = std::move(made_line).value();
  for (int by = 0; by < quantized->height(); ++by) {
    expand_block_row(quantized->view(), rgba, block, by, line.data(), out.mutable_view());
  }
  HUABU_RETURN_IF_ERROR(report_progress(options, 1.0, "pixelart"));
  return out;
}

}  // namespace huabu::detail
