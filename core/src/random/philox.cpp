#include <cmath>

#include "huabu/rng.h"
#include "math/det_math.h"

namespace huabu {
namespace {

// Multipliers and Weyl key increments of Philox4x32 (Salmon et al. 2011, table 2).
constexpr std::uint32_t kPhiloxM0 = 0xD2511F53u;
constexpr std::uint32_t kPhiloxM1 = 0xCD9E8D57u;
constexpr std::uint32_t kPhiloxW0 = 0x9E3779B9u;  // golden ratio
constexpr std::uint32_t kPhiloxW1 = 0xBB67AE85u;  // sqrt(3) - 1

constexpr float kTwoPowMinus24 = 1.0f / 16777216.0f;

PhiloxCounter round(PhiloxCounter c, PhiloxKey k) {
  const std::uint64_t p0 = std::uint64_t{kPhiloxM0} * c[0];
  const std::uint64_t p1 = std::uint64_t{kPhiloxM1} * c[2];
  const auto hi0 = static_cast<std::uint32_t>(p0 >> 32), lo0 = static_cast<std::uint32_t>(p0);
  const auto hi1 = static_cast<std::uint32_t>(p1 >> 32), lo1 = static_cast<std::uint32_t>(p1);
  return {hi1 ^ c[1] ^ k[0], lo1, hi0 ^ c[3] ^ k[1], lo0};
}

}  // namespace

PhiloxCounter philox4x32_10(PhiloxCounter counter, PhiloxKey key) {
  for (int r = 0; r < 10; ++r) {
    if (r > 0) {  // the key schedule bumps the key before rounds 2..10
      key[0] += kPhiloxW0;
      key[1] += kPhiloxW1;
    }
    counter = round(counter, key);
  }
  return counter;
}

float uniform_from_u32(std::uint32_t word) { return static_cast<float>(word >> 8) * kTwoPowMinus24; }

std::array<float, 2> normals_from_u32(std::uint32_t a, std::uint32_t b) {
  // u1 in (0, 1] so the log is finite; t = 2 u2 in [0, 2) so the angle is pi * t.
  const double u1 = static_cast<double>((a >> 8) + 1) * (1.0 / 16777216.0);
  const double t = static_cast<double>(b >> 8) * (1.0 / 8388608.0);
  const double r = std::sqrt(-2.0 * detail::log_det(u1));
  return {static_cast<float>(r * detail::cos_pi(t)), static_cast<float>(r * detail::sin_pi(t))};
}

Philox::Philox(std::uint64_t seed, std::uint64_t stream)
    : key_{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}, stream_(stream) {}

void Philox::refill() {
  const PhiloxCounter counter = {static_cast<std::uint32_t>(next_block_),
                                 static_cast<std::uint32_t>(next_block_ >> 32),
                                 static_cast<std::uint32_t>(stream_), static_cast<std::uint32_t>(stream_ >> 32)};
  buffer_ = philox4x32_10(counter, key_);
  buffered_ = 4;
  ++next_block_;
}

std::uint32_t Philox::next_u32() {
  if (buffered_ == 0) refill();
  return buffer_[4 - buffered_--];
}

float Philox::next_uniform() { return uniform_from_u32(next_u32()); }

float Philox::next_normal() {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return spare_normal_;
  }
  const std::uint32_t a = next_u32();
  const std::uint32_t b = next_u32();
  const std::array<float, 2> z = normals_from_u32(a, b);
  spare_normal_ = z[1];
  has_spare_normal_ = true;
  return z[0];
}

void Philox::fill_u32(std::span<std::uint32_t> out) {
  for (std::uint32_t& v : out) v = next_u32();
}

void Philox::fill_uniform(std::span<float> out) {
  for (float& v : out) v = next_uniform();
}

void Philox::fill_normal(std::span<float> out) {
  for (float& v : out) v = next_normal();
}

void Philox::seek_block(std::uint64_t block) {
  next_block_ = block;
  buffered_ = 0;
  has_spare_normal_ = false;
}

}  // namespace huabu
