#include "base/alloc.h"
#include "base/str_cat.h"
#include "huabu/rng.h"

namespace huabu {
namespace {

Status check_count(std::int64_t count) {
  if (count < 0) return invalid_argument(detail::str_cat("count ", count, " must be in 0..", kMaxRandomCount));
  if (count > kMaxRandomCount) {
    return resource_exhausted(detail::str_cat("count ", count, " exceeds the maximum ", kMaxRandomCount));
  }
  return ok_status();
}

}  // namespace

Result<std::vector<std::uint32_t>> philox_u32(std::uint64_t seed, std::uint64_t stream, std::int64_t count) {
  HUABU_RETURN_IF_ERROR(check_count(count));
  auto made = detail::try_make_vector<std::uint32_t>(static_cast<std::size_t>(count), "philox_u32");
  if (!made.ok()) return made.status();
  std::vector<std::uint32_t> out = std::move(made).value();
  Philox(seed, stream).fill_u32(out);
  return out;
}

Result<std::vector<float>> philox_normal(std::uint64_t seed, std::uint64_t stream, std::int64_t count) {
  HUABU_RETURN_IF_ERROR(check_count(count));
  auto made = detail::try_make_vector<float>(static_cast<std::size_t>(count), "philox_normal");
  if (!made.ok()) return made.status();
  std::vector<float> out = std::move(made).value();
  Philox(seed, stream).fill_normal(out);
  return out;
}

}  // namespace huabu
