// Writes a text-to-image pipeline's result (count x 3 x H x W floats in [-1, 1]) as files,
// as the browser does (web/src/ml/text-to-image.js imagesToRgba: RGB = (x + 1) * 127.5,
// alpha 255), optionally through huabu-sr-x4 first. Shared by both generate pipelines.
#pragma once

#include <string>
#include <vector>

#include "cli_options.h"
#include "huabu/status.h"
#include "huabu/webp.h"

namespace huabu::cli {

// --upscale 1|4 (default `default_upscale`), --quality Q (default 90), --lossless.
struct OutputOptions {
  int upscale_by = 1;
  WebpEncodeOptions webp;
};
[[nodiscard]] Result<OutputOptions> read_output_options(const Options& options, int default_upscale);

struct GeneratedImages {
  const std::vector<float>& images;
  int count = 0;
  int width = 0;
  int height = 0;
};

// Image i (1-based) goes to numbered_path(out, i); each written file is printed on stdout
// ("out.png: 128 x 128"), upscale progress on stderr. upscale_by: 1 or 4.
[[nodiscard]] Status write_generated_images(const GeneratedImages& result, int upscale_by, const std::string& out,
                                            const WebpEncodeOptions& webp);

}  // namespace huabu::cli
