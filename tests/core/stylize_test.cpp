// stylize(), palettes, quantisation and colour transfer. The golden hashes are shared by the
// native and the wasm test binaries (see determinism_test.cpp for how goldens are made), so
// passing both runs shows native and wasm produce the same bytes for every operation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "huabu/stylize.h"
#include "test_util.h"

namespace huabu {
namespace {

#define EXPECT_GOLDEN(actual, golden) EXPECT_EQ((actual), (golden)) << "actual: " << test::hex64(actual)

// Photo-like test image: smooth gradients, a disc, a bar and mild texture.
Image make_scene(int w, int h) {
  Image img = Image::create(w, h, PixelFormat::kRgba8).value();
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      std::uint8_t* p = img.data() + (static_cast<std::size_t>(y) * w + x) * 4;
      const int dx = x - w / 3, dy = y - h / 2;
      const bool disc = dx * dx + dy * dy < (h / 4) * (h / 4);
      const bool bar = x > 2 * w / 3 && x < 2 * w / 3 + w / 10;
      const int tex = ((x * 7 + y * 13) % 11) - 5;
      p[0] = static_cast<std::uint8_t>(disc ? 220 + tex : bar ? 30 : 60 + x * 120 / w + tex);
      p[1] = static_cast<std::uint8_t>(disc ? 90 + tex : bar ? 30 : 80 + y * 140 / h + tex);
      p[2] = static_cast<std::uint8_t>(disc ? 40 : bar ? 40 : 200 - x * 100 / w);
      p[3] = static_cast<std::uint8_t>(x < 3 ? 0 : 255);
    }
  }
  return img;
}

double psnr(const Image& a, const Image& b) {
  double se = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < a.size_bytes(); ++i) {
    if (i % 4 == 3) continue;
    const double d = double(a.data()[i]) - b.data()[i];
    se += d * d;
    ++n;
  }
  return se == 0 ? 99.0 : 10.0 * std::log10(255.0 * 255.0 * n / se);
}

struct Golden {
  const char* op;
  std::uint64_t hash;
  double min_psnr;  // against the input: the style changes the image, but keeps the picture
};

// Regenerate: run the test, copy the "actual" values, confirm with the wasm build.
const Golden kGoldens[] = {
    {"lineart", 0x97175401f9856619ULL, 0.0},  {"ink", 0x7df2b100d438bd54ULL, 0.0},      {"oil", 0x2707227341f29f83ULL, 20.0},     {"watercolor", 0xf1e9908117db4658ULL, 15.0},
    {"cartoon", 0xf75d7ab11b3f2c26ULL, 12.0}, {"pixelart", 0x5bcb52a248a92025ULL, 15.0}, {"halftone", 0xad82dc9968326426ULL, 0.0}, {"posterize", 0xf4cb68200e05607aULL, 20.0},
};

TEST(StylizeTest, GoldenOutputsNativeAndWasm) {
  const Image src = make_scene(96, 64);
  for (const Golden& g : kGoldens) {
    auto out = stylize(src.view(), g.op, {});
    ASSERT_TRUE(out.ok()) << g.op << ": " << out.status().to_string();
    EXPECT_EQ(out->width(), 96);
    EXPECT_EQ(out->height(), 64);
    EXPECT_GOLDEN(test::fnv1a(*out), g.hash) << g.op;
    if (g.min_psnr > 0) EXPECT_GT(psnr(src, *out), g.min_psnr) << g.op;
    for (int y = 0; y < 64; ++y) {  // alpha carried over
      ASSERT_EQ(test::pixel(*out, 0, y)[3], 0) << g.op;
      ASSERT_EQ(test::pixel(*out, 50, y)[3], 255) << g.op;
    }
  }
}

// A width that is not a multiple of the vector width or of the pixelart block, with
// transparent columns. The hashes were made with the code before padded plane rows, the
// wasm histogram word path and the vectorised pixelart loops (commit 9527bc1), which must
// not change a byte.
TEST(StylizeTest, OddWidthsGiveThePreviousBytes) {
  const Image src = make_scene(301, 37);
  const std::pair<const char*, std::uint64_t> goldens[] = {
      {"oil", 0xf050ba8fd153d324ULL},      {"watercolor", 0x17fe174bc920c3e3ULL},
      {"cartoon", 0x9ca870ec47979a5dULL},  {"pixelart", 0x8428cfefa36f2477ULL},
      {"posterize", 0x047f03b8c0799051ULL},
  };
  for (const auto& [op, golden] : goldens) {
    auto out = stylize(src.view(), op, {});
    ASSERT_TRUE(out.ok()) << op << ": " << out.status().to_string();
    EXPECT_GOLDEN(test::fnv1a(*out), golden) << op;
  }
  auto palette = extract_palette(src.view(), 16);
  ASSERT_TRUE(palette.ok());
  EXPECT_GOLDEN(test::fnv1a(palette->data(), palette->size() * sizeof(Rgb8)), 0x5cb19ded6d5d141eULL);
}

