// Reading and writing files for the CLI: images as PNG (libpng) or WebP (the core), chosen by
// the file extension, come back as RGBA8, straight alpha; other files as bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "huabu/image.h"
#include "huabu/status.h"
#include "huabu/webp.h"

namespace huabu::cli {

// invalid_argument when `path` is not a regular file (a directory, missing) or unreadable.
[[nodiscard]] Result<std::vector<std::uint8_t>> read_bytes(const std::string& path);
[[nodiscard]] Result<Image> read_image(const std::string& path);
// WebP options apply when `path` ends in .webp; PNG is always lossless.
[[nodiscard]] Status write_image(const std::string& path, ImageView image,
                                 const WebpEncodeOptions& webp_options);

}  // namespace huabu::cli
