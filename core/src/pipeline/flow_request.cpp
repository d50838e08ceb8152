// Requests of the text -> image pipeline: names, seeds, limits.
#include <cmath>

#include "base/str_cat.h"
#include "huabu/text_to_image.h"

namespace huabu {

using detail::str_cat;

Result<FlowSampler> parse_flow_sampler(std::string_view name) {
  if (name == "euler") return FlowSampler::kEuler;
  if (name == "heun") return FlowSampler::kHeun;
  return invalid_argument(str_cat("sampler \"", name, "\" is not one of euler, heun"));
}

std::string_view flow_sampler_name(FlowSampler sampler) {
  return sampler == FlowSampler::kEuler ? "euler" : "heun";
}

Result<std::uint64_t> parse_seed(std::string_view decimal) {
  if (decimal.empty() || decimal.size() > 20) {
    return invalid_argument(str_cat("seed \"", decimal, "\" must be a decimal integer in 0..18446744073709551615"));
  }
  std::uint64_t value = 0;
  for (char c : decimal) {
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (c < '0' || c > '9' || value > (UINT64_MAX - digit) / 10) {
      return invalid_argument(str_cat("seed \"", decimal, "\" must be a decimal integer in 0..18446744073709551615"));
    }
    value = value * 10 + digit;
  }
  return value;
}

FlowModelSpec huabu_tiny_spec() { return FlowModelSpec{}; }

namespace {

Status check_range(const char* name, double v, double lo, double hi) {
  if (!std::isfinite(v) || v < lo || v > hi) return invalid_argument(str_cat(name, " ", v, " must be in ", lo, "..", hi));
  return ok_status();
}

Status check_values(const char* name, const std::vector<float>& values, std::size_t expected, float lo, float hi) {
  if (values.size() != expected) {
    return invalid_argument(str_cat(name, " has ", values.size(), " values, expected ", expected));
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!(values[i] >= lo && values[i] <= hi)) {
      return invalid_argument(str_cat(name, "[", i, "] = ", values[i], " is outside ", lo, "..", hi));
    }
  }
  return ok_status();
}

}  // namespace

Status validate_request(const TextToImageRequest& r, const FlowModelSpec& spec) {
  if (r.style < 0 || r.style >= spec.styles) return invalid_argument(str_cat("style ", r.style, " must be in 0..", spec.styles - 1));
  if (r.count < 1 || r.count > kMaxImagesPerRequest) {
    return invalid_argument(str_cat("count ", r.count, " must be in 1..", kMaxImagesPerRequest));
  }
  if (r.steps < 1 || r.steps > kMaxSteps) return invalid_argument(str_cat("steps ", r.steps, " must be in 1..", kMaxSteps));
  HUABU_RETURN_IF_ERROR(check_range("guidance", r.guidance, 0.0, 30.0));
  HUABU_RETURN_IF_ERROR(check_range("guidanceAbove", r.guidance_above, 0.0, 1.0));
  HUABU_RETURN_IF_ERROR(check_range("shift", r.shift, 0.01, 100.0));
  if (r.preview_every < 0 || r.preview_every > r.steps) {
    return invalid_argument(str_cat("previewEvery ", r.preview_every, " must be in 0..", r.steps, " (steps)"));
  }
  HUABU_RETURN_IF_ERROR(check_range("strength", r.strength, 0.0, 1.0));
  const std::size_t plane = static_cast<std::size_t>(spec.size) * spec.size;
  if (!r.init_image.empty()) {
    HUABU_RETURN_IF_ERROR(check_values("initImage", r.init_image, plane * spec.channels, -1.0f, 1.0f));
    if (static_cast<int>(std::floor(r.steps * r.strength)) < 1) {
      return invalid_argument(str_cat("strength ", r.strength, " x steps ", r.steps, " leaves no step to run"));
    }
  } else if (r.strength != 1.0) {
    return invalid_argument("strength needs an initImage");
  }
  if (!r.mask.empty()) {
    if (r.init_image.empty()) return invalid_argument("mask needs an initImage (the pixels to keep)");
    HUABU_RETURN_IF_ERROR(check_values("mask", r.mask, plane, 0.0f, 1.0f));
  }
  return ok_status();
}

}  // namespace huabu
