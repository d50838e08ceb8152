#include <cmath>
#include <cstring>

#include <webp/encode.h>

#include "base/alloc.h"
#include "base/str_cat.h"
#include "codec/webp_status.h"
#include "huabu/webp.h"

namespace huabu {

using detail::str_cat;

namespace {

constexpr int kWebpMaxSide = WEBP_MAX_DIMENSION;  // 16383: one less than kMaxImageSide

// Frees libwebp's picture and writer on every path.
struct EncodeState {
  WebPPicture picture;
  WebPMemoryWriter writer;
  EncodeState() {
    WebPPictureInit(&picture);
    WebPMemoryWriterInit(&writer);
  }
  ~EncodeState() {
    WebPPictureFree(&picture);
    WebPMemoryWriterClear(&writer);
  }
};

}  // namespace

Result<std::vector<std::uint8_t>> encode_webp(ImageView image, const WebpEncodeOptions& options) {
  HUABU_RETURN_IF_ERROR(image.validate());
  if (image.format() == PixelFormat::kGray8) return unsupported("webp encode needs rgba8 or rgb8, got gray8");
  if (!std::isfinite(options.quality) || options.quality < 0.0f || options.quality > 100.0f) {
    return invalid_argument(str_cat("quality ", options.quality, " must be in 0..100"));
  }
  if (image.width() > kWebpMaxSide || image.height() > kWebpMaxSide) {
    return resource_exhausted(str_cat("image ", image.width(), "x", image.height(),
                                      " exceeds WebP's maximum side ", kWebpMaxSide));
  }

  WebPConfig config;
  if (!WebPConfigInit(&config)) return internal_error("webp encode: libwebp version mismatch");
  config.quality = options.quality;
  config.lossless = options.lossless ? 1 : 0;
  config.exact = options.lossless ? 1 : 0;  // keep RGB under alpha 0 so lossless round-trips
  if (!WebPValidateConfig(&config)) return internal_error("webp encode: invalid configuration");

  EncodeState state;
  state.picture.use_argb = config.lossless;  // lossless works on ARGB, lossy on YUV
  state.picture.width = image.width();
  state.picture.height = image.height();
  state.picture.writer = WebPMemoryWrite;
  state.picture.custom_ptr = &state.writer;
  const int stride = static_cast<int>(image.stride());
  const int imported = image.format() == PixelFormat::kRgba8
                           ? WebPPictureImportRGBA(&state.picture, image.data(), stride)
                           : WebPPictureImportRGB(&state.picture, image.data(), stride);
  if (!imported) return detail::status_from_webp_encoding(state.picture.error_code);
  if (!WebPEncode(&config, &state.picture)) return detail::status_from_webp_encoding(state.picture.error_code);

  auto made = detail::try_make_vector<std::uint8_t>(state.writer.size, "webp output");
  if (!made.ok()) return made.status();
  std::vector<std::uint8_t> out = std::move(made).value();
  if (!out.empty()) std::memcpy(out.data(), state.writer.mem, state.writer.size);
  return out;
}

}  // namespace huabu
