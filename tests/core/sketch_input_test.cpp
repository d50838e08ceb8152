// sketch_to_input: a drawing anywhere on a canvas of any size becomes the centred,
// emoji-framed grey input huabu-sketch was trained on.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "huabu/sketch_input.h"

namespace huabu {
namespace {

constexpr int kSize = 128;

Image white_canvas(int w, int h, bool transparent = false) {
  Image img = Image::create(w, h, PixelFormat::kRgba8).value();
  auto px = img.mutable_view();
  for (int y = 0; y < h; ++y) {
    std::uint8_t* row = px.row(y);
    for (int x = 0; x < w; ++x) {
      row[4 * x] = row[4 * x + 1] = row[4 * x + 2] = 255;
      row[4 * x + 3] = transparent ? 0 : 255;
    }
  }
  return img;
}

void ink(Image& img, int x, int y) {
  std::uint8_t* p = img.mutable_view().row(y) + 4 * x;
  p[0] = p[1] = p[2] = 0;
  p[3] = 255;
}

// A 3-px-wide square outline with its top-left corner at (x, y) and side s.
void square(Image& img, int x, int y, int s) {
  for (int t = 0; t < s; ++t) {
    for (int k = 0; k < 3; ++k) {
      ink(img, x + t, y + k);
      ink(img, x + t, y + s - 1 - k);
      ink(img, x + k, y + t);
      ink(img, x + s - 1 - k, y + t);
    }
  }
}

struct Box {
  int x0 = kSize, y0 = kSize, x1 = -1, y1 = -1;
};

Box ink_box(const std::vector<float>& v) {
  Box b;
  for (int y = 0; y < kSize; ++y) {
    for (int x = 0; x < kSize; ++x) {
      if (v[y * kSize + x] < 0.5f) {
        b.x0 = std::min(b.x0, x);
        b.x1 = std::max(b.x1, x);
        b.y0 = std::min(b.y0, y);
        b.y1 = std::max(b.y1, y);
      }
    }
  }
  return b;
}

TEST(SketchInput, OffCentreDrawingOnALargeCanvasIsCentredAndFillsTheFrame) {
  Image canvas = white_canvas(600, 400);
  square(canvas, 400, 250, 120);
  auto in = sketch_to_input(canvas.view());
  ASSERT_TRUE(in.ok()) << in.status().message();
  ASSERT_EQ(in->values.size(), std::size_t{kSize * kSize});
  const Box b = ink_box(in->values);
  const int m = static_cast<int>(std::lround(0.06 * kSize));
  EXPECT_NEAR(b.x0, m, 2);
  EXPECT_NEAR(b.y0, m, 2);
  EXPECT_NEAR(b.x1, kSize - 1 - m, 2);
  EXPECT_NEAR(b.y1, kSize - 1 - m, 2);
  EXPECT_EQ(in->values[kSize * (kSize / 2) + kSize / 2], 1.0f) << "inside the square is paper";
  EXPECT_LT(*std::min_element(in->values.begin(), in->values.end()), -0.9f) << "strokes stay dark";
  // The frame is the square of the canvas the input shows: the drawing's box plus margins.
  EXPECT_NEAR(in->frame.side, 120 / (1 - 2 * 0.06), 1e-9);
  EXPECT_NEAR(in->frame.x + in->frame.side / 2, 460, 1e-9);
  EXPECT_NEAR(in->frame.y + in->frame.side / 2, 310, 1e-9);
}

TEST(SketchInput, TransparentCanvasIsWhitePaperAndATallDrawingKeepsItsAspect) {
  Image clear = white_canvas(200, 300, /*transparent=*/true);
  Image white = white_canvas(200, 300);
  for (Image* img : {&clear, &white}) {
    for (int y = 10; y < 210; ++y) {
      for (int k = 0; k < 4; ++k) ink(*img, 50 + k, y);
    }
  }
  auto a = sketch_to_input(clear.view());
  auto b = sketch_to_input(white.view());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->values, b->values);
  const Box box = ink_box(a->values);
  EXPECT_GT(box.y1 - box.y0, 100);
  EXPECT_LT(box.x1 - box.x0, 10);
  EXPECT_NEAR((box.x0 + box.x1) / 2.0, kSize / 2.0, 2);
}

TEST(SketchInput, ThinStrokesSurviveTheDownscale) {
  // A 1-px line on a 1024-px canvas: 8 canvas pixels per output pixel.
  Image canvas = white_canvas(1024, 1024);
  for (int x = 100; x < 900; ++x) ink(canvas, x, 500);
  ink(canvas, 100, 100);  // makes the drawing square, so the line spans the frame
  auto in = sketch_to_input(canvas.view());
  ASSERT_TRUE(in.ok());
  EXPECT_LT(*std::min_element(in->values.begin(), in->values.end()), 0.9f);
}

TEST(SketchInput, EmptyCanvasWrongFormatAndBadOptionsAreClearErrors) {
  auto empty = sketch_to_input(white_canvas(64, 64).view());
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(empty.status().message().find("empty sketch"), std::string::npos);

  Image grey = Image::create(8, 8, PixelFormat::kGray8).value();
  EXPECT_EQ(sketch_to_input(grey.view()).status().code(), StatusCode::kInvalidArgument);

  Image canvas = white_canvas(64, 64);
  square(canvas, 10, 10, 20);
  EXPECT_EQ(sketch_to_input(canvas.view(), {.size = 4}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(sketch_to_input(canvas.view(), {.margin = 0.5}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(sketch_to_input(canvas.view(), {.ink_level = 0}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(sketch_to_input(ImageView()).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(sketch_to_input(canvas.view(), {.channels = 2}).status().code(), StatusCode::kInvalidArgument);
  auto blank = sketch_to_input(white_canvas(64, 64, true).view(), {.channels = 3});
  EXPECT_NE(blank.status().message().find("empty picture"), std::string::npos);
}

// channels = 3 (huabu-style): a yellow disc counts as content although it is nearly as light
// as white, and its colour reaches the model unchanged, framed like a sketch.
TEST(SketchInput, PictureKeepsItsColoursAndIsFramedByItsContent) {
  Image canvas = white_canvas(300, 200);
  auto px = canvas.mutable_view();
  for (int y = 50; y < 150; ++y) {
    for (int x = 100; x < 200; ++x) {
      if ((x - 150) * (x - 150) + (y - 100) * (y - 100) > 50 * 50) continue;
      std::uint8_t* p = px.row(y) + 4 * x;
      p[0] = 255, p[1] = 220, p[2] = 0;  // luminance 0.83: not ink for a sketch
    }
  }
  EXPECT_FALSE(sketch_to_input(canvas.view()).ok());
  auto in = sketch_to_input(canvas.view(), {.channels = 3});
  ASSERT_TRUE(in.ok()) << in.status().message();
  ASSERT_EQ(in->values.size(), 3u * kSize * kSize);
  const std::size_t plane = kSize * kSize, centre = kSize / 2 * kSize + kSize / 2;
  EXPECT_NEAR(in->values[centre], 1.0f, 1e-5);                         // red
  EXPECT_NEAR(in->values[plane + centre], 220 / 127.5f - 1, 1e-5);     // green
  EXPECT_NEAR(in->values[2 * plane + centre], -1.0f, 1e-5);            // blue
  EXPECT_NEAR(in->frame.side, 100 / (1 - 2 * 0.06), 1e-9);             // the disc, with the margin
  EXPECT_NEAR(in->values[2 * plane], 1.0f, 1e-5);                      // corner: white paper
}

}  // namespace
}  // namespace huabu
