// ClipTokenizer on a hand-made vocabulary (expected ids derived by hand) and on the learned
// test vocabulary tests/data/clip-bpe (ids checked against transformers.js on 1,000+ prompts
// in tests/node/clip-tokenizer.test.mjs; here: padding, truncation, bad inputs).
#include "huabu/clip_tokenizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "huabu/word_tokenizer.h"  // kMaxPromptBytes

namespace huabu {
namespace {

// The GPT-2/CLIP byte alphabet, written out independently of the core.
std::string byte_symbol(int b) {
  const bool printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  int cp = b;
  if (!printable) {
    int n = 0;
    for (int x = 0; x < b; ++x) n += !((x >= 0x21 && x <= 0x7e) || (x >= 0xa1 && x <= 0xac) || (x >= 0xae && x <= 0xff));
    cp = 0x100 + n;
  }
  std::string s;
  if (cp < 0x80) s.push_back(static_cast<char>(cp));
  else {
    s.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
  return s;
}

// A tiny vocabulary: the 512 byte symbols, then the merge results below, then the specials.
struct Tiny {
  std::map<std::string, std::int64_t> ids;
  std::string vocab_json;
  std::string merges_txt = "#version: 0.2\nr e\nre d</w>\nf o\nfo x</w>\na n\nan d</w>\n' s</w>\n";

  Tiny() {
    for (int b = 0; b < 256; ++b) add(byte_symbol(b));
    for (int b = 0; b < 256; ++b) add(byte_symbol(b) + "</w>");
    for (const char* t : {"re", "red</w>", "fo", "fox</w>", "an", "and</w>", "'s</w>", "<|startoftext|>", "<|endoftext|>"}) add(t);
    vocab_json = "{";
    for (const auto& [token, id] : ids) {
      std::string escaped;
      for (char c : token) {
        if (c == '"' || c == '\\') escaped.push_back('\\');
        escaped.push_back(c);
      }
      vocab_json += (vocab_json.size() > 1 ? ",\n \"" : "\"") + escaped + "\": " + std::to_string(id);
    }
    vocab_json += "}";
  }
  void add(const std::string& t) { ids.emplace(t, static_cast<std::int64_t>(ids.size())); }
  std::int64_t operator[](const std::string& t) const { return ids.at(t); }
};

ClipTokenizer make(const Tiny& v, ClipTokenizerOptions options = {}) {
  auto t = ClipTokenizer::create(v.vocab_json, v.merges_txt, options);
  EXPECT_TRUE(t.ok()) << t.status().to_string();
  return std::move(t).value();
}

std::vector<std::int64_t> tokens(ClipTokenizer& t, const std::string& text) {
  auto ids = t.tokenize(text);
  EXPECT_TRUE(ids.ok()) << ids.status().to_string();
  return ids.ok() ? *ids : std::vector<std::int64_t>{};
}

TEST(ClipTokenizerTest, MergesByRankWithEndOfWord) {
  const Tiny v;
  ClipTokenizer t = make(v);
  EXPECT_EQ(t.bos_id(), v["<|startoftext|>"]);
  EXPECT_EQ(t.eos_id(), v["<|endoftext|>"]);
  EXPECT_EQ(tokens(t, "red fox"), (std::vector<std::int64_t>{v["red</w>"], v["fox</w>"]}));
  // "re" inside a longer word: "</w>" is on the last symbol, so "red</w>" cannot form.
  EXPECT_EQ(tokens(t, "reds"), (std::vector<std::int64_t>{v["re"], v["d"], v["s</w>"]}));
  EXPECT_EQ(tokens(t, "a"), (std::vector<std::int64_t>{v["a</w>"]}));
}

TEST(ClipTokenizerTest, CleansAndSplitsLikeClip) {
  const Tiny v;
  ClipTokenizer t = make(v);
  // Lowercase, whitespace runs, letters / single digits / punctuation runs, contractions.
  EXPECT_EQ(tokens(t, "  RED\t\n FOX  "), tokens(t, "red fox"));
  EXPECT_EQ(tokens(t, "fox's"), (std::vector<std::int64_t>{v["fox</w>"], v["'s</w>"]}));
  EXPECT_EQ(tokens(t, "42"), (std::vector<std::int64_t>{v["4</w>"], v["2</w>"]}));
  EXPECT_EQ(tokens(t, "red!?fox"), (std::vector<std::int64_t>{v["red</w>"], v["!"], v["?</w>"], v["fox</w>"]}));
  // NFC: "e" + combining acute is the same as "é" (two UTF-8 bytes -> two byte symbols).
  EXPECT_EQ(tokens(t, "e\xcc\x81"), tokens(t, "\xc3\xa9"));
  EXPECT_EQ(tokens(t, "\xc3\xa9"), (std::vector<std::int64_t>{v[byte_symbol(0xc3)], v[byte_symbol(0xa9) + "</w>"]}));
  // Final sigma: "ΑΣ" lowercases to "ας" (U+03C2 = CF 82), a lone "Σ" to "σ" (CF 83).
  EXPECT_EQ(tokens(t, "\xce\xa3").back(), v[byte_symbol(0x83) + "</w>"]);
  EXPECT_EQ(tokens(t, "\xce\x91\xce\xa3").back(), v[byte_symbol(0x82) + "</w>"]);
  // White_Space: U+3000 (ideographic space) and U+0085 separate words; U+FEFF does not.
  EXPECT_EQ(tokens(t, "red\xe3\x80\x80" "fox\xc2\x85"), tokens(t, "red fox"));
  EXPECT_EQ(tokens(t, "red\xef\xbb\xbf").size(), 4u);  // red, then U+FEFF's three byte symbols
  // Special tokens written in the prompt, in any case, become the special ids.
  EXPECT_EQ(tokens(t, "red<|ENDOFTEXT|>fox"), (std::vector<std::int64_t>{v["red</w>"], t.eos_id(), v["fox</w>"]}));
  EXPECT_EQ(tokens(t, "<|startoftext|><|endoftext|>fox<|startoftext|>"),
            (std::vector<std::int64_t>{t.bos_id(), t.eos_id(), v["fox</w>"], t.bos_id()}));
  EXPECT_TRUE(tokens(t, "").empty());
  EXPECT_TRUE(tokens(t, " \t\n").empty());
}

TEST(ClipTokenizerTest, PadsAndTruncatesLikeDiffusers) {
  const Tiny v;
  ClipTokenizer t = make(v, {.max_length = 6, .pad_token = "!"});
  auto ids = t.encode("red and fox");
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(*ids, (std::vector<std::int64_t>{t.bos_id(), v["red</w>"], v["and</w>"], v["fox</w>"], t.eos_id(), v["!"]}));
  // Longer than max_length - 2 tokens: bos, the first 4, eos.
  ids = t.encode("red and fox red and fox");
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(*ids, (std::vector<std::int64_t>{t.bos_id(), v["red</w>"], v["and</w>"], v["fox</w>"], v["red</w>"], t.eos_id()}));
  ids = t.encode("");
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(*ids, (std::vector<std::int64_t>{t.bos_id(), t.eos_id(), v["!"], v["!"], v["!"], v["!"]}));
  ClipTokenizer default_pad = make(v);
  EXPECT_EQ(default_pad.encode("fox")->back(), default_pad.eos_id());  // pads with eos
  EXPECT_EQ(default_pad.encode("fox")->size(), 77u);
}

TEST(ClipTokenizerTest, RefusesBadPrompts) {
  const Tiny v;
  ClipTokenizer t = make(v);
  auto r = t.encode("red \xff fox");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("not valid UTF-8 (byte 4)"), std::string::npos) << r.status().message();
  EXPECT_FALSE(t.encode("\xed\xa0\x80").ok());  // an encoded surrogate
  r = t.encode(std::string(kMaxPromptBytes + 1, 'a'));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("more than the limit"), std::string::npos);
  // The largest allowed prompt, one 100,000-letter word, is tokenized (heap-based merging):
  // "anan...an" -> 49,999 "an" then "a", "n</w>" (no "a n</w>" merge).
  std::string word;
  for (std::size_t i = 0; i < kMaxPromptBytes / 2; ++i) word += "an";
  auto big = t.tokenize(word);
  ASSERT_TRUE(big.ok());
  ASSERT_EQ(big->size(), kMaxPromptBytes / 2 + 1);
  EXPECT_EQ(big->front(), v["an"]);
  EXPECT_EQ(big->back(), v["n</w>"]);
  std::string specials;  // 7,692 specials: found in linear time
  while (specials.size() + 13 <= kMaxPromptBytes) specials += "<|endoftext|>";
  auto many = t.tokenize(specials);
  ASSERT_TRUE(many.ok());
  EXPECT_EQ(many->size(), specials.size() / 13);
}

Status create_error(const std::string& vocab, const std::string& merges, ClipTokenizerOptions o = {}) {
  auto t = ClipTokenizer::create(vocab, merges, o);
  return t.ok() ? ok_status() : t.status();
}

TEST(ClipTokenizerTest, RefusesMalformedFiles) {
  const Tiny v;
  auto message = [](const Status& s) { return s.message(); };
  EXPECT_EQ(message(create_error("{\"a\": 1", v.merges_txt)), "vocab.json: expected ',' or '}' at byte 7");
  EXPECT_EQ(message(create_error("[]", v.merges_txt)), "vocab.json: expected '{' at byte 0");
  EXPECT_EQ(message(create_error("{\"a\": 1, \"a\": 2}", v.merges_txt)), "vocab.json: token \"a\" appears twice at byte 15");
  EXPECT_EQ(message(create_error("{\"a\": -1}", v.merges_txt)), "vocab.json: expected a non-negative integer id at byte 6");
  EXPECT_EQ(message(create_error("{\"a\": 1.5}", v.merges_txt)), "vocab.json: id is not an integer at byte 7");
  EXPECT_EQ(message(create_error("{\"\\ud800\": 1}", v.merges_txt)), "vocab.json: lone high surrogate escape at byte 8");
  EXPECT_EQ(message(create_error("{\"a\": 1} x", v.merges_txt)), "vocab.json: unexpected data after the object at byte 9");
  EXPECT_EQ(message(create_error("{\"a\": 1}", v.merges_txt)), "vocab.json has no start-of-text token \"<|startoftext|>\"");
  EXPECT_EQ(message(create_error(v.vocab_json, "#version: 0.2\nr e\nrx\n")),
            "merges.txt line 3 must be two tokens separated by one space");
  EXPECT_EQ(message(create_error(v.vocab_json, "r e\n\nf o\n")), "merges.txt line 2 must be two tokens separated by one space");
  EXPECT_EQ(message(create_error(v.vocab_json, "r e\nz q\n")),
            "merges.txt merge 2 (\"z q\") uses \"zq\", which vocab.json lacks");
  EXPECT_EQ(message(create_error(v.vocab_json, "r e\nr e\n")), "merges.txt merge 2 (\"r e\") appears twice");
  EXPECT_EQ(message(create_error(v.vocab_json, "r e\xff\n")), "merges.txt is not valid UTF-8 (byte 3)");
  EXPECT_EQ(message(create_error(v.vocab_json, v.merges_txt, {.max_length = 1})), "max_length 1 must be in 2..4096");
  EXPECT_EQ(message(create_error(v.vocab_json, v.merges_txt, {.pad_token = "<pad>"})), "vocab.json has no pad token \"<pad>\"");
  EXPECT_TRUE(create_error(v.vocab_json, "r e\r\nf o\r\n").ok());  // CRLF
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(ClipTokenizerTest, LearnedTestVocabulary) {
  auto made = ClipTokenizer::create(read_file(HUABU_TEST_DATA_DIR "/clip-bpe/vocab.json"),
                                    read_file(HUABU_TEST_DATA_DIR "/clip-bpe/merges.txt"));
  ASSERT_TRUE(made.ok()) << made.status().to_string();
  ClipTokenizer t = std::move(made).value();
  EXPECT_EQ(t.vocabulary_size(), 3514u);
  EXPECT_EQ(t.bos_id(), 3512);
  EXPECT_EQ(t.eos_id(), 3513);
  // Ids checked against transformers.js' CLIPTokenizer with this vocabulary.
  EXPECT_EQ(*t.tokenize("a red fox, watercolor"), (std::vector<std::int64_t>{320, 740, 642, 343, 267, 958, 518, 2892, 337}));
  EXPECT_EQ(*t.tokenize("\xce\x91\xce\xa3"), (std::vector<std::int64_t>{138, 109, 139, 480}));  // "ΑΣ" -> "ας"
  EXPECT_EQ(*t.tokenize("it's"), (std::vector<std::int64_t>{941, 6, 338}));
  std::string long_prompt;
  for (int i = 0; i < 40; ++i) long_prompt += "red fox ";
  auto ids = t.encode(long_prompt);
  ASSERT_TRUE(ids.ok());
  ASSERT_EQ(ids->size(), 77u);
  EXPECT_EQ(ids->front(), t.bos_id());
  EXPECT_EQ(ids->back(), t.eos_id());
  const std::vector<std::int64_t> all = *t.tokenize(long_prompt);
  ASSERT_GT(all.size(), 75u);
  EXPECT_TRUE(std::equal(all.begin(), all.begin() + 75, ids->begin() + 1));  // bos, the first 75, eos
}

}  // namespace
}  // namespace huabu
