#include "text/utf8.h"

#include "base/str_cat.h"

namespace huabu::detail {

Result<std::u32string> decode_utf8(std::string_view bytes, std::string_view what) {
  std::u32string out;
  out.reserve(bytes.size());
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char b = s[i];
    int extra = 0;
    char32_t c = 0, min = 0;
    if (b < 0x80) { out.push_back(b); ++i; continue; }
    if (b >= 0xc2 && b <= 0xdf) { extra = 1; c = b & 0x1f; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { extra = 2; c = b & 0x0f; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { extra = 3; c = b & 0x07; min = 0x10000; }
    else return invalid_argument(str_cat(what, " is not valid UTF-8 (byte ", i, ")"));
    if (n - i <= static_cast<std::size_t>(extra)) {
      return invalid_argument(str_cat(what, " is not valid UTF-8 (truncated sequence at byte ", i, ")"));
    }
    for (int k = 1; k <= extra; ++k) {
      if ((s[i + k] & 0xc0) != 0x80) return invalid_argument(str_cat(what, " is not valid UTF-8 (byte ", i + k, ")"));
      c = (c << 6) | (s[i + k] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
      return invalid_argument(str_cat(what, " is not valid UTF-8 (overlong, surrogate or out-of-range sequence at byte ", i, ")"));
    }
    out.push_back(c);
    i += extra + 1;
  }
  return out;
}

}  // namespace huabu::detail
