#include "huabu/rng.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace huabu {
namespace {

// Known-answer vectors for philox4x32_10 from Random123's tests/kat_vectors (D. E. Shaw
// Research, the reference implementation accompanying Salmon et al. 2011): counter (4 words),
// key (2 words) -> output (4 words). Cross-checked against several independent
// implementations that quote the same three lines.
struct Kat {
  PhiloxCounter counter;
  PhiloxKey key;
  PhiloxCounter expected;
};
constexpr Kat kKats[] = {
    {{0x00000000, 0x00000000, 0x00000000, 0x00000000}, {0x00000000, 0x00000000},
     {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
    {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff},
     {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
    {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0},
     {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
};

TEST(PhiloxTest, MatchesRandom123KnownAnswers) {
  for (const Kat& k : kKats) EXPECT_EQ(philox4x32_10(k.counter, k.key), k.expected);
}

TEST(PhiloxTest, SeedStreamAndBlockMapOntoKeyAndCounter) {
  // key = {seed lo, seed hi}; counter = {block lo, block hi, stream lo, stream hi}.
  for (const Kat& k : kKats) {
    const std::uint64_t seed = (std::uint64_t{k.key[1]} << 32) | k.key[0];
    const std::uint64_t block = (std::uint64_t{k.counter[1]} << 32) | k.counter[0];
    const std::uint64_t stream = (std::uint64_t{k.counter[3]} << 32) | k.counter[2];
    Philox rng(seed, stream);
    rng.seek_block(block);
    for (int i = 0; i < 4; ++i) EXPECT_EQ(rng.next_u32(), k.expected[i]);
  }
  Philox zero(0, 0);
  EXPECT_EQ(zero.next_u32(), 0x6627e8d5u);  // a fresh generator starts at block 0, word 0
}

TEST(PhiloxTest, BlocksAdvanceAndStreamsDiffer) {
  Philox a(42, 0), b(42, 1);
  std::vector<std::uint32_t> wa(8), wb(8);
  a.fill_u32(wa);
  b.fill_u32(wb);
  EXPECT_NE(wa, wb);
  const PhiloxCounter block1 = philox4x32_10({1, 0, 0, 0}, {42, 0});
  for (int i = 0; i < 4; ++i) EXPECT_EQ(wa[4 + i], block1[i]);
  auto buffer = philox_u32(42, 0, 8);
  ASSERT_TRUE(buffer.ok());
  EXPECT_EQ(*buffer, wa);
}

TEST(PhiloxTest, UniformIsTopTwentyFourBits) {
  EXPECT_EQ(uniform_from_u32(0), 0.0f);
  EXPECT_EQ(uniform_from_u32(0xffffffffu), 16777215.0f / 16777216.0f);
  EXPECT_EQ(uniform_from_u32(0x80000000u), 0.5f);
  Philox rng(7);
  std::vector<float> u(100000);
  rng.fill_uniform(u);
  double sum = 0;
  for (float v : u) {
    ASSERT_GE(v, 0.0f);
    ASSERT_LT(v, 1.0f);
    sum += v;
  }
  EXPECT_NEAR(sum / u.size(), 0.5, 0.005);
}

TEST(PhiloxTest, BoxMullerEdgeCases) {
  // a>>8 = 2^24-1 gives u1 = 1, so r = 0; a = 0 gives the largest radius sqrt(2*24*ln2).
  auto z = normals_from_u32(0xffffffffu, 0x12345678u);
  EXPECT_EQ(z[0], 0.0f);
  EXPECT_EQ(z[1], 0.0f);
  z = normals_from_u32(0, 0);  // angle 0: (r, 0)
  EXPECT_NEAR(z[0], std::sqrt(2.0 * 24.0 * std::log(2.0)), 1e-5);
  EXPECT_EQ(z[1], 0.0f);
  z = normals_from_u32(0, 0x40000000u);  // angle pi/2: (0, r)
  EXPECT_NEAR(z[0], 0.0f, 1e-6);
  EXPECT_NEAR(z[1], std::sqrt(2.0 * 24.0 * std::log(2.0)), 1e-5);
}

TEST(PhiloxTest, NormalsHaveUnitMoments) {
  auto n = philox_normal(2024, 3, 200000);
  ASSERT_TRUE(n.ok());
  double sum = 0, sq = 0, quart = 0;
  for (float v : *n) {
    ASSERT_TRUE(std::isfinite(v));
    sum += v;
    sq += double{v} * v;
    quart += double{v} * v * v * v;
  }
  const double count = static_cast<double>(n->size());
  EXPECT_NEAR(sum / count, 0.0, 0.01);
  EXPECT_NEAR(sq / count, 1.0, 0.015);
  EXPECT_NEAR(quart / count, 3.0, 0.1);
}

TEST(PhiloxTest, NormalsComeInPairsFromWordPairs) {
  Philox words(5, 9), normals(5, 9);
  const std::uint32_t a = words.next_u32(), b = words.next_u32();
  const auto z = normals_from_u32(a, b);
  EXPECT_EQ(normals.next_normal(), z[0]);
  EXPECT_EQ(normals.next_normal(), z[1]);
  normals.seek_block(0);
  EXPECT_EQ(normals.next_normal(), z[0]);
}

TEST(PhiloxTest, BufferHelpersValidateCount) {
  EXPECT_EQ(philox_u32(1, 0, -1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(philox_normal(1, 0, -1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(philox_u32(1, 0, kMaxRandomCount + 1).status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(philox_normal(1, 0, kMaxRandomCount + 1).status().code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(philox_u32(1, 0, 0).ok());
  EXPECT_TRUE(philox_u32(1, 0, 0)->empty());
}

}  // namespace
}  // namespace huabu
