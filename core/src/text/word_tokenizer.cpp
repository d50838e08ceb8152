#include "huabu/word_tokenizer.h"

#include <algorithm>

#include "base/str_cat.h"
#include "text/prompt_fold.h"
#include "text/utf8.h"

namespace huabu {
namespace {

using detail::kCjkStart;
using detail::str_cat;

bool is_alnum(char32_t c) { return (c >= U'a' && c <= U'z') || (c >= U'0' && c <= U'9'); }
bool is_apostrophe(char32_t c) { return c == U'\'' || c == 0x2019; }

// The reference's englishWords() on folded text: drop "'s" before a word boundary (ASCII
// \b: the next character is not [a-z0-9_]), drop apostrophes, split on anything not [a-z0-9].
void append_english_words(const std::u32string& text, std::vector<std::string>* out) {
  std::string word;
  auto flush = [&] {
    if (!word.empty()) out->push_back(std::move(word));
    word.clear();
  };
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n; ++i) {
    const char32_t c = text[i];
    if (is_apostrophe(c)) {
      if (i + 1 < n && text[i + 1] == U's' && (i + 2 == n || !(is_alnum(text[i + 2]) || text[i + 2] == U'_'))) ++i;
      continue;  // apostrophes vanish without splitting
    }
    if (is_alnum(c)) {
      word.push_back(static_cast<char>(c));
    } else {
      flush();
    }
  }
  flush();
}

bool ends_with(const std::string& s, std::string_view tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

Result<WordTokenizer> WordTokenizer::create(const std::vector<std::string>& words,
                                            const std::vector<std::pair<std::string, std::string>>& zh) {
  if (words.size() < 2 || words[0] != "<pad>" || words[1] != "<unk>") {
    return invalid_argument("vocabulary must start with \"<pad>\", \"<unk>\"");
  }
  WordTokenizer t;
  t.vocabulary_size_ = words.size();
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (!t.ids_.emplace(words[i], static_cast<std::int64_t>(i)).second) {
      return invalid_argument(str_cat("vocabulary word \"", words[i], "\" appears twice (id ", i, ")"));
    }
  }
  for (const auto& [phrase, english] : zh) {
    auto key = detail::decode_utf8(phrase, "zh phrase");
    if (!key.ok()) return key.status();
    auto value = detail::decode_utf8(english, "zh value");
    if (!value.ok()) return value.status();
    std::u32string folded = detail::fold_prompt(*key);
    if (folded.empty()) return invalid_argument(str_cat("zh phrase \"", phrase, "\" is empty after folding"));
    // The fold keeps only what the tokenizer observes; a phrase with a separator in it could
    // never be matched exactly, so refuse it rather than match it loosely.
    if (std::any_of(folded.begin(), folded.end(), [](char32_t c) { return c < kCjkStart && !is_alnum(c); })) {
      return invalid_argument(str_cat("zh phrase \"", phrase, "\" folds to characters other than CJK, a-z and 0-9"));
    }
    std::vector<std::string> value_words;
    append_english_words(detail::fold_prompt(*value), &value_words);
    t.max_key_ = std::max(t.max_key_, folded.size());
    t.zh_[std::move(folded)] = std::move(value_words);
  }
  return t;
}

Result<std::vector<std::string>> WordTokenizer::to_words(std::string_view utf8) const {
  if (utf8.size() > kMaxPromptBytes) {
    return invalid_argument(str_cat("prompt has ", utf8.size(), " bytes, more than the limit of ", kMaxPromptBytes));
  }
  auto decoded = detail::decode_utf8(utf8, "prompt");
  if (!decoded.ok()) return decoded.status();
  const std::u32string cps = detail::fold_prompt(*decoded);
  std::vector<std::string> out;
  std::u32string latin;
  std::u32string window;
  for (std::size_t i = 0; i < cps.size();) {
    if (cps[i] < kCjkStart) {
      latin.push_back(cps[i++]);
      continue;
    }
    append_english_words(latin, &out);
    latin.assign(1, U' ');
    std::size_t len = std::min(max_key_, cps.size() - i);
    for (; len > 0; --len) {
      window.assign(cps, i, len);
      auto it = zh_.find(window);
      if (it != zh_.end()) {
        out.insert(out.end(), it->second.begin(), it->second.end());
        break;
      }
    }
    i += std::max<std::size_t>(len, 1);  // an unknown character is skipped
  }
  append_english_words(latin, &out);
  return out;
}

std::int64_t WordTokenizer::id(const std::string& word) const {
  std::string candidates[4] = {word, word, word, word};
  if (ends_with(word, "ies")) candidates[1] = word.substr(0, word.size() - 3) + "y";
  if (ends_with(word, "es")) candidates[2] = word.substr(0, word.size() - 2);
  if (ends_with(word, "s")) candidates[3] = word.substr(0, word.size() - 1);
  for (const std::string& c : candidates) {
    auto it = ids_.find(c);
    if (it != ids_.end()) return it->second;
  }
  return kUnknownToken;
}

Result<std::vector<std::int64_t>> WordTokenizer::encode(std::string_view utf8, int max_len) const {
  if (max_len < 1 || max_len > 4096) return invalid_argument(str_cat("max_len ", max_len, " must be in 1..4096"));
  auto words = to_words(utf8);
  if (!words.ok()) return words.status();
  std::vector<std::int64_t> ids(static_cast<std::size_t>(max_len), kPadToken);
  const std::size_t n = std::min(words->size(), ids.size());
  for (std::size_t i = 0; i < n; ++i) ids[i] = id((*words)[i]);
  return ids;
}

}  // namespace huabu
