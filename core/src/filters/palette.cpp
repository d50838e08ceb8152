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
typedef std::uint8_t u8x16 __attribute__((vector_size(16)));
typedef std::uint8_t u8x4 __attribute__((vector_size(4)));
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "pixels are read as RGBA8 words");

// Per-bin sums of a whole image: 64-bit, because a 64 Mpx image overflows 32 bits.
struct Totals {
  std::uint64_t count = 0;
  std::uint64_t sum[3] = {0, 0, 0};
};

// An occupied histogram bin: its 15-bit code (5 bits of R, G, B) and totals.
struct Bin {
  int code = 0;
  Totals totals;
};

int bin_channel(int code, int c) { return (code >> (10 - 5 * c)) & 31; }  // c: 0 R, 1 G, 2 B

// Counting: one 16-byte (r, g, b, 255) sum per bin and pixel, so the alpha lane holds 255
// times the count. An opaque pixel's bytes widened as they are already have that shape, so
// in wasm four opaque pixels are binned as one vector (bins by shifts of the words; 20%
// faster there, slower with g++/SSE2, which keeps the pixel-by-pixel form).
inline int count_pixel(const std::uint8_t* p, bool skip_transparent, u32x4* counts) {
  if (skip_transparent && p[3] == 0) return 0;
  counts[((p[0] >> 3) << 10) | ((p[1] >> 3) << 5) | (p[2] >> 3)] += u32x4{p[0], p[1], p[2], 255u};
  return 1;
}

// Returns how many of the row's pixels were counted.
std::size_t count_row(const std::uint8_t* p, int width, bool skip_transparent, u32x4* counts) {
  std::size_t counted = 0;
  int x = 0;
#ifdef __wasm_simd128__
  for (; x + 4 <= width; x += 4, p += 16) {
    u32x4 words;
    std::memcpy(&words, p, sizeof words);
    if ((words[0] & words[1] & words[2] & words[3]) >> 24 != 255) {
      for (int i = 0; i < 4; ++i) counted += count_pixel(p + 4 * i, skip_transparent, counts);
      continue;
    }
    counted += 4;
    const u32x4 bins = ((words & 0xF8u) << 7) | ((words & 0xF800u) >> 6) | ((words & 0xF80000u) >> 19);
    u8x16 bytes;
    std::memcpy(&bytes, p, sizeof bytes);
    counts[bins[0]] += __builtin_convertvector(__builtin_shufflevector(bytes, bytes, 0, 1, 2, 3), u32x4);
    counts[bins[1]] += __builtin_convertvector(__builtin_shufflevector(bytes, bytes, 4, 5, 6, 7), u32x4);
    counts[bins[2]] += __builtin_convertvector(__builtin_shufflevector(bytes, bytes, 8, 9, 10, 11), u32x4);
    counts[bins[3]] += __builtin_convertvector(__builtin_shufflevector(bytes, bytes, 12, 13, 14, 15), u32x4);
  }
#endif
  for (; x < width; ++x, p += 4) counted += count_pixel(p, skip_transparent, counts);
  return counted;
}

void add_counts(const u32x4& c, Totals* t) {
  t->count += c[3] / 255;
  for (int k = 0; k < 3; ++k) t->sum[k] += c[k];
}

// The occupied bins of `counts`, plus `wide` when counting spilled into it (huge images).
std::vector<Bin> occupied_bins(const std::vector<u32x4>& counts, const std::vector<Totals>& wide) {
  std::vector<Bin> bins;
  for (int b = 0; b < kBins; ++b) {
    if (counts[b][3] == 0 && (wide.empty() || wide[b].count == 0)) continue;
    Bin bin;
    bin.code = b;
    if (!wide.empty()) bin.totals = wide[b];
    add_counts(counts[b], &bin.totals);
    bins.push_back(bin);
  }
  return bins;
}

// A box of the median cut: indices into the occupied bins, which are in code order.
struct Box {
  std::vector<int> members;
  std::uint64_t count = 0;
  int lo[3] = {31, 31, 31};
  int hi[3] = {0, 0, 0};
};

