#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <vector>

#include "huabu/image_ops.h"
#include "test_util.h"

namespace huabu {
namespace {

constexpr ResizeFilter kAllFilters[] = {ResizeFilter::kNearest, ResizeFilter::kBilinear, ResizeFilter::kBicubic,
                                        ResizeFilter::kArea, ResizeFilter::kLanczos3};
constexpr ResizeFilter kBlendingFilters[] = {ResizeFilter::kBilinear, ResizeFilter::kBicubic, ResizeFilter::kArea,
                                             ResizeFilter::kLanczos3};

// One-row gray image from values.
Image gray_row(const std::vector<int>& values) {
  Image img = Image::create(static_cast<int>(values.size()), 1, PixelFormat::kGray8).value();
  for (std::size_t i = 0; i < values.size(); ++i) img.data()[i] = static_cast<std::uint8_t>(values[i]);
  return img;
}

std::vector<int> row_values(const Image& img) {
  return std::vector<int>(img.data(), img.data() + img.width());
}

TEST(ResizeTest, FilterNamesRoundTrip) {
  for (ResizeFilter f : kAllFilters) {
    auto parsed = parse_resize_filter(resize_filter_name(f));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, f);
  }
  auto bad = parse_resize_filter("cubic");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("'cubic'"), std::string::npos);
}

TEST(ResizeTest, SameSizeIsExactCopy) {
  Image src = test::make_pattern(13, 9);
  for (ResizeFilter f : kAllFilters) {
    auto out = resize(src.view(), 13, 9, f);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(test::fnv1a(*out), test::fnv1a(src)) << resize_filter_name(f);
  }
}

TEST(ResizeTest, IdentityAxisIsExactWhenOnlyOtherAxisChanges) {
  // Width unchanged: the horizontal weights are a single tap of 1 for every filter.
  Image src = test::make_pattern(11, 1, PixelFormat::kRgba8, /*opaque=*/true);
  for (ResizeFilter f : kAllFilters) {
    auto out = resize(src.view(), 11, 3, f);
    ASSERT_TRUE(out.ok());
    for (int y = 0; y < 3; ++y) {
      for (int x = 0; x < 11; ++x) {
        for (int c = 0; c < 4; ++c) ASSERT_EQ(test::pixel(*out, x, y)[c], test::pixel(src, x, 0)[c]);
      }
    }
  }
}

TEST(ResizeTest, ConstantImageStaysConstant) {
  Image src = test::make_solid(17, 11, 200, 100, 3, 255);
  for (ResizeFilter f : kAllFilters) {
    for (auto [w, h] : {std::pair{5, 4}, {40, 31}, {17, 30}, {1, 1}}) {
      auto out = resize(src.view(), w, h, f);
      ASSERT_TRUE(out.ok());
      for (int i = 0; i < w * h; ++i) {
        ASSERT_EQ(out->data()[4 * i], 200) << resize_filter_name(f) << " " << w << "x" << h;
        ASSERT_EQ(out->data()[4 * i + 1], 100);
        ASSERT_EQ(out->data()[4 * i + 2], 3);
        ASSERT_EQ(out->data()[4 * i + 3], 255);
      }
    }
  }
}

TEST(ResizeTest, NearestPicksContainingPixel) {
  Image src = gray_row({10, 20, 30, 40});
  EXPECT_EQ(row_values(resize(src.view(), 2, 1, ResizeFilter::kNearest).value()), (std::vector<int>{20, 40}));
  EXPECT_EQ(row_values(resize(src.view(), 8, 1, ResizeFilter::kNearest).value()),
            (std::vector<int>{10, 10, 20, 20, 30, 30, 40, 40}));
  EXPECT_EQ(row_values(resize(src.view(), 3, 1, ResizeFilter::kNearest).value()), (std::vector<int>{10, 30, 40}));
}

TEST(ResizeTest, NearestKeepsColourUnderZeroAlpha) {
  const std::uint8_t px[] = {1, 2, 3, 0};
  auto out = resize(ImageView(px, 1, 1, PixelFormat::kRgba8), 2, 2, ResizeFilter::kNearest);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->data()[12], 1);
  EXPECT_EQ(out->data()[15], 0);
}

TEST(ResizeTest, BilinearUpscaleValues) {
  // Sample positions 0.25, 0.75, 1.25, 1.75 in pixel units: the outer ones clamp to the edge.
  EXPECT_EQ(row_values(resize(gray_row({0, 255}).view(), 4, 1, ResizeFilter::kBilinear).value()),
            (std::vector<int>{0, 64, 191, 255}));
}

TEST(ResizeTest, AreaAveragesExactFootprints) {
  EXPECT_EQ(row_values(resize(gray_row({0, 100, 50, 250}).view(), 2, 1, ResizeFilter::kArea).value()),
            (std::vector<int>{50, 150}));
  // 3 -> 2: output 0 covers source [0, 1.5): (0*1 + 90*0.5) / 1.5 = 30; output 1: (90*0.5 + 180) / 1.5 = 150.
  EXPECT_EQ(row_values(resize(gray_row({0, 90, 180}).view(), 2, 1, ResizeFilter::kArea).value()),
            (std::vector<int>{30, 150}));
  // Upscaling by an integer factor replicates pixels.
  EXPECT_EQ(row_values(resize(gray_row({7, 9}).view(), 4, 1, ResizeFilter::kArea).value()),
            (std::vector<int>{7, 7, 9, 9}));
}