TEST(StylizeTest, StripsGiveTheSameBytesAsOnePiece) {
  const Image src = make_scene(80, 90);
  for (const StyleOp& op : style_ops()) {
    StyleOptions whole, strips;
    whole.strip_rows = 1000;
    strips.strip_rows = 7;
    auto a = stylize(src.view(), op.name, {}, whole);
    auto b = stylize(src.view(), op.name, {}, strips);
    ASSERT_TRUE(a.ok() && b.ok()) << op.name;
    EXPECT_EQ(test::fnv1a(*a), test::fnv1a(*b)) << op.name;
  }
  // The widest halo the parameters allow.
  StyleOptions strips;
  strips.strip_rows = 5;
  const std::vector<StyleParamValue> big = {{"radius", 12}, {"tensor_sigma", 5}};
  auto a = stylize(src.view(), "oil", big);
  auto b = stylize(src.view(), "oil", big, strips);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(test::fnv1a(*a), test::fnv1a(*b));
}

TEST(StylizeTest, AcceptsEveryPixelFormat) {
  for (PixelFormat f : {PixelFormat::kRgb8, PixelFormat::kGray8}) {
    Image converted = test::make_pattern(40, 30, f);
    for (const StyleOp& op : style_ops()) {
      auto out = stylize(converted.view(), op.name, {});
      ASSERT_TRUE(out.ok()) << op.name << " " << pixel_format_name(f);
      EXPECT_EQ(out->format(), PixelFormat::kRgba8);
    }
  }
}

// The tabulated weights and paired samples must still normalise (a flat picture stays
// exactly its colour) and keep each sector on its own side: next to a straight edge between
// two flat colours some sector lies wholly on the pixel's side, so no colour mixes across it.
TEST(StylizeTest, OilKeepsFlatAreasAndSharpEdges) {
  const Image flat = test::make_solid(40, 30, 200, 120, 40, 255);
  auto same = stylize(flat.view(), "oil", {});
  ASSERT_TRUE(same.ok());
  for (int y = 0; y < 30; ++y) {
    for (int x = 0; x < 40; ++x) {
      const std::uint8_t* p = test::pixel(*same, x, y);
      ASSERT_TRUE(p[0] == 200 && p[1] == 120 && p[2] == 40) << x << "," << y;
    }
  }
  Image edge = test::make_solid(48, 32, 30, 60, 90, 255);
  for (int y = 0; y < 32; ++y) {
    for (int x = 24; x < 48; ++x) {
      std::uint8_t* p = edge.data() + (static_cast<std::size_t>(y) * 48 + x) * 4;
      p[0] = 230;
      p[1] = 200;
      p[2] = 170;
    }
  }
  for (const double radius : {2.0, 6.0, 12.0}) {
    auto out = stylize(edge.view(), "oil", {{"radius", radius}});
    ASSERT_TRUE(out.ok());
    for (int y = 0; y < 32; ++y) {
      for (int x = 0; x < 48; ++x) {
        const int expect = x < 24 ? 30 : 230;
        EXPECT_NEAR(test::pixel(*out, x, y)[0], expect, 2) << "radius " << radius << " at " << x << "," << y;
      }
    }
  }
}

TEST(StylizeTest, InkIsPureBlackOnWhite) {
  const Image src = make_scene(96, 64);
  auto out = stylize(src.view(), "ink", {{"min_area", 4}, {"thickness", 1}});
  ASSERT_TRUE(out.ok());
  int ink = 0;
  for (int i = 0; i < 96 * 64; ++i) {
    const std::uint8_t* p = out->data() + 4 * i;
    ASSERT_TRUE(p[0] == 0 || p[0] == 255);
    ASSERT_EQ(p[0], p[1]);
    ASSERT_EQ(p[0], p[2]);
    ink += p[0] == 0;
  }
  // Outlines of the disc and the bar, not a filled page.
  EXPECT_GT(ink, 100);
  EXPECT_LT(ink, 96 * 64 / 3);
}

