#include "generated_images.h"

#include <cstdio>
#include <optional>
#include <span>

#include "cli_options.h"
#include "huabu/engine/onnx_engine.h"
#include "huabu/tensor.h"
#include "image_files.h"
#include "sr_manifest.h"
#include "upscale.h"

namespace huabu::cli {

Result<OutputOptions> read_output_options(const Options& options, int default_upscale) {
  OutputOptions out;
  auto upscale_by = int_option(options, "--upscale", default_upscale);
  if (!upscale_by.ok()) return upscale_by.status();
  if (*upscale_by != 1 && *upscale_by != 4) return invalid_argument("--upscale takes 1 or 4");
  out.upscale_by = *upscale_by;
  auto quality = number_option(options, "--quality", 90);
  if (!quality.ok()) return quality.status();
  out.webp.quality = static_cast<float>(*quality);
  out.webp.lossless = options.count("--lossless") > 0;
  return out;
}

Status write_generated_images(const GeneratedImages& result, int upscale_by, const std::string& out,
                              const WebpEncodeOptions& webp) {
  std::optional<SrManifest> sr;
  std::optional<engine::OnnxEngine> sr_engine;
  if (upscale_by == 4) {
    auto m = read_sr_manifest(std::string(HUABU_MODELS_DIR) + "/huabu-sr-x4");
    if (!m.ok()) return m.status();
    auto e = engine::OnnxEngine::load(m->model_path);
    if (!e.ok()) return e.status();
    sr = std::move(m).value();
    sr_engine.emplace(std::move(e).value());
  }
  const std::size_t per_image = std::size_t{3} * static_cast<std::size_t>(result.width) * static_cast<std::size_t>(result.height);
  if (result.images.size() != per_image * static_cast<std::size_t>(result.count)) {
    return internal_error("the pipeline returned " + std::to_string(result.images.size()) + " values for " +
                          std::to_string(result.count) + " images");
  }
  for (int i = 0; i < result.count; ++i) {
    // value * std + mean = (x + 1) / 2, then / scale = * 255
    TensorOptions o;
    o.channels = 3;
    o.scale = 1.0f / 255.0f;
    o.mean = {0.5f, 0.5f, 0.5f};
    o.std = {0.5f, 0.5f, 0.5f};
    auto picture = tensor_to_image(std::span<const float>(result.images).subspan(i * per_image, per_image),
                                   result.width, result.height, o);
    if (!picture.ok()) return picture.status();
    if (sr) {
      auto big = upscale(*sr_engine, *sr, picture->view(), [&](int tile, int tiles) {
        std::fprintf(stderr, "upscale: image %d/%d tile %d/%d\n", i + 1, result.count, tile, tiles);
      });
      if (!big.ok()) return big.status();
      picture = std::move(big);
    }
    const std::string path = numbered_path(out, i + 1);
    HUABU_RETURN_IF_ERROR(write_image(path, picture->view(), webp));
    std::printf("%s: %d x %d\n", path.c_str(), picture->width(), picture->height());
  }
  return ok_status();
}

}  // namespace huabu::cli
