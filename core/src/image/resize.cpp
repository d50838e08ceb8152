#include <cstdint>
#include <cstring>

#include "base/alloc.h"
#include "base/str_cat.h"
#include "huabu/image_ops.h"
#include "image/resize_weights.h"

namespace huabu {

using detail::AxisWeights;
using detail::str_cat;

namespace {

// Bytes of one row to floats (0..255 scale); RGBA colour is premultiplied by alpha.
void load_row(const std::uint8_t* in, int width, int channels, bool premultiply, float* out) {
  const int n = width * channels;
  if (!premultiply) {
    for (int i = 0; i < n; ++i) out[i] = in[i];
    return;
  }
  for (int x = 0; x < width; ++x) {
    const std::uint8_t* p = in + 4 * x;
    const std::uint32_t a = p[3];
    for (int c = 0; c < 3; ++c) out[4 * x + c] = static_cast<float>(p[c] * a) / 255.0f;
    out[4 * x + 3] = static_cast<float>(a);
  }
}

std::uint8_t round_clamp(float v) {
  if (!(v > 0.0f)) return 0;  // also NaN
  if (v >= 254.5f) return 255;
  return static_cast<std::uint8_t>(static_cast<int>(v + 0.5f));  // round half up
}

// Floats back to bytes; RGBA colour is unpremultiplied by the (unrounded) alpha.
void store_row(const float* in, int width, int channels, bool premultiplied, std::uint8_t* out) {
  const int n = width * channels;
  if (!premultiplied) {
    for (int i = 0; i < n; ++i) out[i] = round_clamp(in[i]);
    return;
  }
  for (int x = 0; x < width; ++x) {
    const float* p = in + 4 * x;
    const std::uint8_t a = round_clamp(p[3]);
    out[4 * x + 3] = a;
    for (int c = 0; c < 3; ++c) out[4 * x + c] = a == 0 ? 0 : round_clamp(p[c] * 255.0f / p[3]);
  }
}

// One row along x: out[i] = sum_k w[i][k] * in[start[i] + k], per channel, k ascending.
void resample_row(const float* in, const AxisWeights& wx, int channels, int out_width, float* out) {
  for (int i = 0; i < out_width; ++i) {
    const float* w = wx.weights.data() + static_cast<std::size_t>(i) * wx.taps;
    const float* src = in + static_cast<std::size_t>(wx.start[i]) * channels;
    float acc[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    for (int k = 0; k < wx.count[i]; ++k) {
      for (int c = 0; c < channels; ++c) acc[c] += w[k] * src[k * channels + c];
    }
    for (int c = 0; c < channels; ++c) out[i * channels + c] = acc[c];
  }
}

// acc[x] += weight * row[x] over a whole row (vertical pass building block).
void accumulate(const float* row, float weight, int n, float* acc) {
  for (int x = 0; x < n; ++x) acc[x] += weight * row[x];
}

Status allocation_failed(const char* what, std::size_t floats) {
  return resource_exhausted(str_cat("resize: could not allocate ", floats * sizeof(float),
                                    " bytes for the ", what));
}

Image nearest(ImageView src, Image out) {
  const int bpp = src.channels();
  MutableImageView dst = out.mutable_view();
  std::vector<int> columns(out.width());
  for (int x = 0; x < out.width(); ++x) columns[x] = detail::nearest_index(x, src.width(), out.width());
  for (int y = 0; y < out.height(); ++y) {
    const std::uint8_t* in = src.row(detail::nearest_index(y, src.height(), out.height()));
    std::uint8_t* row = dst.row(y);
    for (int x = 0; x < out.width(); ++x) std::memcpy(row + x * bpp, in + columns[x] * bpp, bpp);
  }
  return out;
}

// Horizontal pass first (intermediate: src height x dst width).
Status resize_h_then_v(ImageView src, const AxisWeights& wx, const AxisWeights& wy, MutableImageView dst) {
  const int c = src.channels();
  const bool pm = src.format() == PixelFormat::kRgba8;
  const std::size_t mid_row = static_cast<std::size_t>(dst.width()) * c;
  auto mid = detail::try_allocate<float>(mid_row * src.height());
  auto line = detail::try_allocate<float>(static_cast<std::size_t>(src.width()) * c);
  auto acc = detail::try_allocate<float>(mid_row);
  if (!mid || !line || !acc) return allocation_failed("intermediate image", mid_row * src.height());
  for (int y = 0; y < src.height(); ++y) {
    load_row(src.row(y), src.width(), c, pm, line.get());
    resample_row(line.get(), wx, c, dst.width(), mid.get() + y * mid_row);
  }
  for (int y = 0; y < dst.height(); ++y) {
    std::memset(acc.get(), 0, mid_row * sizeof(float));
    const float* w = wy.weights.data() + static_cast<std::size_t>(y) * wy.taps;
    for (int k = 0; k < wy.count[y]; ++k) {
      accumulate(mid.get() + (wy.start[y] + k) * mid_row, w[k], static_cast<int>(mid_row), acc.get());
    }
    store_row(acc.get(), dst.width(), c, pm, dst.row(y));
  }
  return ok_status();
}

// Vertical pass first (intermediate: dst height x src width).
Status resize_v_then_h(ImageView src, const AxisWeights& wx, const AxisWeights& wy, MutableImageView dst) {
  const int c = src.channels();
  const bool pm = src.format() == PixelFormat::kRgba8;
  const std::size_t mid_row = static_cast<std::size_t>(src.width()) * c;
  auto mid = detail::try_allocate<float>(mid_row * dst.height());
  auto line = detail::try_allocate<float>(mid_row);
  auto out_line = detail::try_allocate<float>(static_cast<std::size_t>(dst.width()) * c);
  if (!mid || !line || !out_line) return allocation_failed("intermediate image", mid_row * dst.height());
  for (int y = 0; y < dst.height(); ++y) {
    float* acc = mid.get() + y * mid_row;  // zero-initialised by try_allocate
    const float* w = wy.weights.data() + static_cast<std::size_t>(y) * wy.taps;
    for (int k = 0; k < wy.count[y]; ++k) {
      load_row(src.row(wy.start[y] + k), src.width(), c, pm, line.get());
      accumulate(line.get(), w[k], static_cast<int>(mid_row), acc);
    }
  }
  for (int y = 0; y < dst.height(); ++y) {
    resample_row(mid.get() + y * mid_row, wx, c, dst.width(), out_line.get());
    store_row(out_line.get(), dst.width(), c, pm, dst.row(y));
  }
  return ok_status();
}

}  // namespace

std::string_view resize_filter_name(ResizeFilter filter) {
  switch (filter) {
    case ResizeFilter::kNearest: return "nearest";
    case ResizeFilter::kBilinear: return "bilinear";
    case ResizeFilter::kBicubic: return "bicubic";
    case ResizeFilter::kArea: return "area";
    case ResizeFilter::kLanczos3: return "lanczos3";
  }
  return "unknown";
}

Result<ResizeFilter> parse_resize_filter(std::string_view name) {
  for (ResizeFilter f : {ResizeFilter::kNearest, ResizeFilter::kBilinear, ResizeFilter::kBicubic,
                         ResizeFilter::kArea, ResizeFilter::kLanczos3}) {
    if (resize_filter_name(f) == name) return f;
  }
  return invalid_argument(str_cat("resize filter '", name,
                                  "' must be one of nearest, bilinear, bicubic, area, lanczos3"));
}

Result<Image> resize(ImageView src, int width, int height, ResizeFilter filter) {
  HUABU_RETURN_IF_ERROR(src.validate());
  HUABU_RETURN_IF_ERROR(check_image_size(width, height));
  if (width == src.width() && height == src.height()) return Image::copy_of(src);
  auto made = Image::create(width, height, src.format());
  if (!made.ok()) return made.status();
  if (filter == ResizeFilter::kNearest) return nearest(src, std::move(made).value());

  Image out = std::move(made).value();
  const AxisWeights wx = detail::compute_axis_weights(src.width(), width, filter);
  const AxisWeights wy = detail::compute_axis_weights(src.height(), height, filter);
  // Run first the pass whose float intermediate is smaller.
  const bool h_first = std::int64_t{width} * src.height() <= std::int64_t{src.width()} * height;
  Status status = h_first ? resize_h_then_v(src, wx, wy, out.mutable_view())
                          : resize_v_then_h(src, wx, wy, out.mutable_view());
  if (!status.ok()) return status;
  return out;
}

}  // namespace huabu
