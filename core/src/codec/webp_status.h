// Internal: the one place where libwebp's error codes become huabu Status values.
#pragma once

#include <string_view>

#include <webp/decode.h>
#include <webp/encode.h>

#include "huabu/status.h"

namespace huabu::detail {

// `what` names the operation, e.g. "webp decode".
[[nodiscard]] Status status_from_vp8(VP8StatusCode code, std::string_view what);
[[nodiscard]] Status status_from_webp_encoding(WebPEncodingError code);

}  // namespace huabu::detail
