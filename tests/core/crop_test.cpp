#include <gtest/gtest.h>

#include <climits>

#include "huabu/image_ops.h"
#include "test_util.h"

namespace huabu {
namespace {

TEST(CropTest, CopiesTheRectangle) {
  Image src = test::make_pattern(10, 8);
  auto out = crop(src.view(), 3, 2, 4, 5);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->width(), 4);
  EXPECT_EQ(out->height(), 5);
  for (int y = 0; y < 5; ++y) {
    for (int x = 0; x < 4; ++x) {
      for (int c = 0; c < 4; ++c) ASSERT_EQ(test::pixel(*out, x, y)[c], test::pixel(src, x + 3, y + 2)[c]);
    }
  }
}

TEST(CropTest, ViewSharesMemoryAndKeepsStride) {
  Image src = test::make_pattern(10, 8, PixelFormat::kRgb8);
  auto view = crop_view(src.view(), 1, 1, 2, 2);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->data(), test::pixel(src, 1, 1));
  EXPECT_EQ(view->stride(), src.stride());
  auto whole = crop(src.view(), 0, 0, 10, 8);
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(test::fnv1a(*whole), test::fnv1a(src));
}

TEST(CropTest, RejectsRectanglesOutsideTheImage) {
  Image src = test::make_pattern(10, 8);
  auto r = crop(src.view(), 8, 0, 3, 1);
  EXPECT_EQ(r.status().code(), StatusCode::kOutOfRange);
  EXPECT_NE(r.status().message().find("x 8"), std::string::npos);
  EXPECT_EQ(crop(src.view(), -1, 0, 2, 2).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(crop(src.view(), 0, -1, 2, 2).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(crop(src.view(), 0, 7, 2, 2).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(crop(src.view(), INT_MAX, 0, INT_MAX, 1).status().code(), StatusCode::kOutOfRange);
}

TEST(CropTest, RejectsEmptyRectanglesAndBadSources) {
  Image src = test::make_pattern(10, 8);
  EXPECT_EQ(crop(src.view(), 0, 0, 0, 2).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(crop(src.view(), 0, 0, 2, -3).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(crop(ImageView(), 0, 0, 1, 1).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace huabu
