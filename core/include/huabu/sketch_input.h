// huabu/sketch_input.h: a person's drawing, anywhere on a canvas of any size, as the input
// huabu-sketch was trained on: the drawing centred in a square with a margin (the emoji
// framing of the training pairs), size x size grey values, white paper +1, black ink -1.
//
//   auto in = huabu::sketch_to_input(canvas_rgba);            // 128x128, 6% margin
//   if (!in.ok()) return in.status();                         // "empty sketch: ..." etc.
//   run the model on in->values as [1, 1, 128, 128];
//   in->frame says which square of the canvas that was (to place the result back).
//
// How: luminance (transparent pixels count as paper), crop to the bounding box of pixels
// darker than ink_level, square it around its centre with the margin, then resample with
// 4x4 supersampling per output pixel (box filter), so thin strokes stay visible at 128 px.
// Outside the canvas counts as paper. Used by the browser worker and by huabu-cli
// sketch2img, so both feed the model the same values.
//
// channels = 3 frames a coloured picture the same way for huabu-style: content is any pixel
// whose darkest channel is more than ink_level below white (so yellow counts), and the values
// are RGB planar [3, size, size] in [-1, 1] on white. A photo with no white around it is
// simply letterboxed.
#pragma once

#include <vector>

#include "huabu/image.h"
#include "huabu/status.h"

namespace huabu {

struct SketchInputOptions {
  int size = 128;            // output side, 8..1024
  double margin = 0.06;      // of the output side, each edge, 0..0.4
  double ink_level = 0.25;   // how much darker than white a pixel must be to count as ink, 0.01..1
  int channels = 1;          // 1: grey sketch [size, size]; 3: RGB picture, planar [3, size, size]
};

// The square of the canvas (in canvas pixels) that the model input shows.
struct SketchFrame {
  double x = 0;
  double y = 0;
  double side = 0;
};

struct SketchInput {
  std::vector<float> values;  // channels * size * size, row-major planes
  SketchFrame frame;
};

// invalid_argument for a format other than RGBA8, bad options or an empty drawing (no ink) or
// picture (all white or transparent).
[[nodiscard]] Result<SketchInput> sketch_to_input(ImageView rgba, const SketchInputOptions& options = {});

}  // namespace huabu
