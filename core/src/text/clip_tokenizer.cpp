#include "huabu/clip_tokenizer.h"

#include <algorithm>
#include <array>
#include <queue>
#include <tuple>

#include "base/str_cat.h"
#include "huabu/word_tokenizer.h"  // kMaxPromptBytes
#include "text/clip_unicode.h"
#include "text/utf8.h"
#include "text/utf8_encode.h"
#include "text/vocab_files.h"

namespace huabu {
namespace {

using detail::append_utf8;
using detail::str_cat;

constexpr std::string_view kBos = "<|startoftext|>";
constexpr std::string_view kEos = "<|endoftext|>";
constexpr std::string_view kEndOfWord = "</w>";
constexpr std::size_t kMaxCachedPieceBytes = 256;
constexpr std::size_t kMaxCacheEntries = 10'000;

// GPT-2 / CLIP byte alphabet: printable Latin-1 bytes stand for themselves, the other 68
// bytes for U+0100.. in byte order, so every byte is one visible, non-space symbol.
const std::array<std::string, 256>& byte_symbols() {
  static const std::array<std::string, 256> table = [] {
    std::array<std::string, 256> t;
    char32_t next = 0x100;
    for (int b = 0; b < 256; ++b) {
      const bool printable = (b >= '!' && b <= '~') || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
      append_utf8(printable ? static_cast<char32_t>(b) : next++, &t[static_cast<std::size_t>(b)]);
    }
    return t;
  }();
  return table;
}

// CLIP's split of one section (no special tokens in it): 's 't 're 've 'm 'll 'd, runs of
// \p{L}, one \p{N}, runs of anything else that is not a space; spaces separate pieces.
std::vector<std::u32string> split_pieces(const std::u32string& s) {
  std::vector<std::u32string> pieces;
  const std::size_t n = s.size();
  for (std::size_t i = 0; i < n;) {
    const char32_t c = s[i];
    std::size_t end = i;
    if (c == U'\'' && i + 1 < n) {
      const char32_t a = s[i + 1], b = i + 2 < n ? s[i + 2] : 0;
      if (a == U's' || a == U't' || a == U'm' || a == U'd') end = i + 2;
      else if ((a == U'r' && b == U'e') || (a == U'v' && b == U'e') || (a == U'l' && b == U'l')) end = i + 3;
    }
    if (end == i) {
      if (detail::is_letter(c)) {
        while (end < n && detail::is_letter(s[end])) ++end;
      } else if (detail::is_number(c)) {
        end = i + 1;
      } else if (!detail::is_white_space(c)) {
        while (end < n && !detail::is_white_space(s[end]) && !detail::is_letter(s[end]) && !detail::is_number(s[end])) ++end;
      } else {
        ++i;
        continue;
      }
    }
    pieces.emplace_back(s, i, end - i);
    i = end;
  }
  return pieces;
}

// NFC, whitespace runs -> ' ', lowercase: the tokenizer.json normalizer sequence.
std::u32string normalize(const std::u32string& text) {
  const std::u32string composed = detail::nfc(text);
  std::u32string spaced;
  spaced.reserve(composed.size());
  bool in_space_run = false;
  for (char32_t c : composed) {
    const bool space = detail::is_white_space(c);
    if (!space) spaced.push_back(c);
    else if (!in_space_run) spaced.push_back(U' ');
    in_space_run = space;
  }
  return detail::to_lower(spaced);
}

}  // namespace

Result<ClipTokenizer> ClipTokenizer::create(std::string_view vocab_json, std::string_view merges_txt,
                                            ClipTokenizerOptions options) {
  if (options.max_length < 2 || options.max_length > 4096) {
    return invalid_argument(str_cat("max_length ", options.max_length, " must be in 2..4096"));
  }
  auto vocab = detail::parse_vocab_json(vocab_json);
  if (!vocab.ok()) return vocab.status();
  auto merges = detail::parse_merges_txt(merges_txt);
  if (!merges.ok()) return merges.status();

  ClipTokenizer t;
  t.max_length_ = options.max_length;
  for (auto& [token, id] : *vocab) t.ids_.emplace(std::move(token), id);
  auto require = [&](std::string_view token, std::string_view role, std::int64_t* id) -> Status {
    auto it = t.ids_.find(std::string(token));
    if (it == t.ids_.end()) return invalid_argument(str_cat("vocab.json has no ", role, " token \"", token, "\""));
    *id = it->second;
    return ok_status();
  };
  HUABU_RETURN_IF_ERROR(require(kBos, "start-of-text", &t.bos_id_));
  HUABU_RETURN_IF_ERROR(require(kEos, "end-of-text", &t.eos_id_));
  HUABU_RETURN_IF_ERROR(require(options.pad_token, "pad", &t.pad_id_));
  // Every piece starts as byte symbols, so they must all have ids, plain and word-final.
  for (int b = 0; b < 256; ++b) {
    const std::string& symbol = byte_symbols()[static_cast<std::size_t>(b)];
    std::int64_t unused = 0;
    HUABU_RETURN_IF_ERROR(require(symbol, str_cat("byte ", b), &unused));
    HUABU_RETURN_IF_ERROR(require(symbol + std::string(kEndOfWord), str_cat("word-final byte ", b), &unused));
  }
  // Every merge's parts and result must have ids, so no piece can end up without one.
  for (std::size_t i = 0; i < merges->size(); ++i) {
    const auto& [left, right] = (*merges)[i];
    for (const std::string& token : {left, right, left + right}) {
      if (!t.ids_.contains(token)) {
        return invalid_argument(str_cat("merges.txt merge ", i + 1, " (\"", left, " ", right, "\") uses \"", token,
                                        "\", which vocab.json lacks"));
      }
    }
    if (!t.ranks_.emplace(left + " " + right, static_cast<int>(i)).second) {
      return invalid_argument(str_cat("merges.txt merge ", i + 1, " (\"", left, " ", right, "\") appears twice"));
    }
  }
  return t;
}

void ClipTokenizer::append_piece_ids(const std::string& piece, std::vector<std::int64_t>* out) {
  if (auto hit = cache_.find(piece); hit != cache_.end()) {
    out->insert(out->end(), hit->second.begin(), hit->second.end());
    return;
  }
  // Symbols: one per code point of the byte-alphabet piece, "</w>" on the last; a linked
  // list merged by a min-heap of (rank, left position) with stale entries skipped, as
  // Hugging Face tokenizers do (lowest rank first, leftmost first among equal ranks).
  std::vector<std::string> text;
  for (std::size_t i = 0; i < piece.size();) {
    const unsigned char lead = static_cast<unsigned char>(piece[i]);
    const std::size_t len = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
    text.emplace_back(piece, i, len);
    i += len;
  }
  text.back() += kEndOfWord;
  const int n = static_cast<int>(text.size());
  std::vector<int> prev(static_cast<std::size_t>(n)), next(static_cast<std::size_t>(n));
  std::vector<bool> alive(static_cast<std::size_t>(n), true);
  std::vector<int> version(static_cast<std::size_t>(n), 0);  // bumped when a symbol's text grows
  for (int i = 0; i < n; ++i) {
    prev[static_cast<std::size_t>(i)] = i - 1;
    next[static_cast<std::size_t>(i)] = i + 1 < n ? i + 1 : -1;
  }
  using Entry = std::tuple<int, int, int, int, int>;  // rank, left, right, their versions
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
  auto push = [&](int left) {
    const int right = next[static_cast<std::size_t>(left)];
    if (right < 0) return;
    auto it = ranks_.find(text[static_cast<std::size_t>(left)] + " " + text[static_cast<std::size_t>(right)]);
    if (it != ranks_.end()) {
      heap.emplace(it->second, left, right, version[static_cast<std::size_t>(left)], version[static_cast<std::size_t>(right)]);
    }
  };
  for (int i = 0; i + 1 < n; ++i) push(i);
  while (!heap.empty()) {
    const auto [rank, left, right, left_version, right_version] = heap.top();
    heap.pop();
    const auto l = static_cast<std::size_t>(left), r = static_cast<std::size_t>(right);
    // Stale: a side was merged away or has grown since the pair was ranked.
    if (!alive[l] || !alive[r] || next[l] != right || version[l] != left_version || version[r] != right_version) continue;
    text[l] += text[r];
    ++version[l];
    alive[r] = false;
    next[l] = next[r];
    if (next[l] >= 0) prev[static_cast<std::size_t>(next[l])] = left;
    if (prev[l] >= 0) push(prev[l]);
    push(left);
  }
  std::vector<std::int64_t> ids;
  for (int i = 0; i >= 0; i = next[static_cast<std::size_t>(i)]) ids.push_back(ids_.at(text[static_cast<std::size_t>(i)]));
  out->insert(out->end(), ids.begin(), ids.end());
  if (piece.size() <= kMaxCachedPieceBytes) {
    if (cache_.size() >= kMaxCacheEntries) cache_.clear();
    cache_.emplace(piece, std::move(ids));
  }
}

Result<std::vector<std::int64_t>> ClipTokenizer::tokenize(std::string_view utf8) {
  if (utf8.size() > kMaxPromptBytes) {
    return invalid_argument(str_cat("prompt has ", utf8.size(), " bytes, more than the limit of ", kMaxPromptBytes));
  }
  auto decoded = detail::decode_utf8(utf8, "prompt");
  if (!decoded.ok()) return decoded.status();
  const std::u32string text = normalize(*decoded);
  static const std::u32string bos(kBos.begin(), kBos.end()), eos(kEos.begin(), kEos.end());

  std::vector<std::int64_t> ids;
  auto add_section = [&](std::size_t from, std::size_t to) {
    for (const std::u32string& piece : split_pieces(text.substr(from, to - from))) {
      std::string bytes, symbols;
      for (char32_t c : piece) append_utf8(c, &bytes);
      for (unsigned char b : bytes) symbols += byte_symbols()[b];
      append_piece_ids(symbols, &ids);
    }
  };
  // Special tokens written in the prompt are matched first, anywhere (leftmost). Each next
  // occurrence is searched again only once passed, so many specials stay linear.
  std::size_t from = 0, at_bos = text.find(bos), at_eos = text.find(eos);
  for (;;) {
    if (at_bos != std::u32string::npos && at_bos < from) at_bos = text.find(bos, from);
    if (at_eos != std::u32string::npos && at_eos < from) at_eos = text.find(eos, from);
    const std::size_t at = std::min(at_bos, at_eos);
    if (at == std::u32string::npos) break;
    add_section(from, at);
    ids.push_back(at == at_bos ? bos_id_ : eos_id_);
    from = at + (at == at_bos ? bos.size() : eos.size());
  }
  add_section(from, text.size());
  return ids;
}

Result<std::vector<std::int64_t>> ClipTokenizer::encode(std::string_view utf8) {
  auto tokens = tokenize(utf8);
  if (!tokens.ok()) return tokens.status();
  const std::size_t room = static_cast<std::size_t>(max_length_) - 2;
  std::vector<std::int64_t> ids;
  ids.reserve(static_cast<std::size_t>(max_length_));
  ids.push_back(bos_id_);
  ids.insert(ids.end(), tokens->begin(), tokens->begin() + static_cast<std::ptrdiff_t>(std::min(room, tokens->size())));
  ids.push_back(eos_id_);
  ids.resize(static_cast<std::size_t>(max_length_), pad_id_);
  return ids;
}

}  // namespace huabu
