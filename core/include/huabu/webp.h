// huabu/webp.h: WebP encode/decode (libwebp, same version native and wasm).
//
//   huabu::WebpEncodeOptions enc;  enc.quality = 80;               // or enc.lossless = true
//   auto bytes = huabu::encode_webp(img.view(), enc);               // std::vector<uint8_t>
//   auto info = huabu::webp_info(*bytes);                           // size before decoding
//   auto decoded = huabu::decode_webp(*bytes);                      // RGBA8, default limits
//
// Ownership: returned byte vectors and Images belong to the caller; inputs are borrowed for
// the duration of the call.
// Threading: each call is independent (libwebp keeps no global mutable state once its DSP
// tables are initialised, which it does thread-safely).
// Errors: truncated/malformed data -> corrupt_data; animated or otherwise unhandled
// features -> unsupported; sizes over the limits -> resource_exhausted before allocating.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "huabu/image.h"
#include "huabu/status.h"

namespace huabu {

struct WebpEncodeOptions {
  float quality = 75.0f;  // 0..100: lossy quality, or compression effort when lossless
  bool lossless = false;  // lossless keeps RGB under alpha 0 too (libwebp's `exact`)
};

struct WebpDecodeLimits {
  int max_width = kMaxImageSide;
  int max_height = kMaxImageSide;
  std::int64_t max_pixels = kMaxImagePixels;
};

struct WebpInfo {
  int width = 0;
  int height = 0;
  bool has_alpha = false;
  bool has_animation = false;
};

// RGBA8 or RGB8 input (any stride). Output is deterministic for a given libwebp version.
[[nodiscard]] Result<std::vector<std::uint8_t>> encode_webp(ImageView image,
                                                            const WebpEncodeOptions& options);

// Header only; no pixel decoding.
[[nodiscard]] Result<WebpInfo> webp_info(std::span<const std::uint8_t> bytes);

// Still images to straight-alpha RGBA8. Limits are checked against the header (including an
// extended-format canvas size) before the output is allocated; each limit must itself be
// within 1..kMaxImageSide / 1..kMaxImagePixels.
[[nodiscard]] Result<Image> decode_webp(std::span<const std::uint8_t> bytes,
                                        const WebpDecodeLimits& limits = {});

}  // namespace huabu
