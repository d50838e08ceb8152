#include "text/prompt_fold.h"

#include <algorithm>
#include <cstdint>

namespace huabu::detail {
namespace {

struct FoldRange {
  char32_t first;
  char32_t last;
  std::int32_t value;
  std::int32_t len;
};

#include "text/prompt_fold_table.inc"

bool kept_below_cjk(char32_t c) {
  return (c >= U'a' && c <= U'z') || (c >= U'0' && c <= U'9') || c == U'_' || c == U'\'' || c == 0x2019;
}

// Appends the projection of one already-folded code point.
void push_projected(std::u32string& out, char32_t c) {
  out.push_back(c >= kCjkStart || kept_below_cjk(c) ? c : U' ');
}

}  // namespace

std::u32string fold_prompt(const std::u32string& text) {
  std::u32string out;
  out.reserve(text.size());
  for (char32_t c : text) {
    if (c >= 0xac00 && c <= 0xd7a3) {  // Hangul syllable -> conjoining jamo: separators
      out.push_back(U' ');
      continue;
    }
    const auto* end = std::end(kFoldRanges);
    const auto* it = std::upper_bound(std::begin(kFoldRanges), end, c,
                                      [](char32_t v, const FoldRange& r) { return v < r.first; });
    if (it != std::begin(kFoldRanges) && c <= (it - 1)->last) {
      const FoldRange& r = *(it - 1);
      if (r.len < 0) {
        push_projected(out, static_cast<char32_t>(static_cast<std::int64_t>(c) + r.value));
      } else {
        out.append(kFoldPool + r.value, static_cast<std::size_t>(r.len));
      }
      continue;
    }
    push_projected(out, c);
  }
  return out;
}

}  // namespace huabu::detail
