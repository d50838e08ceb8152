#include "huabu/webp.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "huabu/version.h"
#include "test_util.h"

namespace huabu {
namespace {

// A minimal extended-format (VP8X) header: RIFF size, "WEBP", "VP8X", chunk size 10, flags,
// then canvas width-1 and height-1 as 24-bit little endian (WebP container spec).
std::vector<std::uint8_t> vp8x_header(std::uint32_t width, std::uint32_t height, std::uint8_t flags) {
  std::vector<std::uint8_t> b = {'R', 'I', 'F', 'F', 22, 0, 0, 0, 'W', 'E', 'B', 'P',
                                 'V', 'P', '8', 'X', 10, 0, 0, 0, flags, 0, 0, 0};
  for (std::uint32_t v : {width - 1, height - 1}) {
    b.push_back(v & 0xff);
    b.push_back((v >> 8) & 0xff);
    b.push_back((v >> 16) & 0xff);
  }
  return b;
}

std::vector<std::uint8_t> encode(const Image& img, float quality, bool lossless) {
  WebpEncodeOptions o;
  o.quality = quality;
  o.lossless = lossless;
  return encode_webp(img.view(), o).value();
}

TEST(WebpTest, VersionNamesLibwebp) { EXPECT_NE(version().find("libwebp 1.2.4"), std::string::npos) << version(); }

TEST(WebpTest, LosslessRoundTripIsExactIncludingHiddenColour) {
  Image src = test::make_pattern(37, 23);  // has alpha 0 pixels with non-zero RGB
  const auto bytes = encode(src, 50, true);
  auto info = webp_info(bytes);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->width, 37);
  EXPECT_EQ(info->height, 23);
  EXPECT_TRUE(info->has_alpha);
  EXPECT_FALSE(info->has_animation);
  auto out = decode_webp(bytes);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(test::fnv1a(*out), test::fnv1a(src));
}

TEST(WebpTest, LossyRoundTripIsClose) {
  Image src = test::make_solid(32, 32, 90, 160, 30, 255);
  for (int y = 0; y < 32; ++y) {
    for (int x = 0; x < 32; ++x) *(src.data() + (y * 32 + x) * 4) = static_cast<std::uint8_t>(4 * x + 2 * y);
  }
  const auto bytes = encode(src, 90, false);
  auto info = webp_info(bytes);
  ASSERT_TRUE(info.ok());
  EXPECT_FALSE(info->has_alpha);
  auto out = decode_webp(bytes);
  ASSERT_TRUE(out.ok());
  for (std::size_t i = 0; i < src.size_bytes(); ++i) ASSERT_NEAR(out->data()[i], src.data()[i], 12) << i;
}

TEST(WebpTest, QualityChangesSize) {
  Image src = test::make_pattern(64, 64, PixelFormat::kRgba8, true);
  EXPECT_LT(encode(src, 10, false).size(), encode(src, 95, false).size());
}

TEST(WebpTest, EncodesRgb8AndStridedViews) {
  Image rgb = test::make_pattern(20, 10, PixelFormat::kRgb8);
  auto bytes = encode_webp(rgb.view(), {.quality = 75, .lossless = true});
  ASSERT_TRUE(bytes.ok());
  auto out = decode_webp(*bytes);
  ASSERT_TRUE(out.ok());
  for (int i = 0; i < 200; ++i) {
    for (int c = 0; c < 3; ++c) ASSERT_EQ(out->data()[4 * i + c], rgb.data()[3 * i + c]);
    ASSERT_EQ(out->data()[4 * i + 3], 255);
  }
  Image big = test::make_pattern(30, 30);
  const ImageView strided(test::pixel(big, 5, 5), 10, 10, PixelFormat::kRgba8, big.stride());
  auto b2 = encode_webp(strided, {.quality = 75, .lossless = true});
  ASSERT_TRUE(b2.ok());
  auto o2 = decode_webp(*b2);
  ASSERT_TRUE(o2.ok());
  for (int y = 0; y < 10; ++y) {
    for (int x = 0; x < 10; ++x) ASSERT_EQ(test::pixel(*o2, x, y)[1], test::pixel(big, x + 5, y + 5)[1]);
  }
}

TEST(WebpTest, EncodeRejectsBadArguments) {
  Image src = test::make_pattern(4, 4);
  for (float q : {-1.0f, 100.5f, std::numeric_limits<float>::quiet_NaN()}) {
    auto r = encode_webp(src.view(), {.quality = q});
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  }
  EXPECT_NE(encode_webp(src.view(), {.quality = 101}).status().message().find("quality 101"), std::string::npos);
  Image gray = Image::create(4, 4, PixelFormat::kGray8).value();
  EXPECT_EQ(encode_webp(gray.view(), {}).status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(encode_webp(ImageView(), {}).status().code(), StatusCode::kInvalidArgument);
  std::vector<std::uint8_t> row(16384 * 4);
  EXPECT_EQ(encode_webp(ImageView(row.data(), 16384, 1, PixelFormat::kRgba8), {}).status().code(),
            StatusCode::kResourceExhausted);
}

TEST(WebpTest, DecodeLimitsAreCheckedBeforeAllocating) {
  const auto bytes = encode(test::make_pattern(64, 48), 75, false);
  EXPECT_EQ(decode_webp(bytes, {.max_width = 63}).status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(decode_webp(bytes, {.max_height = 47}).status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(decode_webp(bytes, {.max_pixels = 64 * 48 - 1}).status().code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(decode_webp(bytes, {.max_width = 64, .max_height = 48, .max_pixels = 64 * 48}).ok());
}

TEST(WebpTest, HugeClaimedCanvasIsResourceExhausted) {
  auto r = decode_webp(vp8x_header(100000, 100000, 0));
  ASSERT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(r.status().message().find("100000x100000"), std::string::npos);
  // Within libwebp's own 2^32-pixel ceiling too: still ours to refuse.
  EXPECT_EQ(decode_webp(vp8x_header(20000, 20000, 0)).status().code(), StatusCode::kResourceExhausted);
}

TEST(WebpTest, AnimationIsUnsupported) {
  const auto header = vp8x_header(16, 16, 0x02);  // animation flag
  auto info = webp_info(header);
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_TRUE(info->has_animation);
  EXPECT_EQ(decode_webp(header).status().code(), StatusCode::kUnsupported);
}

TEST(WebpTest, CorruptAndTruncatedDataIsCorruptData) {
  const auto bytes = encode(test::make_pattern(32, 32), 75, false);
  const std::vector<std::uint8_t> truncated(bytes.begin(), bytes.begin() + bytes.size() / 2);
  EXPECT_EQ(decode_webp(truncated).status().code(), StatusCode::kCorruptData);
  const std::vector<std::uint8_t> header_only(bytes.begin(), bytes.begin() + 10);
  EXPECT_EQ(decode_webp(header_only).status().code(), StatusCode::kCorruptData);
  EXPECT_EQ(webp_info(header_only).status().code(), StatusCode::kCorruptData);
  const std::vector<std::uint8_t> garbage = {'n', 'o', 't', ' ', 'a', ' ', 'w', 'e', 'b', 'p', 0, 1, 2, 3, 4, 5};
  EXPECT_EQ(decode_webp(garbage).status().code(), StatusCode::kCorruptData);
  EXPECT_EQ(webp_info(garbage).status().code(), StatusCode::kCorruptData);
  EXPECT_EQ(decode_webp({}).status().code(), StatusCode::kCorruptData);
  EXPECT_EQ(webp_info({}).status().code(), StatusCode::kCorruptData);
  std::vector<std::uint8_t> flipped = bytes;
  for (std::size_t i = 40; i < flipped.size(); i += 7) flipped[i] ^= 0x5a;
  auto r = decode_webp(flipped);  // lossy data may still decode to noise; it must not crash
  if (!r.ok()) EXPECT_EQ(r.status().code(), StatusCode::kCorruptData);
}

TEST(WebpTest, DecodeRejectsInvalidLimits) {
  const auto bytes = encode(test::make_pattern(8, 8), 75, true);
  EXPECT_EQ(decode_webp(bytes, {.max_width = 0}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(decode_webp(bytes, {.max_height = 16385}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(decode_webp(bytes, {.max_pixels = kMaxImagePixels + 1}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(decode_webp(bytes, {.max_pixels = -5}).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace huabu
