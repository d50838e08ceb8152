#include "huabu/sketch_input.h"

#include <algorithm>
#include <cmath>

namespace huabu {
namespace {

constexpr int kSupersample = 4;  // per axis: 16 canvas samples per output pixel

Status check_options(const SketchInputOptions& o) {
  if (o.size < 8 || o.size > 1024) return invalid_argument("sketch size must be 8..1024, got " + std::to_string(o.size));
  if (!(o.margin >= 0 && o.margin <= 0.4)) return invalid_argument("sketch margin must be 0..0.4");
  if (!(o.ink_level >= 0.01 && o.ink_level <= 1)) return invalid_argument("sketch ink level must be 0.01..1");
  if (o.channels != 1 && o.channels != 3) return invalid_argument("sketch channels must be 1 or 3, got " + std::to_string(o.channels));
  return ok_status();
}

}  // namespace

Result<SketchInput> sketch_to_input(ImageView rgba, const SketchInputOptions& options) {
  HUABU_RETURN_IF_ERROR(rgba.validate());
  HUABU_RETURN_IF_ERROR(check_options(options));
  if (rgba.format() != PixelFormat::kRgba8) {
    return invalid_argument("sketch_to_input takes RGBA8, got " + std::string(pixel_format_name(rgba.format())));
  }
  const int w = rgba.width();
  const int h = rgba.height();
  // Values over white paper: luminance (Rec. 601 weights, as the training sketches were
  // made) for a sketch, the three channels for a picture.
  const int c = options.channels;
  const std::size_t plane = static_cast<std::size_t>(w) * h;
  std::vector<float> paper(plane * c);
  int x0 = w, y0 = h, x1 = -1, y1 = -1;
  for (int y = 0; y < h; ++y) {
    const std::uint8_t* p = rgba.row(y);
    for (int x = 0; x < w; ++x, p += 4) {
      const double a = p[3] / 255.0;
      const std::size_t at = static_cast<std::size_t>(y) * w + x;
      double darkest = 0;
      if (c == 1) {
        const double l = (0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2]) / 255.0;
        const double on_paper = l * a + (1 - a);
        paper[at] = static_cast<float>(on_paper);
        darkest = 1 - on_paper;
      } else {
        for (int k = 0; k < 3; ++k) {
          const double on_paper = p[k] / 255.0 * a + (1 - a);
          paper[k * plane + at] = static_cast<float>(on_paper);
          darkest = std::max(darkest, 1 - on_paper);
        }
      }
      if (darkest > options.ink_level) {
        x0 = std::min(x0, x);
        x1 = std::max(x1, x);
        y0 = std::min(y0, y);
        y1 = std::max(y1, y);
      }
    }
  }
  if (x1 < 0) {
    return invalid_argument(c == 1 ? "empty sketch: nothing is drawn on the canvas"
                                   : "empty picture: it is all white or transparent");
  }

  SketchInput out;
  const double side = std::max(x1 - x0 + 1, y1 - y0 + 1) / (1 - 2 * options.margin);
  out.frame = {(x0 + x1 + 1) / 2.0 - side / 2, (y0 + y1 + 1) / 2.0 - side / 2, side};
  const int n = options.size;
  const double step = side / n;
  const std::size_t out_plane = static_cast<std::size_t>(n) * n;
  out.values.resize(out_plane * c);
  for (int k = 0; k < c; ++k) {
    const float* src = paper.data() + k * plane;
    for (int oy = 0; oy < n; ++oy) {
      for (int ox = 0; ox < n; ++ox) {
        double sum = 0;
        for (int j = 0; j < kSupersample; ++j) {
          const auto sy = static_cast<long>(std::floor(out.frame.y + (oy + (j + 0.5) / kSupersample) * step));
          for (int i = 0; i < kSupersample; ++i) {
            const auto sx = static_cast<long>(std::floor(out.frame.x + (ox + (i + 0.5) / kSupersample) * step));
            const bool inside = sx >= 0 && sy >= 0 && sx < w && sy < h;
            sum += inside ? src[static_cast<std::size_t>(sy) * w + sx] : 1.0;  // outside = paper
          }
        }
        out.values[k * out_plane + static_cast<std::size_t>(oy) * n + ox] =
            static_cast<float>(sum / (kSupersample * kSupersample) * 2 - 1);
      }
    }
  }
  return out;
}

}  // namespace huabu
