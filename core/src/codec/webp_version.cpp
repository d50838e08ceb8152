#include "codec/webp_version.h"

#include <webp/decode.h>

namespace huabu::detail {

std::string libwebp_version() {
  const int v = WebPGetDecoderVersion();  // (major << 16) | (minor << 8) | revision
  return std::to_string((v >> 16) & 0xff) + "." + std::to_string((v >> 8) & 0xff) + "." +
         std::to_string(v & 0xff);
}

}  // namespace huabu::detail
