// Internal: the stylize() operations. Each takes its parameter values already validated by
// style_registry.cpp, in the order of that operation's table there.
#pragma once

#include <span>

#include "huabu/stylize.h"

namespace huabu::detail {

using StyleFn = Result<Image> (*)(ImageView src, std::span<const double> params, const StyleOptions& options);

Result<Image> lineart(ImageView src, std::span<const double> p, const StyleOptions& options);
Result<Image> ink_outline(ImageView src, std::span<const double> p, const StyleOptions& options);
Result<Image> oil_kuwahara(ImageView src, std::span<const double> p, const StyleOptions& options);
Result<Image> watercolor(ImageView src, std::span<const double> p, const StyleOptions& options);
Result<Image> cartoon(ImageView src, std::span<const double> p, const StyleOptions& options);
Result<Image> pixel_art(ImageView src, std::span<const double> p, const StyleOptions& options);
Result<Image> halftone(ImageView src, std::span<const double> p, const StyleOptions& options);
Result<Image> posterize(ImageView src, std::span<const double> p, const StyleOptions& options);

}  // namespace huabu::detail
