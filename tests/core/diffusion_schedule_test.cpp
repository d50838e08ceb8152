// The diffusers-layout schedules and sampler steps against golden values from an independent
// numpy restatement (tests/data/diffusion/make_golden.py -> golden.inc): timesteps, sigmas,
// alphas_cumprod, and whole sampling loops with a fake epsilon model on fixed arrays.
#include "huabu/diffusion_schedule.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "huabu/rng.h"

namespace huabu {
namespace {

#include "diffusion/golden.inc"

constexpr double kTol = 1e-5;
constexpr int kN = 8;

std::vector<double> alphas() {
  auto a = scaled_linear_alphas_cumprod({});
  EXPECT_TRUE(a.ok());
  return *a;
}

// Mirrors make_golden.py's fake model and fixed arrays.
std::vector<float> x_init() {
  std::vector<float> x(kN);
  for (int i = 0; i < kN; ++i) x[i] = static_cast<float>(std::sin(1.3 * i + 0.2));
  return x;
}
std::vector<float> fake_eps(const std::vector<float>& x, double t) {
  std::vector<float> e(kN);
  for (int i = 0; i < kN; ++i) e[i] = static_cast<float>(0.6 * x[i] + 0.1 * std::cos(t / 37.0 + i));
  return e;
}
std::vector<float> fixed_noise(int step) {
  std::vector<float> n(kN);
  for (int i = 0; i < kN; ++i) n[i] = static_cast<float>(std::cos(0.7 * i + 1.9 * step) * 1.1);
  return n;
}

void expect_near(const std::vector<float>& got, const std::vector<float>& want, const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], kTol * (1 + std::fabs(want[i]))) << what << " [" << i << "]";
}

TEST(DiffusionScheduleTest, ScaledLinearAlphasCumprod) {
  const std::vector<double> a = alphas();
  ASSERT_EQ(a.size(), 1000u);
  for (std::size_t i = 0; i < std::size(kAlphaProbe); ++i) EXPECT_NEAR(a[kAlphaProbe[i]], kAlphaGolden[i], 1e-12) << kAlphaProbe[i];
}

TEST(DiffusionScheduleTest, DdimTimestepsAndLoop) {
  const std::vector<double> a = alphas();
  for (const DdimCase& c : kDdimCases) {
    const std::string what = std::string("ddim ") + c.spacing + " " + std::to_string(c.steps);
    auto ts = ddim_timesteps(1000, c.steps, *parse_timestep_spacing(c.spacing), c.offset);
    ASSERT_TRUE(ts.ok()) << ts.status().to_string();
    EXPECT_EQ(*ts, c.timesteps) << what;
    std::vector<float> x = x_init(), next(kN);
    for (int t : *ts) {
      ddim_step(fake_eps(x, t), x, a[t], ddim_previous_alpha(a, t, c.steps, c.alpha_one), next);
      x = next;
    }
    expect_near(x, c.final_sample, what);
  }
}

TEST(DiffusionScheduleTest, EulerAncestralScheduleAndLoop) {
  const std::vector<double> a = alphas();
  for (const EulerCase& c : kEulerCases) {
    const std::string what = std::string("euler-a ") + c.spacing + " " + std::to_string(c.steps);
    auto s = euler_ancestral_schedule(a, c.steps, *parse_timestep_spacing(c.spacing), c.offset);
    ASSERT_TRUE(s.ok()) << s.status().to_string();
    ASSERT_EQ(s->timesteps.size(), c.timesteps.size()) << what;
    for (std::size_t i = 0; i < c.timesteps.size(); ++i) EXPECT_NEAR(s->timesteps[i], c.timesteps[i], 1e-9) << what;
    ASSERT_EQ(s->sigmas.size(), c.sigmas.size()) << what;
    for (std::size_t i = 0; i < c.sigmas.size(); ++i) EXPECT_NEAR(s->sigmas[i], c.sigmas[i], 1e-9 * (1 + c.sigmas[i])) << what;
    EXPECT_NEAR(s->init_noise_sigma, c.init_noise_sigma, 1e-9) << what;
    std::vector<float> x = x_init(), next(kN), model_in(kN);
    for (float& v : x) v = static_cast<float>(v * s->init_noise_sigma);
    for (int i = 0; i < c.steps; ++i) {
      const double scale = euler_input_scale(s->sigmas[i]);
      for (int k = 0; k < kN; ++k) model_in[k] = static_cast<float>(x[k] * scale);
      euler_ancestral_step(fake_eps(model_in, s->timesteps[i]), x, s->sigmas[i], s->sigmas[i + 1], fixed_noise(i), next);
      x = next;
    }
    expect_near(x, c.final_sample, what);
  }
}

