// Internal: strict UTF-8 decoding for prompts (no overlong forms, no surrogates, nothing
// above U+10FFFF); the error names the byte offset of the first bad sequence.
#pragma once

#include <string>
#include <string_view>

#include "huabu/status.h"

namespace huabu::detail {

[[nodiscard]] Result<std::u32string> decode_utf8(std::string_view bytes, std::string_view what);

}  // namespace huabu::detail
