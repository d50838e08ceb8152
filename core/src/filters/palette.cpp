// extract_palette: median cut (Heckbert 1982) over a 15-bit colour histogram. Integer only,
// so every platform picks the same colours.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

#include "base/alloc.h"
#include "base/str_cat.h"
#include "filters/strips.h"
#include "huabu/stylize.h"

namespace huabu {

namespace {

constexpr int kBins = 1 << 15;

typedef std::uint32_t u32x4 __attribute__((vector_size(16)));
typedef std::uint8_t u8x4 __attribute__((vector_size(4)));
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "pixels are read as RGBA8 words");

struct Bin {
  std::uint64_t count = 0;
  std::uint64_t sum[3] = {0, 0, 0};
};

int bin_channel(int bin, int c) { return (bin >> (10 - 5 * c)) & 31; }  // c: 0 R, 1 G, 2 B

struct Box {
  std::vector<int> bins;  // occupied histogram bins
  std::uint64_t count = 0;
  int lo[3] = {31, 31, 31};
  int hi[3] = {0, 0, 0};
};

Box make_box(std::vector<int> bins, const std::vector<Bin>& hist) {
  Box box;
  box.bins = std::move(bins);
  for (int b : box.bins) {
    box.count += hist[b].count;
    for (int c = 0; c < 3; ++c) {
      box.lo[c] = std::min(box.lo[c], bin_channel(b, c));
      box.hi[c] = std::max(box.hi[c], bin_channel(b, c));
    }
  }
  return box;
}

// Split priority: pixel count times box volume (large, spread-out boxes first).
std::uint64_t priority(const Box& box) {
  if (box.bins.size() < 2) return 0;
  std::uint64_t volume = 1;
  for (int c = 0; c < 3; ++c) volume *= static_cast<std::uint64_t>(box.hi[c] - box.lo[c] + 1);
  return box.count * volume;
}

// Splits along the widest channel at the pixel-count median; both halves are non-empty.
void split(const Box& box, const std::vector<Bin>& hist, Box* left, Box* right) {
  int axis = 0;
  for (int c = 1; c < 3; ++c) {
    if (box.hi[c] - box.lo[c] > box.hi[axis] - box.lo[axis]) axis = c;
  }
  std::vector<int> bins = box.bins;
  std::sort(bins.begin(), bins.end(), [axis](int a, int b) {
    const int ca = bin_channel(a, axis), cb = bin_channel(b, axis);
    return ca != cb ? ca < cb : a < b;
  });
  std::uint64_t running = 0;
  std::size_t cut = 1;
  for (std::size_t i = 0; i + 1 < bins.size(); ++i) {
    running += hist[bins[i]].count;
    cut = i + 1;
    if (2 * running >= box.count) break;
  }
  *left = make_box(std::vector<int>(bins.begin(), bins.begin() + cut), hist);
  *right = make_box(std::vector<int>(bins.begin() + cut, bins.end()), hist);
}

// Adds a pixel's (r, g, b, 1) to its bin. In wasm the pixel is read as one little-endian
// word (bin by shifts of the word, channels by widening its bytes as a vector): 10% faster
// than byte by byte there, but slower with g++/SSE2, which keeps the byte form.
inline void count_pixel(const std::uint8_t* p, bool skip_transparent, u32x4* counts) {
#ifdef __wasm_simd128__
  std::uint32_t word;
  std::memcpy(&word, p, sizeof word);
  if (skip_transparent && (word >> 24) == 0) return;
  u8x4 bytes;
  std::memcpy(&bytes, p, sizeof bytes);
  const u32x4 wide = __builtin_convertvector(bytes, u32x4);
  const std::uint32_t bin = ((word & 0xF8u) << 7) | ((word & 0xF800u) >> 6) | ((word & 0xF80000u) >> 19);
  counts[bin] += __builtin_shufflevector(wide, u32x4{0, 0, 0, 1}, 0, 1, 2, 7);
#else
  if (skip_transparent && p[3] == 0) return;
  counts[((p[0] >> 3) << 10) | ((p[1] >> 3) << 5) | (p[2] >> 3)] += u32x4{p[0], p[1], p[2], 1u};
#endif
}

void count_row(const std::uint8_t* p, int width, bool skip_transparent, u32x4* counts) {
  for (int x = 0; x < width; ++x) count_pixel(p + 4 * x, skip_transparent, counts);
}

}  // namespace