TEST(DiffusionScheduleTest, LcmTimestepsAndLoop) {
  const std::vector<double> a = alphas();
  for (const LcmCase& c : kLcmCases) {
    const std::string what = "lcm " + std::to_string(c.steps);
    auto ts = lcm_timesteps(1000, c.steps, 50);
    ASSERT_TRUE(ts.ok()) << ts.status().to_string();
    EXPECT_EQ(*ts, c.timesteps) << what;
    std::vector<float> x = x_init(), next(kN), denoised(kN);
    for (std::size_t i = 0; i < ts->size(); ++i) {
      const int t = (*ts)[i];
      const bool last = i + 1 == ts->size();
      const int t_next = last ? t : (*ts)[i + 1];
      lcm_step(fake_eps(x, t), x, t, a[t], a[t_next], last, fixed_noise(static_cast<int>(i)), next, denoised);
      if (last) EXPECT_EQ(next, denoised) << what;  // no noise after the last step
      x = next;
    }
    expect_near(x, c.final_sample, what);
  }
  // Boundary scalings at t = 0 keep the sample (c_skip = 1, c_out = 0).
  EXPECT_EQ(lcm_boundary_scalings(0).c_skip, 1.0);
  EXPECT_EQ(lcm_boundary_scalings(0).c_out, 0.0);
}

TEST(DiffusionScheduleTest, AncestralNoiseIsSeededPhilox) {
  auto n = ancestral_noise(42, 1, 3, 16);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, *philox_normal(42, ancestral_noise_stream(1, 3), 16));
  // The first values, bit for bit, as the native build computes them: the wasm run of this
  // test checks that both builds draw the same noise.
  const std::vector<float> first = {0x1.3be8ep+0f, 0x1.b68764p+0f, -0x1.5c9302p+0f, 0x1.5e848ap-3f};
  EXPECT_EQ(std::vector<float>(n->begin(), n->begin() + 4), first);
  EXPECT_NE(*n, *ancestral_noise(42, 1, 4, 16));
  EXPECT_NE(*n, *ancestral_noise(42, 2, 3, 16));
  EXPECT_NE(ancestral_noise_stream(0, 0), 0u);  // disjoint from the initial-noise streams 0..7
  EXPECT_FALSE(ancestral_noise(42, -1, 0, 4).ok());
}

TEST(DiffusionScheduleTest, RefusesBadArguments) {
  EXPECT_EQ(parse_timestep_spacing("karras").status().message(),
            "timestep_spacing \"karras\" must be linspace, leading or trailing");
  EXPECT_EQ(ddim_timesteps(1000, 0, TimestepSpacing::kTrailing, 0).status().message(), "steps 0 must be in 1..1000");
  EXPECT_EQ(ddim_timesteps(1000, 1001, TimestepSpacing::kTrailing, 0).status().message(), "steps 1001 must be in 1..1000");
  EXPECT_EQ(ddim_timesteps(1000, 1, TimestepSpacing::kLeading, 1000).status().message(),
            "steps_offset 1000 puts the first timestep past 999");
  EXPECT_EQ(lcm_timesteps(1000, 51, 50).status().message(), "steps 51 must be in 1..50 (original_inference_steps)");
  EXPECT_EQ(lcm_timesteps(1000, 4, 0).status().message(), "original_inference_steps 0 must be in 1..1000");
  EXPECT_FALSE(scaled_linear_alphas_cumprod({.train_steps = 1}).ok());
  EXPECT_FALSE(scaled_linear_alphas_cumprod({.beta_end = 1.5}).ok());
  EXPECT_FALSE(euler_ancestral_schedule(alphas(), 0, TimestepSpacing::kLinspace, 0).ok());
}

}  // namespace
}  // namespace huabu
