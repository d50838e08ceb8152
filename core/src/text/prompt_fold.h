// Internal: folds decoded prompt text the way the reference tokenizer's normalize() does
// (NFKD, drop \p{M}, lowercase), projected onto what the tokenizer can observe: code points
// >= U+2E80 exactly, a-z 0-9 _ ' U+2019 exactly, any other code point as ' ' (a separator),
// combining marks removed. Table: prompt_fold_table.inc (generated, see its first line).
#pragma once

#include <string>

namespace huabu::detail {

inline constexpr char32_t kCjkStart = 0x2e80;

[[nodiscard]] std::u32string fold_prompt(const std::u32string& text);

}  // namespace huabu::detail
