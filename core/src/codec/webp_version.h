// Internal: libwebp's version without exposing libwebp headers outside codec/.
#pragma once

#include <string>

namespace huabu::detail {

// "1.2.4": the decoder library actually linked.
[[nodiscard]] std::string libwebp_version();

}  // namespace huabu::detail
