#include "huabu/diffusion_schedule.h"

#include <algorithm>
#include <cmath>

#include "base/str_cat.h"
#include "huabu/rng.h"

namespace huabu {
namespace {

using detail::str_cat;

Status check_steps(int train_steps, int steps) {
  if (train_steps < 2 || train_steps > 10'000) return invalid_argument(str_cat("train_steps ", train_steps, " must be in 2..10000"));
  if (steps < 1 || steps > train_steps) return invalid_argument(str_cat("steps ", steps, " must be in 1..", train_steps));
  return ok_status();
}

// numpy's round(): half to even (the default rounding mode; nearbyint keeps it).
double round_half_even(double x) { return std::nearbyint(x); }

// The spacings of Lin et al. (Table 2) as diffusers computes them, before any rounding
// ("linspace" is left fractional for Euler, rounded by DDIM).
std::vector<double> spaced_timesteps(int train_steps, int steps, TimestepSpacing spacing, int steps_offset) {
  std::vector<double> t(static_cast<std::size_t>(steps));
  for (int i = 0; i < steps; ++i) {
    const auto k = static_cast<std::size_t>(i);
    switch (spacing) {
      case TimestepSpacing::kLinspace: {  // linspace(0, T - 1, N) reversed, in float32 as diffusers
        const int j = steps - 1 - i;        // (numpy: j * step, the last exactly T - 1; N = 1 gives 0)
        t[k] = steps == 1 ? 0.0 : j == steps - 1 ? train_steps - 1.0
                                                 : static_cast<float>(j * (static_cast<double>(train_steps - 1) / (steps - 1)));
        break;
      }
      case TimestepSpacing::kLeading:  // (arange(N) * (T // N)) reversed + offset
        t[k] = static_cast<double>((steps - 1 - i) * (train_steps / steps) + steps_offset);
        break;
      case TimestepSpacing::kTrailing:  // round(arange(T, 0, -T / N)) - 1
        t[k] = round_half_even(train_steps - i * (static_cast<double>(train_steps) / steps)) - 1.0;
        break;
    }
  }
  return t;
}

Status check_offset(int train_steps, int steps, TimestepSpacing spacing, int steps_offset) {
  if (spacing != TimestepSpacing::kLeading) return ok_status();
  if (steps_offset < 0 || (steps - 1) * (train_steps / steps) + steps_offset >= train_steps) {
    return invalid_argument(str_cat("steps_offset ", steps_offset, " puts the first timestep past ", train_steps - 1));
  }
  return ok_status();
}

}  // namespace

Result<TimestepSpacing> parse_timestep_spacing(std::string_view name) {
  if (name == "linspace") return TimestepSpacing::kLinspace;
  if (name == "leading") return TimestepSpacing::kLeading;
  if (name == "trailing") return TimestepSpacing::kTrailing;
  return invalid_argument(str_cat("timestep_spacing \"", name, "\" must be linspace, leading or trailing"));
}

Result<std::vector<double>> scaled_linear_alphas_cumprod(const NoiseSchedule& s) {
  if (s.train_steps < 2 || s.train_steps > 10'000) {
    return invalid_argument(str_cat("num_train_timesteps ", s.train_steps, " must be in 2..10000"));
  }
  if (!(s.beta_start > 0 && s.beta_start < 1 && s.beta_end > 0 && s.beta_end < 1)) {
    return invalid_argument(str_cat("beta_start ", s.beta_start, " and beta_end ", s.beta_end, " must be in (0, 1)"));
  }
  const double r0 = std::sqrt(s.beta_start), r1 = std::sqrt(s.beta_end);
  std::vector<double> alphas_cumprod(static_cast<std::size_t>(s.train_steps));
  double product = 1.0;
  for (int i = 0; i < s.train_steps; ++i) {
    const double root = i == s.train_steps - 1 ? r1 : r0 + i * ((r1 - r0) / (s.train_steps - 1));
    product *= 1.0 - root * root;
    alphas_cumprod[static_cast<std::size_t>(i)] = product;
  }
  return alphas_cumprod;
}

Result<std::vector<int>> ddim_timesteps(int train_steps, int steps, TimestepSpacing spacing, int steps_offset) {
  HUABU_RETURN_IF_ERROR(check_steps(train_steps, steps));
  HUABU_RETURN_IF_ERROR(check_offset(train_steps, steps, spacing, steps_offset));
  std::vector<int> out;
  for (double t : spaced_timesteps(train_steps, steps, spacing, steps_offset)) {
    out.push_back(static_cast<int>(round_half_even(t)));
  }
  return out;
}

double ddim_previous_alpha(const std::vector<double>& alphas_cumprod, int t, int steps, bool set_alpha_to_one) {
  const int prev = t - static_cast<int>(alphas_cumprod.size()) / steps;
  if (prev >= 0) return alphas_cumprod[static_cast<std::size_t>(prev)];
  return set_alpha_to_one ? 1.0 : alphas_cumprod.front();
}

void ddim_step(std::span<const float> model_output, std::span<const float> sample, double alpha_t, double alpha_prev,
               std::span<float> out) {
  const double sa = std::sqrt(alpha_t), sb = std::sqrt(1.0 - alpha_t);
  const double sa_prev = std::sqrt(alpha_prev), sb_prev = std::sqrt(1.0 - alpha_prev);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const double eps = model_output[i];
    const double x0 = (sample[i] - sb * eps) / sa;
    out[i] = static_cast<float>(sa_prev * x0 + sb_prev * eps);
  }
}

Result<EulerSchedule> euler_ancestral_schedule(const std::vector<double>& alphas_cumprod, int steps,
                                               TimestepSpacing spacing, int steps_offset) {
  const int train_steps = static_cast<int>(alphas_cumprod.size());
  HUABU_RETURN_IF_ERROR(check_steps(train_steps, steps));
  HUABU_RETURN_IF_ERROR(check_offset(train_steps, steps, spacing, steps_offset));
  EulerSchedule s;
  s.timesteps = spaced_timesteps(train_steps, steps, spacing, steps_offset);
  auto sigma_at = [&](std::size_t i) { return std::sqrt((1.0 - alphas_cumprod[i]) / alphas_cumprod[i]); };
  for (double t : s.timesteps) {  // linear interpolation between integer timesteps (np.interp)
    const auto lo = static_cast<std::size_t>(std::floor(t));
    const double f = t - static_cast<double>(lo);
    s.sigmas.push_back(f == 0.0 ? sigma_at(lo) : (1.0 - f) * sigma_at(lo) + f * sigma_at(lo + 1));
  }
  s.sigmas.push_back(0.0);
  const double max_sigma = *std::max_element(s.sigmas.begin(), s.sigmas.end());
  // diffusers: the largest sigma for linspace / trailing, sqrt(max^2 + 1) for leading.
  s.init_noise_sigma = spacing == TimestepSpacing::kLeading ? std::sqrt(max_sigma * max_sigma + 1.0) : max_sigma;
  return s;
}

double euler_input_scale(double sigma) { return 1.0 / std::sqrt(sigma * sigma + 1.0); }

void euler_ancestral_step(std::span<const float> model_output, std::span<const float> sample, double sigma_from,
                          double sigma_to, std::span<const float> noise, std::span<float> out) {
  const double sigma_up =
      std::sqrt(sigma_to * sigma_to * (sigma_from * sigma_from - sigma_to * sigma_to) / (sigma_from * sigma_from));
  const double sigma_down = std::sqrt(sigma_to * sigma_to - sigma_up * sigma_up);
  const double dt = sigma_down - sigma_from;
  for (std::size_t i = 0; i < out.size(); ++i) {
    // x0 = x - sigma eps, so the ODE derivative (x - x0) / sigma is eps itself.
    const double x0 = sample[i] - sigma_from * model_output[i];
    const double derivative = (sample[i] - x0) / sigma_from;
    out[i] = static_cast<float>(sample[i] + derivative * dt + noise[i] * sigma_up);
  }
}

Result<std::vector<int>> lcm_timesteps(int train_steps, int steps, int original_steps) {
  if (original_steps < 1 || original_steps > train_steps) {
    return invalid_argument(str_cat("original_inference_steps ", original_steps, " must be in 1..", train_steps));
  }
  if (steps < 1 || steps > original_steps) {
    return invalid_argument(str_cat("steps ", steps, " must be in 1..", original_steps, " (original_inference_steps)"));
  }
  const int k = train_steps / original_steps;
  std::vector<int> out;
  for (int i = 0; i < steps; ++i) {
    // index floor(i * (original_steps / steps)) (numpy's linspace arithmetic) into the distillation timesteps, descending
    const int index = static_cast<int>(std::floor(i * (static_cast<double>(original_steps) / steps)));
    out.push_back((original_steps - index) * k - 1);
  }
  return out;
}

LcmScalings lcm_boundary_scalings(int t, double timestep_scaling) {
  constexpr double kSigmaData = 0.5;
  const double scaled = t * timestep_scaling;
  const double d = scaled * scaled + kSigmaData * kSigmaData;
  return {kSigmaData * kSigmaData / d, scaled / std::sqrt(d)};
}

void lcm_step(std::span<const float> model_output, std::span<const float> sample, int t, double alpha_t,
              double alpha_next, bool last, std::span<const float> noise, std::span<float> out,
              std::span<float> denoised) {
  const LcmScalings c = lcm_boundary_scalings(t);
  const double sa = std::sqrt(alpha_t), sb = std::sqrt(1.0 - alpha_t);
  const double sa_next = std::sqrt(alpha_next), sb_next = std::sqrt(1.0 - alpha_next);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const double x0 = (sample[i] - sb * model_output[i]) / sa;
    const double d = c.c_out * x0 + c.c_skip * sample[i];
    if (!denoised.empty()) denoised[i] = static_cast<float>(d);
    out[i] = static_cast<float>(last ? d : sa_next * d + sb_next * noise[i]);
  }
}

std::uint64_t ancestral_noise_stream(int image, int step) {
  return (std::uint64_t{1} << 63) | (static_cast<std::uint64_t>(static_cast<std::uint32_t>(image)) << 32) |
         static_cast<std::uint32_t>(step);
}

Result<std::vector<float>> ancestral_noise(std::uint64_t seed, int image, int step, std::int64_t count) {
  if (image < 0 || step < 0) return invalid_argument(str_cat("image ", image, " and step ", step, " must be >= 0"));
  return philox_normal(seed, ancestral_noise_stream(image, step), count);
}

}  // namespace huabu
