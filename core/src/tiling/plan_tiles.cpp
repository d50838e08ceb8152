#include <cstdint>

#include "base/str_cat.h"
#include "huabu/tiling.h"

namespace huabu {

using detail::str_cat;

namespace {

struct Span {
  int start;
  int length;
};

// Per-axis layout described in tiling.h.
std::vector<Span> plan_axis(int length, int tile, int overlap) {
  if (length <= tile) return {{0, length}};
  const std::int64_t step = tile - 2 * overlap;  // >= 1, validated
  const std::int64_t n = 1 + (length - tile + step - 1) / step;
  std::vector<Span> spans;
  for (std::int64_t i = 0; i < n; ++i) {
    spans.push_back({static_cast<int>(i * (length - tile) / (n - 1)), tile});
  }
  return spans;
}

}  // namespace

Result<std::vector<Tile>> plan_tiles(int width, int height, int tile_size, int overlap) {
  HUABU_RETURN_IF_ERROR(check_image_size(width, height));
  if (tile_size < 1 || tile_size > kMaxImageSide) {
    return invalid_argument(str_cat("tile size ", tile_size, " must be in 1..", kMaxImageSide));
  }
  if (overlap < 0 || std::int64_t{overlap} * 2 >= tile_size) {
    return invalid_argument(str_cat("overlap ", overlap, " must be in 0..", (tile_size - 1) / 2,
                                    " (2 * overlap < tile size ", tile_size, ")"));
  }
  const std::vector<Span> xs = plan_axis(width, tile_size, overlap);
  const std::vector<Span> ys = plan_axis(height, tile_size, overlap);
  std::vector<Tile> tiles;
  tiles.reserve(xs.size() * ys.size());
  for (const Span& y : ys) {
    for (const Span& x : xs) tiles.push_back({x.start, y.start, x.length, y.length});
  }
  return tiles;
}

}  // namespace huabu
