#include "huabu/version.h"

#include "codec/webp_version.h"

namespace huabu {

std::string version() {
  return std::string("huabu-core ") + kCoreVersion + " (libwebp " + detail::libwebp_version() + ")";
}

}  // namespace huabu
