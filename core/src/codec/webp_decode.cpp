#include <cstring>

#include <webp/decode.h>

#include "base/str_cat.h"
#include "codec/webp_status.h"
#include "huabu/webp.h"

namespace huabu {

using detail::str_cat;

namespace {

std::uint32_t le24(const std::uint8_t* p) { return p[0] | (p[1] << 8) | (std::uint32_t{p[2]} << 16); }

// The canvas size claimed by an extended-format (VP8X) header, if there is one. libwebp
// rejects canvases of 2^32 pixels or more as a bitstream error; checking the claim here first
// reports an oversized image as resource_exhausted, before anything is allocated.
bool vp8x_canvas(std::span<const std::uint8_t> b, std::int64_t* width, std::int64_t* height) {
  if (b.size() < 30) return false;
  if (std::memcmp(b.data(), "RIFF", 4) != 0 || std::memcmp(b.data() + 8, "WEBPVP8X", 8) != 0) return false;
  *width = std::int64_t{le24(b.data() + 24)} + 1;
  *height = std::int64_t{le24(b.data() + 27)} + 1;
  return true;
}

Status check_limits(const WebpDecodeLimits& limits) {
  if (limits.max_width < 1 || limits.max_width > kMaxImageSide) {
    return invalid_argument(str_cat("maxWidth ", limits.max_width, " must be in 1..", kMaxImageSide));
  }
  if (limits.max_height < 1 || limits.max_height > kMaxImageSide) {
    return invalid_argument(str_cat("maxHeight ", limits.max_height, " must be in 1..", kMaxImageSide));
  }
  if (limits.max_pixels < 1 || limits.max_pixels > kMaxImagePixels) {
    return invalid_argument(str_cat("maxPixels ", limits.max_pixels, " must be in 1..", kMaxImagePixels));
  }
  return ok_status();
}

Status check_size(std::int64_t width, std::int64_t height, const WebpDecodeLimits& limits) {
  if (width > limits.max_width || height > limits.max_height || width * height > limits.max_pixels) {
    return resource_exhausted(str_cat("webp image ", width, "x", height, " exceeds the decode limits ",
                                      limits.max_width, "x", limits.max_height, ", ", limits.max_pixels,
                                      " pixels"));
  }
  return ok_status();
}

Status get_features(std::span<const std::uint8_t> bytes, WebPBitstreamFeatures* features) {
  if (bytes.empty()) return corrupt_data("webp data is empty");
  return detail::status_from_vp8(WebPGetFeatures(bytes.data(), bytes.size(), features), "webp header");
}

}  // namespace

Result<WebpInfo> webp_info(std::span<const std::uint8_t> bytes) {
  WebPBitstreamFeatures features;
  HUABU_RETURN_IF_ERROR(get_features(bytes, &features));
  WebpInfo info;
  info.width = features.width;
  info.height = features.height;
  info.has_alpha = features.has_alpha != 0;
  info.has_animation = features.has_animation != 0;
  return info;
}

Result<Image> decode_webp(std::span<const std::uint8_t> bytes, const WebpDecodeLimits& limits) {
  HUABU_RETURN_IF_ERROR(check_limits(limits));
  std::int64_t claimed_w = 0, claimed_h = 0;
  if (vp8x_canvas(bytes, &claimed_w, &claimed_h)) HUABU_RETURN_IF_ERROR(check_size(claimed_w, claimed_h, limits));

  WebPDecoderConfig config;
  if (!WebPInitDecoderConfig(&config)) return internal_error("webp decode: libwebp version mismatch");
  HUABU_RETURN_IF_ERROR(get_features(bytes, &config.input));
  if (config.input.has_animation) return unsupported("webp decode: animated WebP is not supported");
  HUABU_RETURN_IF_ERROR(check_size(config.input.width, config.input.height, limits));

  auto made = Image::create(config.input.width, config.input.height, PixelFormat::kRgba8);
  if (!made.ok()) return made.status();
  Image out = std::move(made).value();
  config.output.colorspace = MODE_RGBA;  // straight alpha
  config.output.is_external_memory = 1;
  config.output.u.RGBA.rgba = out.data();
  config.output.u.RGBA.stride = static_cast<int>(out.stride());
  config.output.u.RGBA.size = out.size_bytes();
  const VP8StatusCode status = WebPDecode(bytes.data(), bytes.size(), &config);
  WebPFreeDecBuffer(&config.output);  // no-op for external memory; kept for symmetry
  HUABU_RETURN_IF_ERROR(detail::status_from_vp8(status, "webp decode"));
  return out;
}

}  // namespace huabu
