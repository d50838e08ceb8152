#include "upscale.h"

#include "huabu/image_ops.h"
#include "huabu/tensor.h"
#include "huabu/tiling.h"

namespace huabu::cli {
namespace {

// The SR models' input and output: RGB, float32 0..255, NCHW (see their manifests).
TensorOptions sr_tensor_options() {
  TensorOptions o;
  o.layout = TensorLayout::kNchw;
  o.channels = 3;
  o.scale = 1.0f;
  return o;
}

bool has_transparency(ImageView rgba) {
  for (int y = 0; y < rgba.height(); ++y) {
    const std::uint8_t* row = rgba.row(y);
    for (int x = 0; x < rgba.width(); ++x) {
      if (row[4 * x + 3] != 255) return true;
    }
  }
  return false;
}

}  // namespace

Result<Image> upscale(engine::OnnxEngine& engine, const SrManifest& manifest, ImageView image,
                      const std::function<void(int, int)>& on_tile) {
  if (image.format() != PixelFormat::kRgba8) return invalid_argument("upscale expects an RGBA8 image");
  const int s = manifest.scale;
  auto tiles = plan_tiles(image.width(), image.height(), manifest.tile_size, manifest.tile_overlap);
  if (!tiles.ok()) return tiles.status();
  auto stitcher = TileStitcher::create(image.width(), image.height(), s, manifest.tile_overlap);
  if (!stitcher.ok()) return stitcher.status();
  const TensorOptions options = sr_tensor_options();
  const int total = static_cast<int>(tiles->size());
  on_tile(0, total);
  for (int i = 0; i < total; ++i) {
    const Tile& t = (*tiles)[static_cast<std::size_t>(i)];
    auto crop = crop_view(image, t.x, t.y, t.width, t.height);
    if (!crop.ok()) return crop.status();
    auto input = image_to_tensor(*crop, options);
    if (!input.ok()) return input.status();
    engine::NamedTensors feeds;
    feeds.emplace("input", engine::Tensor::float32({1, 3, t.height, t.width}, std::move(input).value()));
    auto outputs = engine.run(feeds);
    if (!outputs.ok()) return outputs.status();
    const auto found = outputs->find("output");
    if (found == outputs->end()) return internal_error(manifest.id + " returned no 'output'");
    auto tile_image = tensor_to_image(found->second.floats(), t.width * s, t.height * s, options);
    if (!tile_image.ok()) return tile_image.status();
    HUABU_RETURN_IF_ERROR(stitcher->add(t, tile_image->view()));
    on_tile(i + 1, total);
  }
  auto result = stitcher->finish();
  if (!result.ok()) return result.status();

  if (has_transparency(image)) {
    auto alpha = resize(image, result->width(), result->height(), ResizeFilter::kBicubic);
    if (!alpha.ok()) return alpha.status();
    const std::size_t n = static_cast<std::size_t>(result->width()) * static_cast<std::size_t>(result->height());
    for (std::size_t p = 0; p < n; ++p) result->data()[4 * p + 3] = alpha->data()[4 * p + 3];
  }
  return result;
}

}  // namespace huabu::cli
