// huabu/clip_tokenizer.h: CLIP's byte-level BPE tokenizer (Radford et al., "Learning
// Transferable Visual Models From Natural Language Supervision", 2021), as used by the text
// encoders of Stable Diffusion and other diffusers-layout models. Built from the model's
// vocab.json and merges.txt, handed over as bytes (the core does no file IO).
//
//   auto tok = huabu::ClipTokenizer::create(vocab_json_bytes, merges_txt_bytes);
//   auto ids = tok->encode("a red fox, watercolor");   // 77 ids: bos, tokens, eos, pad...
//
// Text clean-up follows the tokenizer.json pipeline of Hugging Face tokenizers (what
// transformers.js and Python's fast CLIPTokenizer run): NFC; every run of whitespace (Unicode
// White_Space) -> one space; lowercase (full Unicode mappings, final sigma);
// <|startoftext|> / <|endoftext|> written in the prompt become those special tokens; the rest
// is split like CLIP's regex ('s 't 're 've 'm 'll 'd, runs of letters, single digits, runs of
// other non-space characters; spaces dropped); each piece's UTF-8 bytes are mapped to
// CLIP's byte alphabet, "</w>" marks the piece's last symbol, and merges are applied by rank.
// Differences from OpenAI's Python tokenizer (which cleans text with ftfy.fix_text and a
// double html.unescape): neither is run, so no HTML entities decoding ("&amp;" stays three
// pieces) and none of ftfy's fixes (mojibake, curly quotes, ligatures, full-width, control
// characters) except its NFC; Python's re \s also counts U+001C..U+001F as spaces (here they
// are symbols). Unicode data is Node's (ICU, Unicode 17.0).
//
// encode(): bos, the first max_length - 2 tokens, eos, then the pad id up to max_length,
// as Python's CLIPTokenizer(padding="max_length", truncation=True) and diffusers do. (transformers.js
// truncates after adding the special tokens, so a long prompt loses its eos there.)
// Errors: malformed vocab/merges name the file and the offset or line; a prompt over
// kMaxPromptBytes or not valid UTF-8 is invalid_argument.
// Ownership: value type. Threading: encode()/tokenize() fill a per-object word cache, so one
// object must not be used from two threads at once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "huabu/status.h"

namespace huabu {

struct ClipTokenizerOptions {
  int max_length = 77;                     // 2..4096
  std::string pad_token = "<|endoftext|>"; // SD 1.x pads with eos; SD 2.x / SD-Turbo with "!" (id 0)
};

class ClipTokenizer {
 public:
  [[nodiscard]] static Result<ClipTokenizer> create(std::string_view vocab_json, std::string_view merges_txt,
                                                    ClipTokenizerOptions options = {});

  // The prompt's token ids, no bos/eos, no truncation.
  [[nodiscard]] Result<std::vector<std::int64_t>> tokenize(std::string_view utf8);
  // max_length ids: bos, tokens (truncated), eos, pad.
  [[nodiscard]] Result<std::vector<std::int64_t>> encode(std::string_view utf8);

  [[nodiscard]] std::int64_t bos_id() const { return bos_id_; }
  [[nodiscard]] std::int64_t eos_id() const { return eos_id_; }
  [[nodiscard]] std::int64_t pad_id() const { return pad_id_; }
  [[nodiscard]] int max_length() const { return max_length_; }
  [[nodiscard]] std::size_t vocabulary_size() const { return ids_.size(); }

 private:
  // Appends the ids of one pre-tokenized piece (already in the byte alphabet).
  void append_piece_ids(const std::string& piece, std::vector<std::int64_t>* out);

  std::unordered_map<std::string, std::int64_t> ids_;
  std::unordered_map<std::string, int> ranks_;  // "left right" -> merge rank
  std::unordered_map<std::string, std::vector<std::int64_t>> cache_;  // piece -> ids
  std::int64_t bos_id_ = 0;
  std::int64_t eos_id_ = 0;
  std::int64_t pad_id_ = 0;
  int max_length_ = 77;
};

}  // namespace huabu
