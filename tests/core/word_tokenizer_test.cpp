// The word tokenizer on a small hand-made vocabulary; ids for the real huabu-tiny files are
// compared with the reference tokenizer.mjs in tests/node/text-to-image.test.mjs.
#include "huabu/word_tokenizer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace huabu {
namespace {

WordTokenizer make() {
  const std::vector<std::string> words = {"<pad>", "<unk>", "a", "red", "apple", "cherry", "box", "dog",
                                          "hat", "cafe", "fox", "it", "s", "1"};
  const std::vector<std::pair<std::string, std::string>> zh = {
      {"红色", "red"}, {"红", "red dog"}, {"苹果", "apple"}, {"一只", "a"}, {"狐狸", "fox"}, {"帽子", "Café hat"}};
  auto t = WordTokenizer::create(words, zh);
  EXPECT_TRUE(t.ok()) << t.status().to_string();
  return std::move(t).value();
}

std::vector<std::string> words_of(const WordTokenizer& t, const std::string& text) {
  auto w = t.to_words(text);
  EXPECT_TRUE(w.ok()) << w.status().to_string();
  return w.ok() ? *w : std::vector<std::string>{};
}

TEST(WordTokenizerTest, EnglishWordsAreFoldedAndSplit) {
  const WordTokenizer t = make();
  EXPECT_EQ(words_of(t, "A Red-APPLE!!"), (std::vector<std::string>{"a", "red", "apple"}));
  EXPECT_EQ(words_of(t, "Café  naïve"), (std::vector<std::string>{"cafe", "naive"}));    // marks dropped
  EXPECT_EQ(words_of(t, "ＲＥＤ ① ﬁx"), (std::vector<std::string>{"red", "1", "fix"}));  // NFKD
  EXPECT_EQ(words_of(t, "Ωmega_dog"), (std::vector<std::string>{"mega", "dog"}));          // Greek, _ split
}

TEST(WordTokenizerTest, ApostropheRules) {
  const WordTokenizer t = make();
  EXPECT_EQ(words_of(t, "dog's hat"), (std::vector<std::string>{"dog", "hat"}));
  EXPECT_EQ(words_of(t, "dog\u2019s"), (std::vector<std::string>{"dog"}));
  EXPECT_EQ(words_of(t, "dog's_x"), (std::vector<std::string>{"dogs", "x"}));  // '_' is a word char for \b
  EXPECT_EQ(words_of(t, "it'sy don't"), (std::vector<std::string>{"itsy", "dont"}));
  EXPECT_EQ(words_of(t, "'s's"), (std::vector<std::string>{}));
}

TEST(WordTokenizerTest, PluralStemsThenUnknown) {
  const WordTokenizer t = make();
  EXPECT_EQ(t.id("apples"), 4);
  EXPECT_EQ(t.id("cherries"), 5);
  EXPECT_EQ(t.id("boxes"), 6);
  EXPECT_EQ(t.id("zebra"), kUnknownToken);
}

TEST(WordTokenizerTest, ChineseLongestMatchAndSkip) {
  const WordTokenizer t = make();
  EXPECT_EQ(words_of(t, "红色苹果"), (std::vector<std::string>{"red", "apple"}));   // 红色 beats 红
  EXPECT_EQ(words_of(t, "红苹果"), (std::vector<std::string>{"red", "dog", "apple"}));
  EXPECT_EQ(words_of(t, "画一只狐狸"), (std::vector<std::string>{"a", "fox"}));      // 画 unknown: skipped
  EXPECT_EQ(words_of(t, "red狐狸hat帽子"), (std::vector<std::string>{"red", "fox", "hat", "cafe", "hat"}));
  EXPECT_EQ(words_of(t, "한국 fox"), (std::vector<std::string>{"fox"}));  // Hangul: separators
}

TEST(WordTokenizerTest, EncodePadsAndTruncates) {
  const WordTokenizer t = make();
  auto ids = t.encode("a red apple", 16);
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(*ids, (std::vector<std::int64_t>{2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  for (const char* empty : {"", "   ", "!!!?", "\xcc\x81"}) {  // U+0301 alone folds to nothing
    auto e = t.encode(empty, 16);
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(*e, std::vector<std::int64_t>(16, kPadToken)) << empty;
  }
  std::string long_prompt;
  for (int i = 0; i < 2000; ++i) long_prompt += "apple ";  // 12,000 characters
  auto l = t.encode(long_prompt, 16);
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(*l, std::vector<std::int64_t>(16, 4));
  EXPECT_EQ(t.encode("a", 0).status().code(), StatusCode::kInvalidArgument);
}

TEST(WordTokenizerTest, RefusesMalformedUtf8AndHugePrompts) {
  const WordTokenizer t = make();
  for (const char* bad : {"a\xff", "\xe4\xb8", "\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80", "\x80"}) {
    auto r = t.encode(bad, 16);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find("UTF-8"), std::string::npos) << r.status().message();
  }
  auto huge = t.encode(std::string(kMaxPromptBytes + 1, 'a'), 16);
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.status().message().find("limit"), std::string::npos);
}

TEST(WordTokenizerTest, CreateChecksItsTables) {
  EXPECT_FALSE(WordTokenizer::create({"a", "b"}, {}).ok());
  EXPECT_FALSE(WordTokenizer::create({"<pad>", "<unk>", "a", "a"}, {}).ok());
  EXPECT_FALSE(WordTokenizer::create({"<pad>", "<unk>"}, {{"红 色", "red"}}).ok());
  EXPECT_FALSE(WordTokenizer::create({"<pad>", "<unk>"}, {{"\xff", "red"}}).ok());
  EXPECT_TRUE(WordTokenizer::create({"<pad>", "<unk>"}, {{"ＲＥＤ红", "red"}}).ok());  // folds to "red红"
}

}  // namespace
}  // namespace huabu