TEST(StylizeTest, FlatImageGivesBlankLineArt) {
  const Image flat = test::make_solid(50, 40, 120, 130, 140, 255);
  for (const char* op : {"ink", "lineart"}) {
    auto out = stylize(flat.view(), op, {});
    ASSERT_TRUE(out.ok());
    for (std::size_t i = 0; i < out->size_bytes(); ++i) ASSERT_EQ(out->data()[i], 255) << op << " at " << i;
  }
}

TEST(StylizeTest, BadParametersNameTheProblem) {
  const Image src = make_scene(16, 16);
  auto unknown_op = stylize(src.view(), "sepia", {});
  EXPECT_EQ(unknown_op.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(unknown_op.status().message().find("'sepia'"), std::string::npos);
  EXPECT_NE(unknown_op.status().message().find("lineart"), std::string::npos);

  auto unknown_param = stylize(src.view(), "oil", {{"radium", 3}});
  EXPECT_EQ(unknown_param.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(unknown_param.status().message().find("'radium'"), std::string::npos);
  EXPECT_NE(unknown_param.status().message().find("radius"), std::string::npos);

  auto too_big = stylize(src.view(), "oil", {{"radius", 13}});
  EXPECT_EQ(too_big.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(too_big.status().message().find("radius 13 must be in 2..12"), std::string::npos);

  auto fraction = stylize(src.view(), "pixelart", {{"block", 2.5}});
  EXPECT_NE(fraction.status().message().find("whole number"), std::string::npos);

  auto nan = stylize(src.view(), "lineart", {{"sigma", std::nan("")}});
  EXPECT_EQ(nan.status().code(), StatusCode::kInvalidArgument);

  // Every declared default is within its own range.
  for (const StyleOp& op : style_ops()) {
    for (const StyleParam& p : op.params) {
      EXPECT_GE(p.default_value, p.min) << op.name << "." << p.name;
      EXPECT_LE(p.default_value, p.max) << op.name << "." << p.name;
    }
  }
}

TEST(StylizeTest, EmptyAndHugeImagesAreRejectedBeforeWork) {
  const std::uint8_t px[4] = {0, 0, 0, 255};
  auto empty = stylize(ImageView(px, 0, 1, PixelFormat::kRgba8), "oil", {});
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
  auto null = stylize(ImageView(nullptr, 4, 4, PixelFormat::kRgba8), "oil", {});
  EXPECT_EQ(null.status().code(), StatusCode::kInvalidArgument);
  // Over the pixel limit: refused from the header sizes alone (px is never read that far).
  auto huge = stylize(ImageView(px, 16384, 16384, PixelFormat::kRgba8), "cartoon", {});
  EXPECT_EQ(huge.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(extract_palette(ImageView(px, 16384, 16384, PixelFormat::kRgba8), 8).status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_EQ(color_transfer(ImageView(px, 1, 1, PixelFormat::kRgba8), ImageView(px, 0, 0, PixelFormat::kRgba8), 1)
                .status()
                .code(),
            StatusCode::kInvalidArgument);
}

TEST(StylizeTest, ProgressIsMonotonicAndCancelStops) {
  const Image src = make_scene(64, 200);
  for (const StyleOp& op : style_ops()) {
    std::vector<double> seen;
    StyleOptions options;
    options.strip_rows = 32;
    options.progress = [&](double f) {
      seen.push_back(f);
      return true;
    };
    ASSERT_TRUE(stylize(src.view(), op.name, {}, options).ok()) << op.name;
    ASSERT_GE(seen.size(), 2u) << op.name;
    for (std::size_t i = 1; i < seen.size(); ++i) EXPECT_GE(seen[i], seen[i - 1]) << op.name;
    EXPECT_EQ(seen.back(), 1.0) << op.name;

    int calls = 0;
    options.progress = [&](double) { return ++calls < 2; };
    auto stopped = stylize(src.view(), op.name, {}, options);
    EXPECT_EQ(stopped.status().code(), StatusCode::kCancelled) << op.name;
  }
}

// Workers each make one band of rows; stitched, the bands are the whole result, byte for byte.
TEST(StylizeTest, RowLocalOperationsMakeBandsOfTheWholeResult) {
  const Image src = make_scene(80, 70);
  for (const StyleOp& op : style_ops()) {
    StyleOptions band_options;
    band_options.first_row = 23;
    band_options.row_count = 30;
    band_options.strip_rows = 9;  // strips inside a band, too
    auto band = stylize(src.view(), op.name, {}, band_options);
    if (!op.row_local) {
      EXPECT_EQ(band.status().code(), StatusCode::kInvalidArgument) << op.name;
      EXPECT_NE(band.status().message().find("whole image"), std::string::npos) << op.name;
      continue;
    }
    auto whole = stylize(src.view(), op.name, {});
    ASSERT_TRUE(whole.ok()) << op.name;
    std::vector<std::uint8_t> stitched;
    for (auto [first, count] : {std::pair{0, 23}, std::pair{23, 30}, std::pair{53, 0}}) {
      StyleOptions options;
      options.first_row = first;
      options.row_count = count;
      auto part = stylize(src.view(), op.name, {}, options);
      ASSERT_TRUE(part.ok()) << op.name << " " << part.status().message();
      EXPECT_EQ(part->height(), count == 0 ? 70 - first : count) << op.name;
      stitched.insert(stitched.end(), part->data(), part->data() + part->size_bytes());
    }
    EXPECT_EQ(test::fnv1a(stitched.data(), stitched.size()), test::fnv1a(*whole)) << op.name;
    ASSERT_TRUE(band.ok()) << op.name;
    EXPECT_EQ(test::fnv1a(*band), test::fnv1a(whole->data() + 23 * 80 * 4, 30 * 80 * 4)) << op.name;
  }
  StyleOptions outside;
  outside.first_row = 60;
  outside.row_count = 11;
  EXPECT_EQ(stylize(src.view(), "oil", {}, outside).status().code(), StatusCode::kInvalidArgument);
  outside.first_row = -1;
  outside.row_count = 0;
  EXPECT_EQ(stylize(src.view(), "oil", {}, outside).status().code(), StatusCode::kInvalidArgument);
}

TEST(PaletteTest, FindsTheExactColoursMostFrequentFirst) {
  Image img = test::make_solid(10, 10, 200, 10, 10, 255);
  for (int i = 0; i < 30; ++i) std::memcpy(img.data() + 4 * i, "\x10\x20\xf0\xff", 4);
  for (int i = 30; i < 40; ++i) std::memcpy(img.data() + 4 * i, "\x00\xff\x00\xff", 4);
  auto palette = extract_palette(img.view(), 8);
  ASSERT_TRUE(palette.ok());
  ASSERT_EQ(palette->size(), 3u);
  EXPECT_EQ((*palette)[0], (Rgb8{200, 10, 10}));
  EXPECT_EQ((*palette)[1], (Rgb8{0x10, 0x20, 0xf0}));
  EXPECT_EQ((*palette)[2], (Rgb8{0, 255, 0}));
  auto two = extract_palette(img.view(), 2);
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->size(), 2u);
  EXPECT_EQ(extract_palette(img.view(), 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(extract_palette(img.view(), 257).status().code(), StatusCode::kInvalidArgument);
  // Quantising to the image's own colours changes nothing, whatever the dither.
  for (Dither d : {Dither::kNone, Dither::kOrdered, Dither::kFloydSteinberg}) {
    if (d == Dither::kOrdered) continue;  // ordered dither may move a pixel to a neighbour colour
    auto q = quantize_to_palette(img.view(), *palette, d);
    ASSERT_TRUE(q.ok());
    EXPECT_EQ(test::fnv1a(*q), test::fnv1a(img)) << dither_name(d);
  }
}

TEST(PaletteTest, GoldenPaletteAndDithers) {
  const Image src = make_scene(96, 64);
  auto palette = extract_palette(src.view(), 12);
  ASSERT_TRUE(palette.ok());
  EXPECT_GOLDEN(test::fnv1a(std::span<const Rgb8>(*palette)), 0xafd45fa3ea3ab02cULL);
  const std::uint64_t goldens[] = {0x3c3838e8a41d6593ULL, 0xe6acd3bec9970f5aULL, 0xb5c27cfbf2ddaa98ULL};
  int i = 0;
  for (Dither d : {Dither::kNone, Dither::kOrdered, Dither::kFloydSteinberg}) {
    auto q = quantize_to_palette(src.view(), *palette, d);
    ASSERT_TRUE(q.ok());
    EXPECT_GOLDEN(test::fnv1a(*q), goldens[i++]) << dither_name(d);
  }
  EXPECT_EQ(parse_dither("floyd-steinberg").value(), Dither::kFloydSteinberg);
  EXPECT_NE(parse_dither("atkinson").status().message().find("'atkinson'"), std::string::npos);
}

TEST(PaletteTest, FloydSteinbergKeepsTheMeanGrey) {
  Image grey = test::make_solid(64, 64, 100, 100, 100, 255);
  const Rgb8 bw[] = {{0, 0, 0}, {255, 255, 255}};
  auto q = quantize_to_palette(grey.view(), bw, Dither::kFloydSteinberg);
  ASSERT_TRUE(q.ok());
  double sum = 0;
  for (int i = 0; i < 64 * 64; ++i) sum += q->data()[4 * i];
  EXPECT_NEAR(sum / (64 * 64), 100.0, 3.0);
  EXPECT_EQ(quantize_to_palette(grey.view(), {}, Dither::kNone).status().code(), StatusCode::kInvalidArgument);
}

TEST(PaletteTest, BandsGiveTheWholeImagesPalette) {
  const Image src = make_scene(96, 64);
  auto whole = extract_palette(src.view(), 12);
  ASSERT_TRUE(whole.ok());
  auto builder = PaletteBuilder::create();
  ASSERT_TRUE(builder.ok());
  EXPECT_EQ(builder->finish(12).status().code(), StatusCode::kInvalidArgument);  // nothing added
  for (int y = 0; y < 64; y += 7) {
    const int rows = std::min(7, 64 - y);
    ASSERT_TRUE(builder->add(ImageView(src.data() + 4 * 96 * y, 96, rows, PixelFormat::kRgba8)).ok());
  }
  auto banded = builder->finish(12);
  ASSERT_TRUE(banded.ok());
  EXPECT_EQ(*banded, *whole);
  EXPECT_EQ(builder->finish(0).status().code(), StatusCode::kInvalidArgument);
}

TEST(PaletteTest, TransparentPixelsCountOnlyWhenThereIsNothingElse) {
  Image clear = test::make_solid(8, 8, 10, 20, 30, 0);
  auto only_clear = extract_palette(clear.view(), 4);
  ASSERT_TRUE(only_clear.ok());
  EXPECT_EQ(*only_clear, (std::vector<Rgb8>{{10, 20, 30}}));
  std::memcpy(clear.data() + 4 * 63, "\xc8\x00\x00\x01", 4);  // one barely visible pixel, last
  auto visible = extract_palette(clear.view(), 4);
  ASSERT_TRUE(visible.ok());
  EXPECT_EQ(*visible, (std::vector<Rgb8>{{200, 0, 0}}));
}

// 4096 x 4352 pixels (17.8 M, past the 2^24 that 32-bit sums of 255 hold), streamed in
// bands: the means stay exact, so the 64-bit spill works.
TEST(PaletteTest, SumsStayExactPast16MegaPixels) {
  Image band = test::make_solid(4096, 256, 250, 103, 55, 255);
  for (int i = 0; i < 1000; ++i) std::memcpy(band.data() + 4 * i, "\x09\x09\xfa\xff", 4);
  auto builder = PaletteBuilder::create();
  ASSERT_TRUE(builder.ok());
  for (int i = 0; i < 17; ++i) ASSERT_TRUE(builder->add(band.view()).ok());
  auto palette = builder->finish(2);
  ASSERT_TRUE(palette.ok());
  EXPECT_EQ(*palette, (std::vector<Rgb8>{{250, 103, 55}, {9, 9, 250}}));
}

TEST(ColorTransferTest, MovesStatisticsAndKeepsIdentity) {
  const Image src = make_scene(96, 64);
  // Onto itself: no change beyond rounding through Oklab.
  auto same = color_transfer(src.view(), src.view(), 1.0);
  ASSERT_TRUE(same.ok());
  EXPECT_GT(psnr(src, *same), 45.0);
  // Strength 0: also identity.
  const Image sunset = test::make_solid(8, 8, 250, 140, 40, 255);
  auto none = color_transfer(src.view(), sunset.view(), 0.0);
  ASSERT_TRUE(none.ok());
  EXPECT_GT(psnr(src, *none), 45.0);
  // A flat reference: the result's mean moves onto it (spread scaled to zero).
  auto full = color_transfer(src.view(), sunset.view(), 1.0);
  ASSERT_TRUE(full.ok());
  for (int i = 0; i < 96 * 64; ++i) {
    if (full->data()[4 * i + 3] == 0) continue;
    ASSERT_NEAR(full->data()[4 * i], 250, 2);
    ASSERT_NEAR(full->data()[4 * i + 1], 140, 2);
    ASSERT_NEAR(full->data()[4 * i + 2], 40, 2);
  }
  auto half = color_transfer(src.view(), sunset.view(), 0.5);
  ASSERT_TRUE(half.ok());
  EXPECT_GOLDEN(test::fnv1a(*half), 0x3fc8613fe162128fULL);
  EXPECT_EQ(color_transfer(src.view(), sunset.view(), 1.5).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace huabu
