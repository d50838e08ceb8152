#include <gtest/gtest.h>

#include "huabu/image_ops.h"
#include "test_util.h"

namespace huabu {
namespace {

TEST(ConvertTest, RgbaToRgbDropsAlphaAndBack) {
  const std::uint8_t px[] = {10, 20, 30, 40};
  auto rgb = convert(ImageView(px, 1, 1, PixelFormat::kRgba8), PixelFormat::kRgb8);
  ASSERT_TRUE(rgb.ok());
  EXPECT_EQ(rgb->data()[0], 10);
  EXPECT_EQ(rgb->data()[2], 30);
  auto rgba = convert(rgb->view(), PixelFormat::kRgba8);
  ASSERT_TRUE(rgba.ok());
  EXPECT_EQ(rgba->data()[3], 255);
  EXPECT_EQ(rgba->data()[1], 20);
}

TEST(ConvertTest, GrayIsBt601Luma) {
  const std::uint8_t px[] = {255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255};
  auto gray = convert(ImageView(px, 4, 1, PixelFormat::kRgba8), PixelFormat::kGray8);
  ASSERT_TRUE(gray.ok());
  // (77*255+128)>>8 = 77, (150*255+128)>>8 = 149, (29*255+128)>>8 = 29, 255.
  EXPECT_EQ(gray->data()[0], 77);
  EXPECT_EQ(gray->data()[1], 149);
  EXPECT_EQ(gray->data()[2], 29);
  EXPECT_EQ(gray->data()[3], 255);
  auto back = convert(gray->view(), PixelFormat::kRgb8);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->data()[3], 149);
  EXPECT_EQ(back->data()[4], 149);
  EXPECT_EQ(back->data()[5], 149);
}

TEST(ConvertTest, SameFormatIsCopy) {
  Image src = test::make_pattern(7, 5);
  auto out = convert(src.view(), PixelFormat::kRgba8);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(test::fnv1a(*out), test::fnv1a(src));
}

TEST(ConvertTest, RejectsInvalidView) {
  EXPECT_EQ(convert(ImageView(), PixelFormat::kRgb8).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace huabu
