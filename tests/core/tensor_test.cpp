#include "huabu/tensor.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "test_util.h"

namespace huabu {
namespace {

TEST(TensorTest, LayoutNames) {
  EXPECT_EQ(*parse_tensor_layout("nchw"), TensorLayout::kNchw);
  EXPECT_EQ(*parse_tensor_layout("nhwc"), TensorLayout::kNhwc);
  EXPECT_EQ(parse_tensor_layout("NCHW").status().code(), StatusCode::kInvalidArgument);
}

TEST(TensorTest, NchwAndNhwcOrderAndValues) {
  // 2x1 image: pixel 0 = (10, 20, 30, 40), pixel 1 = (50, 60, 70, 80).
  const std::uint8_t px[] = {10, 20, 30, 40, 50, 60, 70, 80};
  TensorOptions o;
  o.scale = 1.0f;
  o.mean = {0.0f, 10.0f, 20.0f};
  o.std = {1.0f, 2.0f, 5.0f};
  auto nchw = image_to_tensor(ImageView(px, 2, 1, PixelFormat::kRgba8), o);
  ASSERT_TRUE(nchw.ok());
  EXPECT_EQ(*nchw, (std::vector<float>{10, 50, 5, 25, 2, 10}));
  o.layout = TensorLayout::kNhwc;
  auto nhwc = image_to_tensor(ImageView(px, 2, 1, PixelFormat::kRgba8), o);
  ASSERT_TRUE(nhwc.ok());
  EXPECT_EQ(*nhwc, (std::vector<float>{10, 5, 2, 50, 25, 10}));
  o.channels = 4;
  o.mean = {};
  o.std = {};
  auto rgba = image_to_tensor(ImageView(px, 2, 1, PixelFormat::kRgba8), o);
  ASSERT_TRUE(rgba.ok());
  EXPECT_EQ(*rgba, (std::vector<float>{10, 20, 30, 40, 50, 60, 70, 80}));
}

TEST(TensorTest, DefaultOptionsScaleToUnitRange) {
  const std::uint8_t px[] = {0, 255, 51, 7};
  auto t = image_to_tensor(ImageView(px, 1, 1, PixelFormat::kRgba8), TensorOptions{});
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->size(), 3u);
  EXPECT_EQ((*t)[0], 0.0f);
  EXPECT_FLOAT_EQ((*t)[1], 1.0f);
  EXPECT_FLOAT_EQ((*t)[2], 0.2f);
  EXPECT_EQ(tensor_size(4, 3, TensorOptions{}), 36u);
}

TEST(TensorTest, RoundTripIsExact) {
  Image src = test::make_pattern(23, 17);
  for (TensorLayout layout : {TensorLayout::kNchw, TensorLayout::kNhwc}) {
    for (int channels : {3, 4}) {
      TensorOptions o;
      o.layout = layout;
      o.channels = channels;
      o.mean.assign(channels, 0.5f);
      o.std.assign(channels, 0.229f);
      auto t = image_to_tensor(src.view(), o);
      ASSERT_TRUE(t.ok());
      auto back = tensor_to_image(*t, 23, 17, o);
      ASSERT_TRUE(back.ok());
      for (int i = 0; i < 23 * 17; ++i) {
        for (int c = 0; c < channels; ++c) ASSERT_EQ(back->data()[4 * i + c], src.data()[4 * i + c]);
        if (channels == 3) ASSERT_EQ(back->data()[4 * i + 3], 255);
      }
    }
  }
}

TEST(TensorTest, Rgb8SourceWithThreeChannels) {
  Image src = test::make_pattern(5, 4, PixelFormat::kRgb8);
  TensorOptions o;
  auto t = image_to_tensor(src.view(), o);
  ASSERT_TRUE(t.ok());
  EXPECT_FLOAT_EQ((*t)[20 + 1], src.data()[3 * 1 + 1] / 255.0f);  // channel 1, pixel 1
}

TEST(TensorTest, InverseClampsAndRoundsHalfUp) {
  TensorOptions o;
  o.scale = 1.0f;
  o.layout = TensorLayout::kNhwc;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float data[] = {0.5f, 1.49f, 254.5f, -3.0f, 300.0f, nan, 2.5f, 0.4999f, 1e30f};
  auto img = tensor_to_image(data, 3, 1, o);
  ASSERT_TRUE(img.ok());
  const std::uint8_t want[] = {1, 1, 255, 255, 0, 255, 0, 255, 3, 0, 255, 255};
  for (int i = 0; i < 12; ++i) EXPECT_EQ(img->data()[i], want[i]) << i;
}

TEST(TensorTest, RejectsBadOptions) {
  const std::uint8_t px[4] = {};
  const ImageView img(px, 1, 1, PixelFormat::kRgba8);
  auto expect_invalid = [&](TensorOptions o, const char* needle) {
    auto r = image_to_tensor(img, o);
    ASSERT_EQ(r.status().code(), StatusCode::kInvalidArgument) << needle;
    EXPECT_NE(r.status().message().find(needle), std::string::npos) << r.status().message();
    EXPECT_EQ(tensor_to_image(std::vector<float>(3), 1, 1, o).status().code(), StatusCode::kInvalidArgument);
  };
  TensorOptions o;
  o.channels = 2;
  expect_invalid(o, "channels 2");
  o = {};
  o.scale = 0.0f;
  expect_invalid(o, "scale 0");
  o.scale = std::numeric_limits<float>::infinity();
  expect_invalid(o, "scale inf");
  o = {};
  o.mean = {1, 2};
  expect_invalid(o, "mean has 2 values, expected 3");
  o = {};
  o.std = {1, 1, 1, 1};
  expect_invalid(o, "std has 4 values");
  o = {};
  o.std = {1, 0, 1};
  expect_invalid(o, "std[1] 0");
  o = {};
  o.mean = {0, 0, std::numeric_limits<float>::quiet_NaN()};
  expect_invalid(o, "mean[2]");
}

TEST(TensorTest, RejectsBadShapesAndFormats) {
  TensorOptions o;
  auto r = tensor_to_image(std::vector<float>(11), 2, 2, o);
  ASSERT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("11 values, expected 12"), std::string::npos);
  EXPECT_EQ(tensor_to_image(std::vector<float>(3), 0, 1, o).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(tensor_to_image(std::vector<float>(3), 1, 20000, o).status().code(), StatusCode::kResourceExhausted);
  Image gray = Image::create(2, 2, PixelFormat::kGray8).value();
  EXPECT_EQ(image_to_tensor(gray.view(), o).status().code(), StatusCode::kUnsupported);
  Image rgb = Image::create(2, 2, PixelFormat::kRgb8).value();
  o.channels = 4;
  EXPECT_EQ(image_to_tensor(rgb.view(), o).status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(image_to_tensor(ImageView(), o).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace huabu
