#include "filters/strips.h"

#include <algorithm>
#include <optional>

#include "base/str_cat.h"
#include "huabu/image_ops.h"

namespace huabu::detail {

int strip_rows_for(int width, const StyleOptions& options) {
  if (options.strip_rows > 0) return options.strip_rows;
  return std::max(16, (512 * 1024) / std::max(width, 1));
}

Status report_progress(const StyleOptions& options, double fraction, const char* op) {
  if (options.progress && !options.progress(fraction)) {
    return cancelled(str_cat(op, ": cancelled by the progress callback"));
  }
  return ok_status();
}

Status as_rgba(ImageView src, std::optional<Image>* storage, ImageView* out) {
  HUABU_RETURN_IF_ERROR(src.validate());
  if (src.format() == PixelFormat::kRgba8) {
    *out = src;
    return ok_status();
  }
  auto converted = convert(src, PixelFormat::kRgba8);
  if (!converted.ok()) return converted.status();
  storage->emplace(std::move(converted).value());
  *out = (*storage)->view();
  return ok_status();
}

Result<Image> run_in_strips(ImageView src, int halo, const StyleOptions& options, const BandFilter& filter) {
  HUABU_RETURN_IF_ERROR(src.validate());
  if (options.strip_rows < 0) {
    return invalid_argument(str_cat("strip_rows ", options.strip_rows, " must be 0 (automatic) or positive"));
  }
  std::optional<Image> converted;
  ImageView rgba;
  HUABU_RETURN_IF_ERROR(as_rgba(src, &converted, &rgba));
  const int h = src.height();
  if (options.first_row < 0 || options.first_row >= h || options.row_count < 0 ||
      options.row_count > h - options.first_row) {
    return invalid_argument(str_cat("rows ", options.first_row, " + ", options.row_count, " must lie within the ", h,
                                    " rows of the image"));
  }
  const int first = options.first_row;
  const int end = options.row_count == 0 ? h : first + options.row_count;
  auto made = Image::create(src.width(), end - first, PixelFormat::kRgba8);
  if (!made.ok()) return made.status();
  Image out = std::move(made).value();
  const int step = strip_rows_for(src.width(), options);
  for (int y = first; y < end; y += step) {
    Band band;
    band.out_y = y;
    band.rows = std::min(step, end - y);
    band.top = std::max(0, y - halo);
    const int bottom = static_cast<int>(std::min<long long>(h, static_cast<long long>(y) + band.rows + halo));
    band.pixels = ImageView(rgba.row(band.top), rgba.width(), bottom - band.top, PixelFormat::kRgba8, rgba.stride());
    MutableImageView rows(out.data() + static_cast<std::size_t>(y - first) * out.stride(), out.width(), band.rows,
                          PixelFormat::kRgba8, out.stride());
    HUABU_RETURN_IF_ERROR(filter(band, rows));
    for (int r = 0; r < band.rows; ++r) {
      const std::uint8_t* in = rgba.row(y + r);
      std::uint8_t* o = rows.row(r);
      for (int x = 0; x < out.width(); ++x) o[4 * x + 3] = in[4 * x + 3];
    }
    HUABU_RETURN_IF_ERROR(report_progress(options, static_cast<double>(y + band.rows - first) / (end - first), "stylize"));
  }
  return out;
}

}  // namespace huabu::detail
