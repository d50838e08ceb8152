// huabu/image_ops.h: format conversion, crop, resize, premultiply, compositing.
//
//   auto small = huabu::resize(img.view(), 64, 64, huabu::ResizeFilter::kLanczos3);
//   if (!small.ok()) return small.status();
//   HUABU_RETURN_IF_ERROR(huabu::composite_over(canvas.mutable_view(), small->view(), 10, 20));
//
// Ownership: inputs are borrowed views; returned Images are owned by the caller. In-place
// functions write only through the MutableImageView they are given.
// Threading: pure functions of their inputs; safe to call concurrently on distinct outputs.
// Determinism: float arithmetic uses only IEEE basic operations in a fixed order (the core is
// compiled with -ffp-contract=off and uses its own sin), so results are bit-identical on
// every platform, native and wasm.
#pragma once

#include <string_view>

#include "huabu/image.h"
#include "huabu/status.h"

namespace huabu {

// Any of RGBA8/RGB8/Gray8 to any other (a packed copy when the format is unchanged).
//   RGB->RGBA: alpha 255.   RGBA->RGB: alpha dropped (not composited).
//   ->Gray: BT.601 luma (77 R + 150 G + 29 B + 128) >> 8.   Gray->RGB(A): replicated.
[[nodiscard]] Result<Image> convert(ImageView src, PixelFormat format);

// Sub-rectangle view sharing src's memory; out_of_range unless fully inside src.
[[nodiscard]] Result<ImageView> crop_view(ImageView src, int x, int y, int width, int height);
// Same rectangle as an owned, packed copy.
[[nodiscard]] Result<Image> crop(ImageView src, int x, int y, int width, int height);

// Resampling filters. Sample positions are pixel centres: output pixel i sits at source
// coordinate (i + 0.5) * src_size / dst_size. For all but kNearest and kArea the kernel is
// stretched by src/dst when downscaling (so it low-pass filters instead of aliasing), weights
// are normalised to sum to 1, and taps past the border are dropped (edge renormalisation).
enum class ResizeFilter {
  kNearest,   // the source pixel containing the sample position; no blending
  kBilinear,  // triangle kernel, radius 1 (2x2 taps when upscaling)
  kBicubic,   // Keys cubic convolution with a = -0.5 (Catmull-Rom), radius 2
  kArea,      // exact box average: each source pixel weighted by its overlap with the
              // output pixel's footprint (the right choice for downscaling)
  kLanczos3,  // sinc(x) * sinc(x / 3) for |x| < 3, radius 3; sharpest, may ring slightly
};

[[nodiscard]] std::string_view resize_filter_name(ResizeFilter filter);  // "lanczos3"
[[nodiscard]] Result<ResizeFilter> parse_resize_filter(std::string_view name);

// Separable resize to width x height (each pass keeps float intermediates; the pass order
// that needs the smaller intermediate buffer runs first). RGBA8 is premultiplied internally
// so transparent pixels do not bleed colour; a result pixel with alpha 0 has RGB 0.
// Same size returns an exact copy. Rounds half up and clamps to 0..255.
[[nodiscard]] Result<Image> resize(ImageView src, int width, int height, ResizeFilter filter);

// RGBA8 only, in place: c = (c * a + 127) / 255 and its inverse c = min(255, (c*255 + a/2) / a)
// (a = 0 gives 0,0,0,0 on unpremultiply). Premultiply then unpremultiply is lossy at low alpha.
[[nodiscard]] Status premultiply_in_place(MutableImageView image);
[[nodiscard]] Status unpremultiply_in_place(MutableImageView image);

// Porter-Duff source-over of straight-alpha RGBA8 `src` onto straight-alpha RGBA8 `dst`, with
// src's top-left corner at (x, y) in dst; the part outside dst is clipped (any offset is
// valid, even fully outside). Computed in premultiplied integers, rounded.
[[nodiscard]] Status composite_over(MutableImageView dst, ImageView src, int x, int y);

}  // namespace huabu
