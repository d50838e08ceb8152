#include "text/vocab_files.h"

#include <unordered_set>

#include "base/str_cat.h"
#include "text/utf8.h"
#include "text/utf8_encode.h"

namespace huabu::detail {
namespace {

// A cursor over vocab.json; every error names the byte offset.
class JsonReader {
 public:
  explicit JsonReader(std::string_view s) : s_(s) {}

  Status error(std::string_view what) const {
    return invalid_argument(str_cat("vocab.json: ", what, " at byte ", pos_));
  }
  void skip_space() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }
  bool at_end() const { return pos_ >= s_.size(); }
  bool take(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) { ++pos_; return true; }
    return false;
  }

  Status read_string(std::string* out) {
    if (!take('"')) return error("expected a string");
    out->clear();
    while (pos_ < s_.size()) {
      const unsigned char c = static_cast<unsigned char>(s_[pos_++]);
      if (c == '"') return ok_status();
      if (c < 0x20) return error("control character in a string");
      if (c != '\\') { out->push_back(static_cast<char>(c)); continue; }
      if (pos_ >= s_.size()) break;
      const char e = s_[pos_++];
      switch (e) {
        case '"': case '\\': case '/': out->push_back(e); break;
        case 'b': out->push_back('\b'); break;
        case 'f': out->push_back('\f'); break;
        case 'n': out->push_back('\n'); break;
        case 'r': out->push_back('\r'); break;
        case 't': out->push_back('\t'); break;
        case 'u': HUABU_RETURN_IF_ERROR(read_unicode_escape(out)); break;
        default: return error("bad escape in a string");
      }
    }
    return error("unterminated string");
  }

  Status read_id(std::int64_t* out) {
    const std::size_t start = pos_;
    std::int64_t v = 0;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
      v = v * 10 + (s_[pos_++] - '0');
      if (v > 0x7fffffff) return error("id larger than 2147483647");
    }
    if (pos_ == start) return error("expected a non-negative integer id");
    if (pos_ - start > 1 && s_[start] == '0') return error("id with a leading zero");
    if (pos_ < s_.size() && (s_[pos_] == '.' || s_[pos_] == 'e' || s_[pos_] == 'E')) return error("id is not an integer");
    *out = v;
    return ok_status();
  }

 private:
  Status read_hex4(char32_t* out) {
    if (s_.size() - pos_ < 4) return error("truncated \\u escape");
    char32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = s_[pos_++];
      int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
      if (d < 0) return error("bad hex digit in a \\u escape");
      v = v * 16 + static_cast<char32_t>(d);
    }
    *out = v;
    return ok_status();
  }

  Status read_unicode_escape(std::string* out) {
    char32_t c = 0;
    HUABU_RETURN_IF_ERROR(read_hex4(&c));
    if (c >= 0xdc00 && c <= 0xdfff) return error("lone low surrogate escape");
    if (c >= 0xd800 && c <= 0xdbff) {
      char32_t low = 0;
      if (!(take('\\') && take('u'))) return error("lone high surrogate escape");
      HUABU_RETURN_IF_ERROR(read_hex4(&low));
      if (low < 0xdc00 || low > 0xdfff) return error("lone high surrogate escape");
      c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
    }
    append_utf8(c, out);
    return ok_status();
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

Result<std::vector<std::pair<std::string, std::int64_t>>> parse_vocab_json(std::string_view bytes) {
  // Raw bytes inside strings must be UTF-8 like the escapes' output.
  auto checked = decode_utf8(bytes, "vocab.json");
  if (!checked.ok()) return checked.status();
  JsonReader r(bytes);
  std::vector<std::pair<std::string, std::int64_t>> entries;
  std::unordered_set<std::string> seen;
  r.skip_space();
  if (!r.take('{')) return r.error("expected '{'");
  r.skip_space();
  if (!r.take('}')) {
    for (;;) {
      r.skip_space();
      std::string token;
      HUABU_RETURN_IF_ERROR(r.read_string(&token));
      r.skip_space();
      if (!r.take(':')) return r.error("expected ':'");
      r.skip_space();
      std::int64_t id = 0;
      HUABU_RETURN_IF_ERROR(r.read_id(&id));
      if (!seen.insert(token).second) return r.error(str_cat("token \"", token, "\" appears twice"));
      entries.emplace_back(std::move(token), id);
      r.skip_space();
      if (r.take('}')) break;
      if (!r.take(',')) return r.error("expected ',' or '}'");
    }
  }
  r.skip_space();
  if (!r.at_end()) return r.error("unexpected data after the object");
  return entries;
}

Result<std::vector<std::pair<std::string, std::string>>> parse_merges_txt(std::string_view bytes) {
  auto checked = decode_utf8(bytes, "merges.txt");
  if (!checked.ok()) return checked.status();
  std::vector<std::pair<std::string, std::string>> merges;
  std::size_t line_no = 0;
  for (std::size_t pos = 0; pos < bytes.size();) {
    std::size_t end = bytes.find('\n', pos);
    const bool last = end == std::string_view::npos;
    if (last) end = bytes.size();
    std::string_view line = bytes.substr(pos, end - pos);
    pos = last ? bytes.size() : end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_no == 1 && line.starts_with("#version")) continue;
    if (line.empty() && pos >= bytes.size()) break;  // the final newline
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos || space == 0 || space + 1 == line.size() ||
        line.find(' ', space + 1) != std::string_view::npos) {
      return invalid_argument(str_cat("merges.txt line ", line_no, " must be two tokens separated by one space"));
    }
    merges.emplace_back(std::string(line.substr(0, space)), std::string(line.substr(space + 1)));
  }
  return merges;
}

}  // namespace huabu::detail
