// Internal: runs a local filter over horizontal strips so memory follows the image width.
// Each strip's band carries `halo` extra source rows above and below (fewer at the image
// edges); a filter whose output depends on inputs at most `halo` rows away therefore gives
// the same bytes as on the whole image, whatever the strip height.
#pragma once

#include <functional>
#include <optional>

#include "huabu/image.h"
#include "huabu/stylize.h"

namespace huabu::detail {

struct Band {
  ImageView pixels;  // RGBA8 source rows [top, top + pixels.height())
  int top = 0;       // image row of pixels.row(0)
  int out_y = 0;     // first image row to produce
  int rows = 0;      // rows to produce
  int first() const { return out_y - top; }  // band row of out_y
};

// Writes output rows [band.out_y, band.out_y + band.rows) into `out` (a view of exactly
// those rows, RGBA8): RGB only; alpha is copied from the source afterwards.
using BandFilter = std::function<Status(const Band& band, MutableImageView out)>;

// Output rows per strip for an image `width` wide: options.strip_rows, or about 512K pixels.
[[nodiscard]] int strip_rows_for(int width, const StyleOptions& options);

// Validates `src`, converts it to RGBA8 when needed, runs `filter` strip by strip, reports
// progress after each strip (cancelled if the callback says stop).
[[nodiscard]] Result<Image> run_in_strips(ImageView src, int halo, const StyleOptions& options,
                                          const BandFilter& filter);

// Calls options.progress (if any) with `fraction`; cancelled if it returns false.
[[nodiscard]] Status report_progress(const StyleOptions& options, double fraction, const char* op);

// `src` as RGBA8: the view itself when it already is, else a converted copy in `storage`.
[[nodiscard]] Status as_rgba(ImageView src, std::optional<Image>* storage, ImageView* out);

}  // namespace huabu::detail
