// huabu/diffusion_schedule.h: the schedules and sampler steps of diffusers-layout models
// (epsilon-prediction UNets trained on a discrete 1000-step schedule, as Stable Diffusion).
// Pure functions: the caller owns the loop, the model and the buffers. Math in double, samples
// stored as float32. Each sampler follows the published method and the behaviour of the
// corresponding Hugging Face diffusers scheduler (configuration names in brackets):
//
//   DDIM, eta = 0 (Song, Meng, Ermon, "Denoising Diffusion Implicit Models", ICLR 2021;
//     diffusers DDIMScheduler): x_{t'} = sqrt(a') x0 + sqrt(1 - a') eps with
//     x0 = (x_t - sqrt(1 - a_t) eps) / sqrt(a_t), t' = t - train_steps / steps (integer
//     division, as diffusers, whatever the spacing); past t = 0, a' = 1 [set_alpha_to_one] or
//     alphas_cumprod[0].
//   Euler ancestral (Karras et al., "Elucidating the Design Space of Diffusion-Based Generative
//     Models", NeurIPS 2022, with the ancestral step of Crowson's k-diffusion; diffusers
//     EulerAncestralDiscreteScheduler): sigma = sqrt((1 - a) / a) interpolated at the
//     timesteps, the model sees x / sqrt(sigma^2 + 1), x0 = x - sigma eps, then a step to
//     sigma_down and fresh noise of size sigma_up.
//   LCM (Luo et al., "Latent Consistency Models", 2023; diffusers LCMScheduler): timesteps are
//     evenly spaced indices into the distillation schedule (k = train_steps / original_steps,
//     t = k j - 1); denoised = c_out x0 + c_skip x_t with the boundary-condition scalings
//     c_skip = s^2 / ((10 t)^2 + s^2), c_out = 10 t / sqrt((10 t)^2 + s^2), s = 0.5; then
//     re-noised to the next timestep except after the last step.
// Timestep spacings are those of Lin et al., "Common Diffusion Noise Schedules and Sample Steps
// are Flawed", WACV 2024, Table 2 (linspace / leading / trailing), rounded half to even as numpy.
// The beta schedule is SD's "scaled_linear": beta_i = (sqrt(b0) + i (sqrt(b1) - sqrt(b0)) / (N - 1))^2.
// diffusers computes these in float32 (torch); we compute in double (differences ~1e-6 relative).
//
// Noise: Euler-a and LCM need fresh noise each step; ancestral_noise() gives it from the
// core's Philox (huabu/rng.h) so native and wasm agree bit for bit.
// Threading: all functions are pure.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "huabu/status.h"

namespace huabu {

enum class TimestepSpacing { kLinspace, kLeading, kTrailing };
// "linspace" / "leading" / "trailing" (scheduler_config.json's timestep_spacing).
[[nodiscard]] Result<TimestepSpacing> parse_timestep_spacing(std::string_view name);

// The training noise schedule (scheduler_config.json: num_train_timesteps, beta_start,
// beta_end, beta_schedule "scaled_linear"; SD 1.x/2.x values by default).
struct NoiseSchedule {
  int train_steps = 1000;
  double beta_start = 0.00085;
  double beta_end = 0.012;
};
// alphas_cumprod[i] = prod_{j <= i} (1 - beta_j), i = 0 .. train_steps - 1. Errors: train_steps
// outside 2..10000, betas outside (0, 1).
[[nodiscard]] Result<std::vector<double>> scaled_linear_alphas_cumprod(const NoiseSchedule& schedule);

// ---- DDIM ----
// Descending integer timesteps for `steps` (1..train_steps) sampler steps; steps_offset is
// added for "leading" (SD configs use 1). Errors name the bad value.
[[nodiscard]] Result<std::vector<int>> ddim_timesteps(int train_steps, int steps, TimestepSpacing spacing,
                                                      int steps_offset);
// alphas_cumprod at t - train_steps / steps, or the final value past 0.
[[nodiscard]] double ddim_previous_alpha(const std::vector<double>& alphas_cumprod, int t, int steps,
                                         bool set_alpha_to_one);
// One eta = 0 step: out = the sample at the previous timestep. All spans the same size.
void ddim_step(std::span<const float> model_output, std::span<const float> sample, double alpha_t,
               double alpha_prev, std::span<float> out);

// ---- Euler ancestral ----
struct EulerSchedule {
  std::vector<double> timesteps;  // steps values, descending, given to the model as-is
  std::vector<double> sigmas;     // steps + 1 values, the last 0
  double init_noise_sigma = 1;    // initial noise = N(0, 1) * init_noise_sigma
};
[[nodiscard]] Result<EulerSchedule> euler_ancestral_schedule(const std::vector<double>& alphas_cumprod, int steps,
                                                             TimestepSpacing spacing, int steps_offset);
// The model input is sample * euler_input_scale(sigma).
[[nodiscard]] double euler_input_scale(double sigma);
// One step from sigma_from to sigma_to (> 0 or the final 0) with standard normal `noise`.
void euler_ancestral_step(std::span<const float> model_output, std::span<const float> sample, double sigma_from,
                          double sigma_to, std::span<const float> noise, std::span<float> out);

// ---- LCM ----
// Descending timesteps; steps in 1..original_steps, original_steps in 1..train_steps.
[[nodiscard]] Result<std::vector<int>> lcm_timesteps(int train_steps, int steps, int original_steps);
struct LcmScalings {
  double c_skip = 0;
  double c_out = 0;
};
[[nodiscard]] LcmScalings lcm_boundary_scalings(int t, double timestep_scaling = 10.0);
// One step at timestep t (alpha_t = alphas_cumprod[t]); alpha_next = alphas_cumprod at the
// next timestep of the schedule. `noise` is used unless `last` (then out = denoised).
// denoised (may be empty) receives the step's clean estimate, e.g. for previews.
void lcm_step(std::span<const float> model_output, std::span<const float> sample, int t, double alpha_t,
              double alpha_next, bool last, std::span<const float> noise, std::span<float> out,
              std::span<float> denoised = {});

// ---- noise ----
// Philox stream of image `image`'s noise for sampler step `step` (the initial noise uses
// streams 0.. as in text_to_image.h; these are disjoint: high bit set).
[[nodiscard]] std::uint64_t ancestral_noise_stream(int image, int step);
// count standard normals = philox_normal(seed, ancestral_noise_stream(image, step), count).
[[nodiscard]] Result<std::vector<float>> ancestral_noise(std::uint64_t seed, int image, int step, std::int64_t count);

}  // namespace huabu
