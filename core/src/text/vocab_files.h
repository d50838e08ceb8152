// Internal: strict readers for the two files of a byte-level BPE tokenizer, given as bytes
// (the core does no file IO). Errors name the file and the byte offset or line.
//   vocab.json: one JSON object of token -> id (integers 0..2^31-1, no duplicate tokens).
//   merges.txt: one "left right" pair per line, in rank order; an optional first line
//               starting with "#version"; "\r\n" line ends and a final newline are accepted.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "huabu/status.h"

namespace huabu::detail {

[[nodiscard]] Result<std::vector<std::pair<std::string, std::int64_t>>> parse_vocab_json(std::string_view bytes);
[[nodiscard]] Result<std::vector<std::pair<std::string, std::string>>> parse_merges_txt(std::string_view bytes);

}  // namespace huabu::detail
