#include "huabu/tiling.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <tuple>
#include <utility>
#include <vector>

#include "huabu/image_ops.h"
#include "test_util.h"

namespace huabu {
namespace {

TEST(PlanTilesTest, SmallImageIsOneTile) {
  auto tiles = plan_tiles(50, 30, 64, 8);
  ASSERT_TRUE(tiles.ok());
  ASSERT_EQ(tiles->size(), 1u);
  EXPECT_EQ((*tiles)[0], (Tile{0, 0, 50, 30}));
}

TEST(PlanTilesTest, KnownLayout) {
  // L = 100, T = 40, o = 5: step 30, n = 1 + ceil(60 / 30) = 3, starts 0, 30, 60.
  auto tiles = plan_tiles(100, 40, 40, 5);
  ASSERT_TRUE(tiles.ok());
  ASSERT_EQ(tiles->size(), 3u);
  EXPECT_EQ((*tiles)[0], (Tile{0, 0, 40, 40}));
  EXPECT_EQ((*tiles)[1], (Tile{30, 0, 40, 40}));
  EXPECT_EQ((*tiles)[2], (Tile{60, 0, 40, 40}));
}

TEST(PlanTilesTest, CoversWithBoundedTilesAndEnoughOverlap) {
  for (int length : {1, 7, 64, 65, 100, 257, 1000}) {
    for (auto [tile, overlap] : {std::pair{64, 0}, {64, 8}, {32, 15}, {1, 0}, {128, 16}}) {
      auto tiles = plan_tiles(length, 1, tile, overlap);  // one row of tiles
      ASSERT_TRUE(tiles.ok());
      std::vector<int> cover(length, 0);
      int prev_start = -1, prev_end = 0;
      for (const Tile& t : *tiles) {
        ASSERT_LE(t.width, tile);
        ASSERT_GE(t.x, 0);
        ASSERT_LE(t.x + t.width, length);
        ASSERT_EQ(t.y, 0);
        ASSERT_EQ(t.height, 1);
        if (prev_start >= 0) {
          ASSERT_GT(t.x, prev_start);
          ASSERT_GE(prev_end - t.x, 2 * overlap) << length << " " << tile << " " << overlap;
        }
        prev_start = t.x;
        prev_end = t.x + t.width;
        for (int i = t.x; i < t.x + t.width; ++i) ++cover[i];
      }
      EXPECT_EQ(tiles->front().x, 0);
      EXPECT_EQ(prev_end, length);
      for (int c : cover) ASSERT_GT(c, 0);
    }
  }
}

TEST(PlanTilesTest, RowMajorOrder) {
  auto tiles = plan_tiles(100, 100, 60, 4);
  ASSERT_TRUE(tiles.ok());
  ASSERT_EQ(tiles->size(), 4u);
  EXPECT_EQ((*tiles)[1].y, 0);
  EXPECT_GT((*tiles)[1].x, 0);
  EXPECT_GT((*tiles)[2].y, 0);
  EXPECT_EQ((*tiles)[2].x, 0);
}

TEST(PlanTilesTest, RejectsBadArguments) {
  EXPECT_EQ(plan_tiles(0, 10, 64, 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(plan_tiles(10, 20000, 64, 0).status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(plan_tiles(10, 10, 0, 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(plan_tiles(10, 10, 20000, 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(plan_tiles(10, 10, 64, -1).status().code(), StatusCode::kInvalidArgument);
  auto r = plan_tiles(10, 10, 64, 32);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("overlap 32 must be in 0..31"), std::string::npos);
}

// Runs the whole tile -> "model" -> stitch loop with nearest-neighbour upscaling as the
// model, which commutes with cropping at integer scales: the stitched result must equal a
// plain nearest upscale of the full image, bit for bit.
Image stitch_nearest(const Image& src, int tile, int overlap, int scale) {
  auto tiles = plan_tiles(src.width(), src.height(), tile, overlap).value();
  TileStitcher st = TileStitcher::create(src.width(), src.height(), scale, overlap).value();
  for (const Tile& t : tiles) {
    Image in = crop(src.view(), t.x, t.y, t.width, t.height).value();
    Image out = resize(in.view(), t.width * scale, t.height * scale, ResizeFilter::kNearest).value();
    EXPECT_TRUE(st.add(t, out.view()).ok());
  }
  return st.finish().value();
}

TEST(TileStitcherTest, IdentityUpscaleIsReproducedExactly) {
  Image src = test::make_pattern(75, 53);
  for (auto [tile, overlap, scale] : {std::tuple{32, 4, 1}, {32, 4, 2}, {20, 0, 3}, {16, 7, 4}, {100, 8, 2}}) {
    Image want = resize(src.view(), 75 * scale, 53 * scale, ResizeFilter::kNearest).value();
    Image got = stitch_nearest(src, tile, overlap, scale);
    EXPECT_EQ(test::fnv1a(got), test::fnv1a(want)) << tile << " " << overlap << " " << scale;
  }
}

TEST(TileStitcherTest, FeatheringRemovesSeams) {
  // Each tile's "model" returns a flat colour of its own; with feathering the stitched row
  // changes gradually (steps of at most |a - b| / ramp + 1) instead of jumping.
  const int width = 100, overlap = 6;
  auto tiles = plan_tiles(width, 8, 40, overlap).value();
  TileStitcher st = TileStitcher::create(width, 8, 1, overlap).value();
  for (std::size_t i = 0; i < tiles.size(); ++i) {
    const std::uint8_t v = i % 2 ? 240 : 0;
    Image out = test::make_solid(tiles[i].width, tiles[i].height, v, v, v, 255);
    ASSERT_TRUE(st.add(tiles[i], out.view()).ok());
  }
  Image result = st.finish().value();
  const int max_step = 240 / (2 * overlap) + 1;
  for (int x = 1; x < width; ++x) {
    ASSERT_LE(std::abs(test::pixel(result, x, 3)[0] - test::pixel(result, x - 1, 3)[0]), max_step) << x;
  }
  EXPECT_EQ(test::pixel(result, 0, 0)[0], 0);
  EXPECT_EQ(test::pixel(result, 99, 0)[0], 240);  // only the last tile covers [80, 100)
}

TEST(TileStitcherTest, AccessorsAndReuse) {
  TileStitcher st = TileStitcher::create(10, 6, 3, 1).value();
  EXPECT_EQ(st.output_width(), 30);
  EXPECT_EQ(st.output_height(), 18);
  Image out = test::make_solid(30, 18, 1, 2, 3, 4);
  ASSERT_TRUE(st.add({0, 0, 10, 6}, out.view()).ok());
  auto a = st.finish();
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(test::fnv1a(*a), test::fnv1a(out));
}

TEST(TileStitcherTest, CreateRejectsBadArguments) {
  EXPECT_EQ(TileStitcher::create(0, 10, 2, 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(TileStitcher::create(10, 10, 0, 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(TileStitcher::create(10, 10, 17, 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(TileStitcher::create(10, 10, 2, -1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(TileStitcher::create(10000, 10000, 1, 0).status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(TileStitcher::create(8000, 8000, 2, 0).status().code(), StatusCode::kResourceExhausted);
}

TEST(TileStitcherTest, AddRejectsBadTilesAndOutputs) {
  TileStitcher st = TileStitcher::create(10, 10, 2, 1).value();
  Image ok_out = test::make_solid(8, 8, 0, 0, 0, 255);
  EXPECT_EQ(st.add({7, 0, 4, 4}, ok_out.view()).code(), StatusCode::kOutOfRange);
  EXPECT_EQ(st.add({-1, 0, 4, 4}, ok_out.view()).code(), StatusCode::kOutOfRange);
  EXPECT_EQ(st.add({0, 0, 0, 4}, ok_out.view()).code(), StatusCode::kInvalidArgument);
  auto wrong = st.add({0, 0, 5, 4}, ok_out.view());
  EXPECT_EQ(wrong.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(wrong.message().find("must be 10x8"), std::string::npos);
  Image rgb = Image::create(8, 8, PixelFormat::kRgb8).value();
  EXPECT_EQ(st.add({0, 0, 4, 4}, rgb.view()).code(), StatusCode::kUnsupported);
  EXPECT_EQ(st.add({0, 0, 4, 4}, ImageView()).code(), StatusCode::kInvalidArgument);
}

TEST(TileStitcherTest, FinishRejectsUncoveredPixels) {
  TileStitcher st = TileStitcher::create(10, 10, 1, 0).value();
  Image out = test::make_solid(10, 5, 0, 0, 0, 255);
  ASSERT_TRUE(st.add({0, 0, 10, 5}, out.view()).ok());
  auto r = st.finish();
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("x 0 y 5"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace huabu