Box make_box(std::vector<int> members, const std::vector<Bin>& bins) {
  Box box;
  box.members = std::move(members);
  for (int m : box.members) {
    box.count += bins[m].totals.count;
    for (int c = 0; c < 3; ++c) {
      box.lo[c] = std::min(box.lo[c], bin_channel(bins[m].code, c));
      box.hi[c] = std::max(box.hi[c], bin_channel(bins[m].code, c));
    }
  }
  return box;
}

// Split priority: pixel count times box volume (large, spread-out boxes first).
std::uint64_t priority(const Box& box) {
  if (box.members.size() < 2) return 0;
  std::uint64_t volume = 1;
  for (int c = 0; c < 3; ++c) volume *= static_cast<std::uint64_t>(box.hi[c] - box.lo[c] + 1);
  return box.count * volume;
}

// Splits along the widest channel at the pixel-count median: in the order "channel value,
// then code", the first members up to the one that reaches half the pixels go left (at least
// one member on each side). Found with a 32-value histogram of the channel instead of a sort,
// and both halves keep code order, which the next split relies on.
void split(const Box& box, const std::vector<Bin>& bins, Box* left, Box* right) {
  int axis = 0;
  for (int c = 1; c < 3; ++c) {
    if (box.hi[c] - box.lo[c] > box.hi[axis] - box.lo[axis]) axis = c;
  }
  std::uint64_t pixels_at[32] = {};
  std::size_t members_at[32] = {};
  for (int m : box.members) {
    const int v = bin_channel(bins[m].code, axis);
    pixels_at[v] += bins[m].totals.count;
    ++members_at[v];
  }
  // The cut value: members below it all go left, and the first `take` at it.
  const std::size_t last = box.members.size() - 1;  // the cut position stops before the last member
  std::uint64_t running = 0;
  std::size_t position = 0;
  int cut_value = 0;
  while (position + members_at[cut_value] <= last && 2 * (running + pixels_at[cut_value]) < box.count) {
    running += pixels_at[cut_value];
    position += members_at[cut_value];
    ++cut_value;
  }
  std::size_t take = 0;
  for (int m : box.members) {
    if (bin_channel(bins[m].code, axis) != cut_value) continue;
    if (position + take == last) break;
    running += bins[m].totals.count;
    ++take;
    if (2 * running >= box.count) break;
  }
  std::vector<int> lo, hi;
  for (int m : box.members) {
    const int v = bin_channel(bins[m].code, axis);
    if (v < cut_value || (v == cut_value && take > 0)) {
      lo.push_back(m);
      if (v == cut_value) --take;
    } else {
      hi.push_back(m);
    }
  }
  *left = make_box(std::move(lo), bins);
  *right = make_box(std::move(hi), bins);
}

// One histogram: 32-bit sums per bin, spilled into 64-bit totals before they can overflow.
class Histogram {
 public:
  Status init() {
    auto made = detail::try_make_vector<u32x4>(kBins, "palette histogram");
    if (!made.ok()) return made.status();
    counts_ = std::move(made).value();
    return Status();
  }

  // Counts the row's pixels (without the transparent ones if asked); returns how many.
  Result<std::size_t> add_row(const std::uint8_t* p, int width, bool skip_transparent) {
    if (pending_ + static_cast<std::size_t>(width) > kChunkPixels) HUABU_RETURN_IF_ERROR(spill());
    pending_ += static_cast<std::size_t>(width);
    return count_row(p, width, skip_transparent, counts_.data());
  }

  std::vector<Bin> occupied() const { return occupied_bins(counts_, wide_); }

 private:
  // 255 * 2^24 < 2^32: the 32-bit sums hold at least 2^24 pixels.
  static constexpr std::size_t kChunkPixels = std::size_t{1} << 24;

  Status spill() {
    if (wide_.empty()) {
      auto made = detail::try_make_vector<Totals>(kBins, "palette histogram");
      if (!made.ok()) return made.status();
      wide_ = std::move(made).value();
    }
    for (int b = 0; b < kBins; ++b) {
      if (counts_[b][3] == 0) continue;
      add_counts(counts_[b], &wide_[b]);
      counts_[b] = u32x4{0, 0, 0, 0};
    }
    pending_ = 0;
    return Status();
  }

  std::vector<u32x4> counts_;
  std::vector<Totals> wide_;
  std::size_t pending_ = 0;
};

}  // namespace

