// huabu/word_tokenizer.h: the word-level prompt tokenizer of Huabu's own text encoders
// (huabu-tiny). Gives the same ids as the reference models/data/vocab/tokenizer.mjs:
// fold (NFKD, drop combining marks, lowercase), English words = runs of [a-z0-9] (with "'s"
// and apostrophes dropped), Chinese runs (code points >= U+2E80) segmented by longest match
// over the zh table, whose English values are split the same way; a word's id tries the word,
// then "ies"->"y", "es"->"", "s"->"" stems, then <unk>; truncated / padded to max_len.
//
//   auto tok = huabu::WordTokenizer::create(vocab_words, zh_pairs);   // from the model's files
//   auto ids = tok->encode("画一只红色的狐狸", 16);                     // 16 int64 ids
//
// Documented behaviour: an empty or all-punctuation prompt gives all <pad> (the "empty
// prompt" of classifier-free guidance); an unknown Chinese character is skipped; prompts
// longer than kMaxPromptBytes and input that is not valid UTF-8 (including encoded
// surrogates) are refused with invalid_argument naming the byte offset.
// Ownership: a value type (copies its tables). Threading: const methods are safe to share.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "huabu/status.h"

namespace huabu {

inline constexpr std::int64_t kPadToken = 0;
inline constexpr std::int64_t kUnknownToken = 1;
inline constexpr std::size_t kMaxPromptBytes = 100'000;

class WordTokenizer {
 public:
  // words: the vocabulary, index = id, words[0] = "<pad>", words[1] = "<unk>", no duplicates.
  // zh: (phrase, English words) in the order of the zh.json file (a later phrase that folds to
  // the same key replaces an earlier one, as in the reference). Phrases must fold to CJK
  // code points and a-z/0-9 only.
  [[nodiscard]] static Result<WordTokenizer> create(const std::vector<std::string>& words,
                                                    const std::vector<std::pair<std::string, std::string>>& zh);

  // The prompt's English words (Chinese phrases replaced by their words), before ids.
  [[nodiscard]] Result<std::vector<std::string>> to_words(std::string_view utf8) const;
  // max_len ids (1..4096): the first max_len words' ids, then kPadToken.
  [[nodiscard]] Result<std::vector<std::int64_t>> encode(std::string_view utf8, int max_len) const;
  // Id of one English word (with the plural stems), kUnknownToken when absent.
  [[nodiscard]] std::int64_t id(const std::string& word) const;

  [[nodiscard]] std::size_t vocabulary_size() const { return vocabulary_size_; }

 private:
  std::unordered_map<std::string, std::int64_t> ids_;
  std::unordered_map<std::u32string, std::vector<std::string>> zh_;  // folded phrase -> words
  std::size_t max_key_ = 0;  // longest folded phrase, in code points
  std::size_t vocabulary_size_ = 0;
};

}  // namespace huabu
