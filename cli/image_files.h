// Reading and writing image files for the CLI: PNG (libpng) and WebP (the core), chosen by
// the file extension. Images come back as RGBA8, straight alpha.
#pragma once

#include <string>

#include "huabu/image.h"
#include "huabu/status.h"
#include "huabu/webp.h"

namespace huabu::cli {

[[nodiscard]] Result<Image> read_image(const std::string& path);
// WebP options apply when `path` ends in .webp; PNG is always lossless.
[[nodiscard]] Status write_image(const std::string& path, ImageView image,
                                 const WebpEncodeOptions& webp_options);

}  // namespace huabu::cli
