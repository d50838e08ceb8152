#include "huabu/image.h"

#include <gtest/gtest.h>

#include <vector>

#include "test_util.h"

namespace huabu {
namespace {

TEST(ImageTest, FormatSizesAndNames) {
  EXPECT_EQ(bytes_per_pixel(PixelFormat::kRgba8), 4);
  EXPECT_EQ(bytes_per_pixel(PixelFormat::kRgb8), 3);
  EXPECT_EQ(bytes_per_pixel(PixelFormat::kGray8), 1);
  EXPECT_EQ(pixel_format_name(PixelFormat::kRgba8), "rgba8");
  EXPECT_EQ(pixel_format_name(PixelFormat::kRgb8), "rgb8");
  EXPECT_EQ(pixel_format_name(PixelFormat::kGray8), "gray8");
}

TEST(ImageTest, CreateIsZeroFilledAndPacked) {
  auto r = Image::create(5, 3, PixelFormat::kRgb8);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->width(), 5);
  EXPECT_EQ(r->height(), 3);
  EXPECT_EQ(r->stride(), 15);
  EXPECT_EQ(r->size_bytes(), 45u);
  for (std::size_t i = 0; i < r->size_bytes(); ++i) ASSERT_EQ(r->data()[i], 0);
}

TEST(ImageTest, CreateUninitializedHasTheSizeAndTheSameLimits) {
  auto r = Image::create_uninitialized(5, 3, PixelFormat::kRgba8);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->stride(), 20);
  EXPECT_EQ(r->size_bytes(), 60u);
  EXPECT_EQ(Image::create_uninitialized(0, 3, PixelFormat::kRgba8).status().message(), "width 0 must be in 1..16384");
  EXPECT_EQ(Image::create_uninitialized(10000, 10000, PixelFormat::kGray8).status().code(),
            StatusCode::kResourceExhausted);
}

TEST(ImageTest, CreateRejectsNonPositiveSizes) {
  auto r = Image::create(0, 10, PixelFormat::kRgba8);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "width 0 must be in 1..16384");
  EXPECT_EQ(Image::create(10, -1, PixelFormat::kRgba8).status().code(), StatusCode::kInvalidArgument);
}

TEST(ImageTest, CreateRejectsOversizedBeforeAllocating) {
  auto side = Image::create(16385, 1, PixelFormat::kRgba8);
  EXPECT_EQ(side.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(side.status().message().find("16385"), std::string::npos);
  EXPECT_EQ(Image::create(1, 16385, PixelFormat::kRgba8).status().code(), StatusCode::kResourceExhausted);
  // 10000 x 10000 = 100 Mpx > 64 Mpx, though each side is allowed.
  auto pixels = Image::create(10000, 10000, PixelFormat::kGray8);
  EXPECT_EQ(pixels.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(pixels.status().message().find("100000000"), std::string::npos);
  EXPECT_TRUE(check_image_size(kMaxImageSide, 4096).ok());  // exactly 64 Mpx
}

TEST(ImageTest, ViewValidation) {
  std::vector<std::uint8_t> buf(64);
  EXPECT_TRUE(ImageView(buf.data(), 4, 4, PixelFormat::kRgba8).validate().ok());
  EXPECT_EQ(ImageView(nullptr, 4, 4, PixelFormat::kRgba8).validate().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ImageView(buf.data(), 4, 4, PixelFormat::kRgba8, 8).validate().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ImageView(buf.data(), 0, 4, PixelFormat::kRgba8).validate().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ImageView().validate().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(MutableImageView(buf.data(), 4, 4, PixelFormat::kGray8, 2).validate().code(),
            StatusCode::kInvalidArgument);
}

TEST(ImageTest, CopyOfPacksStridedView) {
  // 3x2 gray image inside rows of 5 bytes.
  const std::uint8_t buf[] = {1, 2, 3, 99, 99, 4, 5, 6, 99, 99};
  auto r = Image::copy_of(ImageView(buf, 3, 2, PixelFormat::kGray8, 5));
  ASSERT_TRUE(r.ok());
  const std::uint8_t want[] = {1, 2, 3, 4, 5, 6};
  ASSERT_EQ(r->size_bytes(), sizeof want);
  for (std::size_t i = 0; i < sizeof want; ++i) EXPECT_EQ(r->data()[i], want[i]);
  EXPECT_EQ(Image::copy_of(ImageView()).status().code(), StatusCode::kInvalidArgument);
}

TEST(ImageTest, MoveTransfersOwnership) {
  Image a = test::make_solid(2, 2, 1, 2, 3, 4);
  const std::uint8_t* data = a.data();
  Image b = std::move(a);
  EXPECT_EQ(b.data(), data);
  EXPECT_EQ(b.view().row(1)[4], 1);
  MutableImageView mv = b.mutable_view();
  mv.row(0)[0] = 9;
  ImageView v = mv;
  EXPECT_EQ(v.row(0)[0], 9);
  EXPECT_EQ(v.channels(), 4);
}

}  // namespace
}  // namespace huabu