// Pixels with alpha > 0 go to `visible`. Fully transparent ones matter only while no other
// pixel has been seen (an image with nothing else is cut from them): a row with no visible
// pixel is counted again, whole, into `clear`, which is dropped at the first visible pixel.
struct PaletteBuilder::State {
  Histogram visible;
  std::optional<Histogram> clear;
  bool any_visible = false;
  bool any_pixel = false;
};

Status check_palette_colors(int colors) {
  if (colors < 1 || colors > kMaxPaletteColors) {
    return invalid_argument(detail::str_cat("palette colors ", colors, " must be in 1..", kMaxPaletteColors));
  }
  return Status();
}

PaletteBuilder::PaletteBuilder(std::unique_ptr<State> state) : state_(std::move(state)) {}
PaletteBuilder::PaletteBuilder(PaletteBuilder&&) noexcept = default;
PaletteBuilder& PaletteBuilder::operator=(PaletteBuilder&&) noexcept = default;
PaletteBuilder::~PaletteBuilder() = default;

Result<PaletteBuilder> PaletteBuilder::create() {
  auto state = std::make_unique<State>();
  HUABU_RETURN_IF_ERROR(state->visible.init());
  return PaletteBuilder(std::move(state));
}

Status PaletteBuilder::add(ImageView rows) {
  HUABU_RETURN_IF_ERROR(rows.validate());
  std::optional<Image> storage;
  ImageView rgba;
  HUABU_RETURN_IF_ERROR(detail::as_rgba(rows, &storage, &rgba));
  State& s = *state_;
  s.any_pixel = true;
  for (int y = 0; y < rgba.height(); ++y) {
    auto counted = s.visible.add_row(rgba.row(y), rgba.width(), true);
    if (!counted.ok()) return counted.status();
    if (*counted > 0) {
      s.any_visible = true;
      s.clear.reset();
    } else if (!s.any_visible) {
      if (!s.clear) {
        s.clear.emplace();
        HUABU_RETURN_IF_ERROR(s.clear->init());
      }
      auto all = s.clear->add_row(rgba.row(y), rgba.width(), false);
      if (!all.ok()) return all.status();
    }
  }
  return Status();
}

Result<std::vector<Rgb8>> PaletteBuilder::finish(int colors) const {
  HUABU_RETURN_IF_ERROR(check_palette_colors(colors));
  if (!state_->any_pixel) return invalid_argument("palette of an image with no pixels");
  const std::vector<Bin> bins = state_->any_visible ? state_->visible.occupied() : state_->clear->occupied();
  std::vector<int> all(bins.size());
  for (std::size_t i = 0; i < bins.size(); ++i) all[i] = static_cast<int>(i);
  std::vector<Box> boxes;
  boxes.push_back(make_box(std::move(all), bins));
  while (static_cast<int>(boxes.size()) < colors) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < boxes.size(); ++i) {
      if (priority(boxes[i]) > priority(boxes[best])) best = i;
    }
    if (priority(boxes[best]) == 0) break;  // every box is a single bin
    Box left, right;
    split(boxes[best], bins, &left, &right);
    boxes[best] = std::move(left);
    boxes.push_back(std::move(right));
  }
  std::stable_sort(boxes.begin(), boxes.end(), [](const Box& a, const Box& b) { return a.count > b.count; });
  std::vector<Rgb8> palette;
  for (const Box& box : boxes) {
    std::uint64_t sum[3] = {0, 0, 0};
    for (int m : box.members) {
      for (int c = 0; c < 3; ++c) sum[c] += bins[m].totals.sum[c];
    }
    palette.push_back({static_cast<std::uint8_t>((sum[0] + box.count / 2) / box.count),
                       static_cast<std::uint8_t>((sum[1] + box.count / 2) / box.count),
                       static_cast<std::uint8_t>((sum[2] + box.count / 2) / box.count)});
  }
  return palette;
}

Result<std::vector<Rgb8>> extract_palette(ImageView src, int colors) {
  HUABU_RETURN_IF_ERROR(src.validate());
  HUABU_RETURN_IF_ERROR(check_palette_colors(colors));
  auto builder = PaletteBuilder::create();
  if (!builder.ok()) return builder.status();
  HUABU_RETURN_IF_ERROR(builder->add(src));
  return builder->finish(colors);
}

}  // namespace huabu