TEST(ResizeTest, BilinearAndBicubicReproduceLinearRampsInside) {
  // v(j) = 4j sampled at (i + 0.5)/2 - 0.5 gives 2i - 1 away from the borders. Keys' cubic
  // (a = -0.5) reproduces polynomials up to degree 2, the triangle reproduces lines.
  std::vector<int> ramp;
  for (int j = 0; j < 16; ++j) ramp.push_back(4 * j);
  for (ResizeFilter f : {ResizeFilter::kBilinear, ResizeFilter::kBicubic}) {
    const std::vector<int> out = row_values(resize(gray_row(ramp).view(), 32, 1, f).value());
    for (int i = 4; i < 28; ++i) EXPECT_EQ(out[i], 2 * i - 1) << resize_filter_name(f) << " i=" << i;
  }
  const std::vector<int> lanczos = row_values(resize(gray_row(ramp).view(), 32, 1, ResizeFilter::kLanczos3).value());
  for (int i = 6; i < 26; ++i) EXPECT_NEAR(lanczos[i], 2 * i - 1, 1) << "i=" << i;
}

TEST(ResizeTest, DownscalingStretchesTheKernel) {
  // A 1-pixel checkerboard reduced 4x must become flat grey, not alias to black or white.
  Image src = Image::create(64, 64, PixelFormat::kGray8).value();
  for (int y = 0; y < 64; ++y) {
    for (int x = 0; x < 64; ++x) src.data()[y * 64 + x] = ((x + y) & 1) ? 255 : 0;
  }
  for (ResizeFilter f : kBlendingFilters) {
    auto out = resize(src.view(), 16, 16, f);
    ASSERT_TRUE(out.ok());
    for (std::size_t i = 0; i < out->size_bytes(); ++i) {
      ASSERT_NEAR(out->data()[i], 128, 3) << resize_filter_name(f) << " at " << i;
    }
  }
}

TEST(ResizeTest, TransparentPixelsDoNotBleedColour) {
  // Left half opaque red, right half fully transparent green.
  Image src = Image::create(8, 4, PixelFormat::kRgba8).value();
  for (int y = 0; y < 4; ++y) {
    for (int x = 0; x < 8; ++x) {
      std::uint8_t* p = src.data() + (y * 8 + x) * 4;
      if (x < 4) {
        p[0] = 255, p[1] = 0, p[2] = 0, p[3] = 255;
      } else {
        p[0] = 0, p[1] = 255, p[2] = 0, p[3] = 0;
      }
    }
  }
  for (ResizeFilter f : kBlendingFilters) {
    for (auto [w, h] : {std::pair{3, 2}, {13, 7}, {16, 8}}) {
      auto out = resize(src.view(), w, h, f);
      ASSERT_TRUE(out.ok());
      for (int i = 0; i < w * h; ++i) {
        const std::uint8_t* p = out->data() + 4 * i;
        ASSERT_EQ(p[1], 0) << resize_filter_name(f) << " pixel " << i;
        if (p[3] > 0) ASSERT_GE(p[0], 250) << resize_filter_name(f) << " pixel " << i;
      }
    }
  }
}

TEST(ResizeTest, AllFormatsAndStridedSources) {
  for (PixelFormat format : {PixelFormat::kRgba8, PixelFormat::kRgb8, PixelFormat::kGray8}) {
    Image src = test::make_pattern(30, 20, format);
    auto view = crop_view(src.view(), 5, 3, 20, 15);
    auto copy = crop(src.view(), 5, 3, 20, 15);
    ASSERT_TRUE(view.ok() && copy.ok());
    for (ResizeFilter f : kAllFilters) {
      auto a = resize(*view, 9, 31, f);
      auto b = resize(copy->view(), 9, 31, f);
      ASSERT_TRUE(a.ok() && b.ok());
      EXPECT_EQ(a->format(), format);
      EXPECT_EQ(test::fnv1a(*a), test::fnv1a(*b));
    }
  }
}

TEST(ResizeTest, BothPassOrdersAgreeClosely) {
  // 40x10 -> 10x40 runs vertical-first, 10x40 -> 40x10 horizontal-first; transposing the
  // input must give (nearly) the transposed output.
  Image src = test::make_pattern(40, 10, PixelFormat::kGray8);
  Image transposed = Image::create(10, 40, PixelFormat::kGray8).value();
  for (int y = 0; y < 10; ++y) {
    for (int x = 0; x < 40; ++x) transposed.data()[x * 10 + y] = src.data()[y * 40 + x];
  }
  for (ResizeFilter f : kBlendingFilters) {
    auto a = resize(src.view(), 25, 23, f);
    auto b = resize(transposed.view(), 23, 25, f);
    ASSERT_TRUE(a.ok() && b.ok());
    for (int y = 0; y < 23; ++y) {
      for (int x = 0; x < 25; ++x) ASSERT_NEAR(a->data()[y * 25 + x], b->data()[x * 23 + y], 1);
    }
  }
}

TEST(ResizeTest, ExtremeRatios) {
  Image src = test::make_pattern(300, 2);
  for (ResizeFilter f : kAllFilters) {
    auto down = resize(src.view(), 1, 1, f);
    ASSERT_TRUE(down.ok());
    auto up = resize(down->view(), 500, 3, f);
    ASSERT_TRUE(up.ok());
  }
}

TEST(ResizeTest, RejectsBadArguments) {
  Image src = test::make_pattern(4, 4);
  EXPECT_EQ(resize(src.view(), 0, 4, ResizeFilter::kBilinear).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(resize(src.view(), 4, -2, ResizeFilter::kBilinear).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(resize(src.view(), 16385, 4, ResizeFilter::kBilinear).status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(resize(src.view(), 16384, 16384, ResizeFilter::kArea).status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(resize(ImageView(), 4, 4, ResizeFilter::kArea).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace huabu
