#include <gtest/gtest.h>

#include <climits>
#include <utility>

#include "huabu/image_ops.h"
#include "test_util.h"

namespace huabu {
namespace {

TEST(PremultiplyTest, RoundsToNearest) {
  std::uint8_t px[] = {255, 128, 1, 128, 200, 100, 50, 0, 9, 8, 7, 255};
  ASSERT_TRUE(premultiply_in_place(MutableImageView(px, 3, 1, PixelFormat::kRgba8)).ok());
  EXPECT_EQ(px[0], 128);  // (255*128+127)/255
  EXPECT_EQ(px[1], 64);   // (128*128+127)/255 = 64.25
  EXPECT_EQ(px[2], 1);    // (1*128+127)/255 = 1
  EXPECT_EQ(px[3], 128);
  EXPECT_EQ(px[4], 0);
  EXPECT_EQ(px[7], 0);
  EXPECT_EQ(px[8], 9);
}

TEST(PremultiplyTest, UnpremultiplyInverts) {
  std::uint8_t px[] = {128, 64, 0, 128, 5, 5, 5, 0, 200, 250, 10, 200};
  ASSERT_TRUE(unpremultiply_in_place(MutableImageView(px, 3, 1, PixelFormat::kRgba8)).ok());
  EXPECT_EQ(px[0], 255);  // (128*255+64)/128 = 255.5 -> 255
  EXPECT_EQ(px[1], 128);
  EXPECT_EQ(px[4], 0);    // alpha 0 -> 0
  EXPECT_EQ(px[9], 255);  // 250 > alpha 200: clamped
  EXPECT_EQ(px[10], 13);  // (10*255+100)/200 = 13.25
}

TEST(PremultiplyTest, OpaqueRoundTripIsExact) {
  Image img = test::make_pattern(16, 16, PixelFormat::kRgba8, /*opaque=*/true);
  const auto before = test::fnv1a(img);
  ASSERT_TRUE(premultiply_in_place(img.mutable_view()).ok());
  ASSERT_TRUE(unpremultiply_in_place(img.mutable_view()).ok());
  EXPECT_EQ(test::fnv1a(img), before);
}

TEST(PremultiplyTest, RejectsNonRgba) {
  std::uint8_t px[3] = {};
  EXPECT_EQ(premultiply_in_place(MutableImageView(px, 1, 1, PixelFormat::kRgb8)).code(), StatusCode::kUnsupported);
  EXPECT_EQ(unpremultiply_in_place(MutableImageView(px, 3, 1, PixelFormat::kGray8)).code(),
            StatusCode::kUnsupported);
  EXPECT_EQ(premultiply_in_place(MutableImageView()).code(), StatusCode::kInvalidArgument);
}

TEST(CompositeTest, OpaqueSourceReplacesAndTransparentKeeps) {
  Image dst = test::make_solid(4, 4, 0, 0, 255, 255);
  Image red = test::make_solid(2, 2, 255, 0, 0, 255);
  Image clear = test::make_solid(2, 2, 0, 255, 0, 0);
  ASSERT_TRUE(composite_over(dst.mutable_view(), red.view(), 1, 1).ok());
  ASSERT_TRUE(composite_over(dst.mutable_view(), clear.view(), 0, 0).ok());
  EXPECT_EQ(test::pixel(dst, 0, 0)[2], 255);
  EXPECT_EQ(test::pixel(dst, 1, 1)[0], 255);
  EXPECT_EQ(test::pixel(dst, 1, 1)[2], 0);
  EXPECT_EQ(test::pixel(dst, 2, 2)[0], 255);
  EXPECT_EQ(test::pixel(dst, 3, 3)[2], 255);
}

TEST(CompositeTest, HalfAlphaBlends) {
  Image dst = test::make_solid(1, 1, 0, 0, 255, 255);
  Image src = test::make_solid(1, 1, 255, 0, 0, 128);
  ASSERT_TRUE(composite_over(dst.mutable_view(), src.view(), 0, 0).ok());
  const std::uint8_t* p = test::pixel(dst, 0, 0);
  // alpha2 = 128*255 + 255*127 = 65025 (opaque); red 255*128*255 / 65025 = 128,
  // blue 255*255*127 / 65025 = 127 (both exact).
  EXPECT_EQ(p[0], 128);
  EXPECT_EQ(p[1], 0);
  EXPECT_EQ(p[2], 127);
  EXPECT_EQ(p[3], 255);
}

TEST(CompositeTest, TransparentDestinationTakesSourceColour) {
  Image dst = test::make_solid(1, 1, 9, 9, 9, 0);
  Image src = test::make_solid(1, 1, 200, 100, 50, 64);
  ASSERT_TRUE(composite_over(dst.mutable_view(), src.view(), 0, 0).ok());
  const std::uint8_t* p = test::pixel(dst, 0, 0);
  EXPECT_EQ(p[0], 200);
  EXPECT_EQ(p[1], 100);
  EXPECT_EQ(p[2], 50);
  EXPECT_EQ(p[3], 64);
}

TEST(CompositeTest, ClipsAtEveryEdge) {
  Image src = test::make_solid(3, 3, 255, 255, 255, 255);
  for (auto [x, y] : {std::pair{-2, -2}, {3, 3}, {-2, 3}, {3, -2}}) {
    Image dst = test::make_solid(4, 4, 0, 0, 0, 255);
    ASSERT_TRUE(composite_over(dst.mutable_view(), src.view(), x, y).ok());
    int white = 0;
    for (int py = 0; py < 4; ++py) {
      for (int px = 0; px < 4; ++px) white += test::pixel(dst, px, py)[0] == 255;
    }
    EXPECT_EQ(white, 1) << x << "," << y;
  }
  Image dst = test::make_solid(4, 4, 0, 0, 0, 255);
  const auto before = test::fnv1a(dst);
  ASSERT_TRUE(composite_over(dst.mutable_view(), src.view(), 100, -100).ok());
  ASSERT_TRUE(composite_over(dst.mutable_view(), src.view(), INT_MIN, INT_MAX).ok());
  EXPECT_EQ(test::fnv1a(dst), before);
}

TEST(CompositeTest, RejectsNonRgbaAndInvalidViews) {
  Image dst = test::make_solid(2, 2, 0, 0, 0, 255);
  Image rgb = Image::create(2, 2, PixelFormat::kRgb8).value();
  EXPECT_EQ(composite_over(dst.mutable_view(), rgb.view(), 0, 0).code(), StatusCode::kUnsupported);
  EXPECT_EQ(composite_over(rgb.mutable_view(), dst.view(), 0, 0).code(), StatusCode::kUnsupported);
  EXPECT_EQ(composite_over(dst.mutable_view(), ImageView(), 0, 0).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace huabu
