#include "text/clip_unicode.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

namespace huabu::detail {
namespace {

struct CodeRange { char32_t first, last; };
struct CodeMapping { char32_t from, to; };
struct Decomposition { char32_t cp; std::uint16_t offset; std::uint8_t length; };
struct ClassRange { char32_t first, last; std::uint8_t rank; };
struct Composition { char32_t first, second, composite; };

#include "text/clip_unicode_table.inc"

template <typename Range, std::size_t N>
const Range* find_range(const Range (&table)[N], char32_t c) {
  const Range* it = std::upper_bound(std::begin(table), std::end(table), c,
                                     [](char32_t v, const Range& r) { return v < r.first; });
  if (it == std::begin(table)) return nullptr;
  --it;
  return c <= it->last ? it : nullptr;
}

bool is_cased(char32_t c) { return find_range(kCasedRanges, c) != nullptr; }
bool is_case_ignorable(char32_t c) { return find_range(kCaseIgnorableRanges, c) != nullptr; }

int combining_rank(char32_t c) {
  const ClassRange* r = find_range(kCombiningClassRanks, c);
  return r ? r->rank : 0;
}

// Hangul syllables are composed and decomposed arithmetically (Unicode ch. 3.12).
constexpr char32_t kSBase = 0xac00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11a7;
constexpr char32_t kLCount = 19, kVCount = 21, kTCount = 28, kSCount = kLCount * kVCount * kTCount;

void decompose(char32_t c, std::u32string* out) {
  if (c >= kSBase && c < kSBase + kSCount) {
    const char32_t s = c - kSBase;
    out->push_back(kLBase + s / (kVCount * kTCount));
    out->push_back(kVBase + (s % (kVCount * kTCount)) / kTCount);
    if (s % kTCount != 0) out->push_back(kTBase + s % kTCount);
    return;
  }
  const Decomposition* it = std::lower_bound(std::begin(kDecompositions), std::end(kDecompositions), c,
                                             [](const Decomposition& d, char32_t v) { return d.cp < v; });
  if (it != std::end(kDecompositions) && it->cp == c) {
    out->append(kDecompositionData + it->offset, it->length);
  } else {
    out->push_back(c);
  }
}

// The primary composite of (starter, c), or 0; the caller checks blocking.
char32_t compose(char32_t starter, char32_t c) {
  if (starter >= kLBase && starter < kLBase + kLCount && c >= kVBase && c < kVBase + kVCount) {
    return kSBase + ((starter - kLBase) * kVCount + (c - kVBase)) * kTCount;
  }
  if (starter >= kSBase && starter < kSBase + kSCount && (starter - kSBase) % kTCount == 0 && c > kTBase &&
      c < kTBase + kTCount) {
    return starter + (c - kTBase);
  }
  const Composition* it = std::lower_bound(
      std::begin(kCompositions), std::end(kCompositions), Composition{starter, c, 0},
      [](const Composition& a, const Composition& b) { return a.first != b.first ? a.first < b.first : a.second < b.second; });
  if (it != std::end(kCompositions) && it->first == starter && it->second == c) return it->composite;
  return 0;
}

// Final_Sigma (Unicode ch. 3.13): a cased letter, then case-ignorables, before; no
// case-ignorables followed by a cased letter after.
bool final_sigma(const std::u32string& text, std::size_t i) {
  std::size_t j = i;
  while (j > 0 && is_case_ignorable(text[j - 1])) --j;
  if (j == 0 || !is_cased(text[j - 1])) return false;
  std::size_t k = i + 1;
  while (k < text.size() && is_case_ignorable(text[k])) ++k;
  return k == text.size() || !is_cased(text[k]);
}

}  // namespace

std::u32string nfc(const std::u32string& text) {
  std::u32string d;
  d.reserve(text.size());
  for (char32_t c : text) decompose(c, &d);
  // Canonical ordering: a stable sort of each run of non-zero classes.
  for (std::size_t i = 1; i < d.size(); ++i) {
    for (std::size_t j = i; j > 0 && combining_rank(d[j]) != 0 && combining_rank(d[j - 1]) > combining_rank(d[j]); --j) {
      std::swap(d[j - 1], d[j]);
    }
  }
  // Canonical composition: c joins the last starter unless blocked by a character between
  // them whose class is 0 or not lower than c's.
  std::u32string out;
  out.reserve(d.size());
  std::size_t starter = std::u32string::npos;
  int last_rank = 0;
  for (char32_t c : d) {
    const int rank = combining_rank(c);
    if (starter != std::u32string::npos) {
      // (A class-0 c, e.g. a Hangul vowel, therefore composes only when adjacent.)
      if (out.size() - 1 == starter || (last_rank != 0 && last_rank < rank)) {
        const char32_t composite = compose(out[starter], c);
        if (composite != 0) {
          out[starter] = composite;
          continue;
        }
      }
    }
    if (rank == 0) starter = out.size();
    last_rank = rank;
    out.push_back(c);
  }
  return out;
}

std::u32string to_lower(const std::u32string& text) {
  std::u32string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char32_t c = text[i];
    if (c == 0x3a3) {
      out.push_back(final_sigma(text, i) ? 0x3c2 : 0x3c3);
    } else if (c == kLowercaseTwoFrom) {
      out.append(kLowercaseTwoTo, 2);
    } else {
      const CodeMapping* it = std::lower_bound(std::begin(kLowercase), std::end(kLowercase), c,
                                               [](const CodeMapping& m, char32_t v) { return m.from < v; });
      out.push_back(it != std::end(kLowercase) && it->from == c ? it->to : c);
    }
  }
  return out;
}

bool is_white_space(char32_t c) {  // the property has not changed since Unicode 6.3
  return (c >= 0x9 && c <= 0xd) || c == 0x20 || c == 0x85 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
         c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

bool is_letter(char32_t c) { return find_range(kLetterRanges, c) != nullptr; }
bool is_number(char32_t c) { return find_range(kNumberRanges, c) != nullptr; }

}  // namespace huabu::detail
