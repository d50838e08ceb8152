// huabu/rng.h: Philox4x32-10 counter-based random numbers (Salmon, Moraes, Dror, Shaw,
// "Parallel random numbers: as easy as 1, 2, 3", SC 2011), bit-identical on every platform.
//
//   huabu::Philox rng(/*seed=*/42, /*stream=*/0);
//   std::vector<float> noise(4 * 64 * 64);
//   rng.fill_normal(noise);                     // same floats native and in the browser
//   std::uint32_t word = huabu::Philox(42, 1).next_u32();
//
// Layout: key = {seed low 32 bits, seed high 32 bits}; block n (n = 0, 1, ...) is
// philox4x32_10(counter = {n low, n high, stream low, stream high}, key), giving four u32
// words in order. A fresh generator yields word 0 of block 0 first.
// Uniform: (u >> 8) * 2^-24, in [0, 1) on a 2^-24 grid.
// Normal: Box-Muller on consecutive word pairs (a, b): r = sqrt(-2 ln(((a >> 8) + 1) * 2^-24)),
// t = 2 pi (b >> 8) 2^-24, giving r cos t then r sin t. ln/sin/cos are the core's own
// (IEEE basic operations only, no libm, no FMA), so normals are bit-identical native and wasm.
//
// Ownership: plain value type. Threading: a Philox object is not synchronised; give each
// thread its own (e.g. a distinct stream), or compute blocks directly with philox4x32_10.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "huabu/status.h"

namespace huabu {

using PhiloxCounter = std::array<std::uint32_t, 4>;
using PhiloxKey = std::array<std::uint32_t, 2>;

// The raw 10-round bijection (matches Random123's philox4x32_10 known-answer vectors).
[[nodiscard]] PhiloxCounter philox4x32_10(PhiloxCounter counter, PhiloxKey key);

// Uniform float in [0, 1) from one word.
[[nodiscard]] float uniform_from_u32(std::uint32_t word);
// Two standard normals from two words (Box-Muller as described above).
[[nodiscard]] std::array<float, 2> normals_from_u32(std::uint32_t a, std::uint32_t b);

class Philox {
 public:
  explicit Philox(std::uint64_t seed, std::uint64_t stream = 0);

  [[nodiscard]] std::uint32_t next_u32();
  [[nodiscard]] float next_uniform();
  // Consumes two words per pair of normals; the second of a pair is kept for the next call.
  [[nodiscard]] float next_normal();

  void fill_u32(std::span<std::uint32_t> out);
  void fill_uniform(std::span<float> out);
  void fill_normal(std::span<float> out);

  // Restarts at word 0 of block `block` (drops any buffered words and normals).
  void seek_block(std::uint64_t block);

 private:
  void refill();

  PhiloxKey key_;
  std::uint64_t stream_;
  std::uint64_t next_block_ = 0;
  PhiloxCounter buffer_{};
  int buffered_ = 0;  // words of buffer_ not yet handed out (taken from the front)
  float spare_normal_ = 0.0f;
  bool has_spare_normal_ = false;
};

// Convenience for callers that want a whole buffer (e.g. the wasm boundary): `count` values
// from a fresh Philox(seed, stream). count must be in 0..kMaxRandomCount.
inline constexpr std::int64_t kMaxRandomCount = std::int64_t{1} << 26;  // 256 MiB of output
[[nodiscard]] Result<std::vector<std::uint32_t>> philox_u32(std::uint64_t seed, std::uint64_t stream,
                                                            std::int64_t count);
[[nodiscard]] Result<std::vector<float>> philox_normal(std::uint64_t seed, std::uint64_t stream,
                                                       std::int64_t count);

}  // namespace huabu
