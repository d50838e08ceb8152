// huabu/tiling.h: split a large image into model-sized tiles and blend the (upscaled)
// outputs back without seams.
//
//   auto tiles = huabu::plan_tiles(w, h, /*tile_size=*/128, /*overlap=*/8);
//   auto st = huabu::TileStitcher::create(w, h, /*scale=*/4, /*overlap=*/8);
//   for (const huabu::Tile& t : *tiles) {
//     auto in = huabu::crop(img.view(), t.x, t.y, t.width, t.height);
//     Image out = run_model(*in);                          // t.width*4 x t.height*4 RGBA8
//     HUABU_RETURN_IF_ERROR(st->add(t, out.view()));
//   }
//   auto result = st->finish();                            // w*4 x h*4 RGBA8
//
// Tile layout, per axis of length L with tile size T and overlap o (requires T > 2o):
// if L <= T there is one tile of length L; otherwise n = 1 + ceil((L - T) / (T - 2o)) tiles,
// all exactly T long, at start_i = floor(i * (L - T) / (n - 1)). So tiles never exceed T, the
// first starts at 0, the last ends at L, and neighbours share AT LEAST 2*o pixels (more when
// L - T does not divide evenly). Tiles are listed row-major (top to bottom, left to right).
//
// Stitching: each tile's contribution is weighted per axis by a linear ramp over the first
// and last 2*o*scale output pixels of every edge that is not on the image border
// (w = (d + 0.5) / (2*o*scale) at distance d from that edge, 1 elsewhere; the 2D weight is
// the product). finish() divides by the summed weight, rounds half up. Channels are blended
// independently (straight alpha), so identical overlapping content is reproduced exactly.
//
// Ownership: plan_tiles returns a vector owned by the caller. TileStitcher owns its float
// accumulation buffers (out_w * out_h * 5 floats). Threading: a TileStitcher is not
// synchronised; call add() from one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "huabu/image.h"
#include "huabu/status.h"

namespace huabu {

struct Tile {
  int x = 0;  // region of the input, overlap included
  int y = 0;
  int width = 0;
  int height = 0;
  friend bool operator==(const Tile&, const Tile&) = default;
};

inline constexpr int kMaxTileScale = 16;

// width/height: image size (within image limits); tile_size >= 1; 0 <= overlap and
// 2 * overlap < tile_size.
[[nodiscard]] Result<std::vector<Tile>> plan_tiles(int width, int height, int tile_size,
                                                   int overlap);

class TileStitcher {
 public:
  // width/height: input image size; scale in 1..kMaxTileScale (output = input * scale, within
  // image limits); overlap >= 0 as given to plan_tiles.
  [[nodiscard]] static Result<TileStitcher> create(int width, int height, int scale, int overlap);

  // `output` (RGBA8) must be tile.width*scale x tile.height*scale and the tile must lie inside
  // the input image.
  [[nodiscard]] Status add(const Tile& tile, ImageView output);
  // The blended RGBA8 image; invalid_argument if some pixel was covered by no tile.
  // The stitcher can keep accepting tiles afterwards (finish does not reset it).
  [[nodiscard]] Result<Image> finish() const;

  TileStitcher(TileStitcher&&) noexcept = default;
  TileStitcher& operator=(TileStitcher&&) noexcept = default;

  [[nodiscard]] int output_width() const { return width_ * scale_; }
  [[nodiscard]] int output_height() const { return height_ * scale_; }

 private:
  TileStitcher(int width, int height, int scale, int overlap, std::unique_ptr<float[]> sums,
               std::unique_ptr<float[]> weights)
      : width_(width), height_(height), scale_(scale), overlap_(overlap),
        sums_(std::move(sums)), weights_(std::move(weights)) {}

  int width_;
  int height_;
  int scale_;
  int overlap_;
  std::unique_ptr<float[]> sums_;     // weighted RGBA sums, out_w * out_h * 4
  std::unique_ptr<float[]> weights_;  // summed weights, out_w * out_h
};

}  // namespace huabu
