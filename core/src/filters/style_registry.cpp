// The operation table behind stylize(): names, parameters with ranges and defaults (also the
// source of docs/image-ops.md, the wasm styleOps() list and the CLI help), and validation.
#include <cmath>
#include <vector>

#include "base/str_cat.h"
#include "filters/strips.h"
#include "filters/style_ops.h"
#include "huabu/stylize.h"

namespace huabu {

namespace {

using detail::str_cat;

// {name, min, max, default, integer, help}. The op functions read values in this order.
constexpr StyleParam kLineart[] = {
    {"sigma", 0.3, 8, 1.0, false, "line scale: blur of the inner Gaussian, pixels"},
    {"k", 1.1, 4, 1.6, false, "surround blur as a multiple of sigma"},
    {"sharpen", 0, 100, 30, false, "edge emphasis p in (1 + p) G(sigma) - p G(k sigma)"},
    {"threshold", 0, 1.5, 0.3, false, "tone below which strokes start (0..1 luma scale)"},
    {"softness", 0.5, 500, 4, false, "steepness phi of the tanh ramp; high = crisp ink, low = soft pencil"},
};
constexpr StyleParam kInk[] = {
    {"sigma", 0.5, 8, 1.2, false, "line scale, pixels"},
    {"threshold", 0.001, 0.2, 0.012, false, "how much darker than its surroundings a pixel must be to be ink"},
    {"min_area", 0, 10000, 16, true, "ink specks with fewer pixels are removed"},
    {"thickness", 0, 4, 0, true, "extra line thickness, pixels"},
};
constexpr StyleParam kOil[] = {
    {"radius", 2, 12, 6, true, "brush radius, pixels"},
    {"sharpness", 1, 8, 4, true, "q/2: how strongly the flattest sector wins"},
    {"tensor_sigma", 0.5, 5, 2, false, "smoothing of the edge directions, pixels"},
    {"anisotropy", 0.5, 4, 1, false, "alpha: lower stretches strokes along edges more"},
};
constexpr StyleParam kWatercolor[] = {
    {"spread", 1, 10, 4, false, "wash smoothing (bilateral spatial sigma), pixels"},
    {"granulation", 0, 1, 0.6, false, "paper grain strength"},
    {"turbulence", 0, 1, 0.5, false, "uneven pigment over large areas"},
    {"edge_darkening", 0, 4, 3, false, "pigment pooling at wash edges"},
    {"seed", 0, 65535, 0, true, "noise seed"},
};
constexpr StyleParam kCartoon[] = {
    {"smoothing", 1, 8, 3, false, "bilateral spatial sigma, pixels"},
    {"range", 0.02, 0.5, 0.12, false, "bilateral colour sigma (0..1 RGB distance)"},
    {"iterations", 1, 4, 2, true, "bilateral passes"},
    {"levels", 2, 20, 8, true, "luminance bands"},
    {"edge_width", 0.5, 4, 1, false, "edge scale, pixels"},
    {"edge_threshold", 0, 0.1, 0.006, false, "DoG level below which edges are inked"},
};
constexpr StyleParam kPixelArt[] = {
    {"block", 2, 64, 8, true, "pixel size, pixels"},
    {"colors", 2, 64, 16, true, "palette size (median cut)"},
    {"dither", 0, 2, 0, true, "0 none, 1 ordered (Bayer 8x8), 2 Floyd-Steinberg"},
};
constexpr StyleParam kHalftone[] = {
    {"cell", 3, 64, 8, false, "dot spacing, pixels"},
    {"angle", 0, 90, 45, false, "screen angle for mono, degrees"},
    {"mode", 0, 1, 0, true, "0 mono (black ink), 1 CMYK (15/75/0/45 degrees)"},
};
constexpr StyleParam kPosterize[] = {
    {"colors", 2, 256, 16, true, "palette size (median cut of the image)"},
    {"dither", 0, 2, 2, true, "0 none, 1 ordered (Bayer 8x8), 2 Floyd-Steinberg"},
};

struct Entry {
  StyleOp op;
  detail::StyleFn fn;
};

const Entry kEntries[] = {
    {{"lineart", "Pencil sketch / line art (XDoG)", kLineart, true}, detail::lineart},
    {{"ink", "Clean black outlines on white, for sketch-to-image models", kInk, false}, detail::ink_outline},
    {{"oil", "Oil paint (anisotropic Kuwahara)", kOil, true}, detail::oil_kuwahara},
    {{"watercolor", "Watercolour wash with paper grain and edge darkening", kWatercolor, true}, detail::watercolor},
    {{"cartoon", "Cartoon: smoothing, flat tones, dark edges", kCartoon, true}, detail::cartoon},
    {{"pixelart", "Pixel art with a small palette", kPixelArt, false}, detail::pixel_art},
    {{"halftone", "Printed halftone dots (mono or CMYK)", kHalftone, true}, detail::halftone},
    {{"posterize", "Reduce to the image's own palette", kPosterize, false}, detail::posterize},
};

const std::vector<StyleOp>& op_list() {
  static const std::vector<StyleOp> ops = [] {
    std::vector<StyleOp> v;
    for (const Entry& e : kEntries) v.push_back(e.op);
    return v;
  }();
  return ops;
}

Status check_param(std::string_view op, const StyleParam& p, double value) {
  if (!std::isfinite(value) || value < p.min || value > p.max) {
    return invalid_argument(str_cat(op, ": ", p.name, " ", value, " must be in ", p.min, "..", p.max));
  }
  if (p.integer && std::floor(value) != value) {
    return invalid_argument(str_cat(op, ": ", p.name, " ", value, " must be a whole number"));
  }
  return ok_status();
}

}  // namespace

std::span<const StyleOp> style_ops() { return op_list(); }

Result<Image> stylize(ImageView src, std::string_view op, const std::vector<StyleParamValue>& params,
                      const StyleOptions& options) {
  const Entry* entry = nullptr;
  std::string names;
  for (const Entry& e : kEntries) {
    if (e.op.name == op) entry = &e;
    names += names.empty() ? "" : ", ";
    names += e.op.name;
  }
  if (entry == nullptr) return invalid_argument(str_cat("style '", op, "' must be one of ", names));
  std::vector<double> values;
  for (const StyleParam& p : entry->op.params) values.push_back(p.default_value);
  for (const StyleParamValue& given : params) {
    bool known = false;
    for (std::size_t i = 0; i < entry->op.params.size(); ++i) {
      const StyleParam& p = entry->op.params[i];
      if (p.name != given.name) continue;
      HUABU_RETURN_IF_ERROR(check_param(op, p, given.value));
      values[i] = given.value;
      known = true;
    }
    if (!known) {
      std::string accepted;
      for (const StyleParam& p : entry->op.params) accepted += str_cat(accepted.empty() ? "" : ", ", p.name);
      return invalid_argument(str_cat(op, ": unknown parameter '", given.name, "' (accepted: ", accepted, ")"));
    }
  }
  HUABU_RETURN_IF_ERROR(src.validate());
  if ((options.first_row != 0 || options.row_count != 0) && !entry->op.row_local) {
    return invalid_argument(str_cat(op, " needs the whole image: it cannot make a band of rows"));
  }
  HUABU_RETURN_IF_ERROR(detail::report_progress(options, 0.0, "stylize"));
  return entry->fn(src, values, options);
}

}  // namespace huabu