Result<std::vector<Rgb8>> extract_palette(ImageView src, int colors) {
  HUABU_RETURN_IF_ERROR(src.validate());
  if (colors < 1 || colors > kMaxPaletteColors) {
    return invalid_argument(detail::str_cat("palette colors ", colors, " must be in 1..", kMaxPaletteColors));
  }
  std::optional<Image> storage;
  ImageView rgba;
  HUABU_RETURN_IF_ERROR(detail::as_rgba(src, &storage, &rgba));
  auto made = detail::try_make_vector<Bin>(kBins, "palette histogram");
  if (!made.ok()) return made.status();
  std::vector<Bin> hist = std::move(made).value();
  // Counted first into 16-byte bins of 32-bit (r, g, b, count) sums, one vector add per pixel
  // instead of four 64-bit read-modify-writes, then folded into `hist` at least every
  // kChunkPixels pixels, before a 32-bit sum of bytes could overflow.
  constexpr std::size_t kChunkPixels = std::size_t{1} << 24;
  auto made32 = detail::try_make_vector<u32x4>(kBins, "palette histogram");
  if (!made32.ok()) return made32.status();
  std::vector<u32x4> counts = std::move(made32).value();
  auto fold = [&] {
    for (int b = 0; b < kBins; ++b) {
      if (counts[b][3] == 0) continue;
      for (int c = 0; c < 3; ++c) hist[b].sum[c] += counts[b][c];
      hist[b].count += counts[b][3];
      counts[b] = u32x4{0, 0, 0, 0};
    }
  };
  // Transparent pixels do not count unless the image has nothing else.
  for (int pass = 0; pass < 2; ++pass) {
    std::size_t pending = 0;
    for (int y = 0; y < rgba.height(); ++y) {
      if (pending + static_cast<std::size_t>(rgba.width()) > kChunkPixels) {
        fold();
        pending = 0;
      }
      pending += static_cast<std::size_t>(rgba.width());
      count_row(rgba.row(y), rgba.width(), pass == 0, counts.data());
    }
    fold();
    bool any = false;
    for (const Bin& b : hist) any = any || b.count > 0;
    if (any) break;
  }
  std::vector<int> occupied;
  for (int b = 0; b < kBins; ++b) {
    if (hist[b].count > 0) occupied.push_back(b);
  }
  std::vector<Box> boxes;
  boxes.push_back(make_box(std::move(occupied), hist));
  while (static_cast<int>(boxes.size()) < colors) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < boxes.size(); ++i) {
      if (priority(boxes[i]) > priority(boxes[best])) best = i;
    }
    if (priority(boxes[best]) == 0) break;  // every box is a single bin
    Box left, right;
    split(boxes[best], hist, &left, &right);
    boxes[best] = std::move(left);
    boxes.push_back(std::move(right));
  }
  std::stable_sort(boxes.begin(), boxes.end(), [](const Box& a, const Box& b) { return a.count > b.count; });
  std::vector<Rgb8> palette;
  for (const Box& box : boxes) {
    std::uint64_t sum[3] = {0, 0, 0};
    for (int b : box.bins) {
      for (int c = 0; c < 3; ++c) sum[c] += hist[b].sum[c];
    }
    palette.push_back({static_cast<std::uint8_t>((sum[0] + box.count / 2) / box.count),
                       static_cast<std::uint8_t>((sum[1] + box.count / 2) / box.count),
                       static_cast<std::uint8_t>((sum[2] + box.count / 2) / box.count)});
  }
  return palette;
}

}  // namespace huabu
