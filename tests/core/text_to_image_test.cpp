// Bookkeeping of the sans-IO text -> image pipeline, driven by fake "models" (closed-form
// velocity fields): action order, tensors, noise, sampler maths, previews, cancellation,
// image-to-image, masks, validation. Parity with the real huabu-tiny graphs and
// models/tiny/sampler.mjs is tested in tests/node/text-to-image.test.mjs.
#include "huabu/text_to_image.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

#include "huabu/rng.h"

namespace huabu {
namespace {

constexpr std::size_t kPer = 3 * 32 * 32;

WordTokenizer tokenizer() {
  return std::move(WordTokenizer::create({"<pad>", "<unk>", "a", "red", "apple"}, {{"苹果", "apple"}})).value();
}

// velocity(sample row r of the batch: doubled on guided steps, t, cond row) for every element.
using Velocity = std::function<float(std::size_t row, std::size_t i, float x, float t)>;

struct FakeRun {
  std::vector<float> images;
  int denoiser_calls = 0;
  std::vector<int> preview_steps;
  std::vector<float> first_sample;
  std::vector<float> timesteps;
  std::vector<std::int64_t> rows;       // the denoiser's batch, call by call
  std::vector<std::int64_t> cond_rows;  // and the rows of cond it was given
};

ModelTensor fake_cond(int batch) {
  return {"cond", TensorDtype::kFloat32, {2 * batch, 256}, std::vector<float>(2 * batch * 256, 0.5f), {}};
}

FakeRun drive(TextToImagePipeline& p, int batch, const Velocity& velocity) {
  FakeRun run;
  for (;;) {
    auto a = p.next();
    EXPECT_TRUE(a.ok()) << a.status().to_string();
    if (!a.ok()) return run;
    if (a->kind == PipelineAction::Kind::kDone) {
      run.images = a->images;
      return run;
    }
    if (a->kind == PipelineAction::Kind::kPreview) {
      run.preview_steps.push_back(a->step);
      EXPECT_EQ(a->images.size(), kPer * batch);
      continue;
    }
    if (a->model == "text_encoder") {
      EXPECT_TRUE(p.provide({fake_cond(batch)}).ok());
      continue;
    }
    const std::vector<float>& x = a->inputs[0].f32;
    const float t = a->inputs[1].f32[0];
    if (run.first_sample.empty()) run.first_sample.assign(x.begin(), x.begin() + kPer * batch);
    run.timesteps.push_back(t);
    run.rows.push_back(a->inputs[0].shape[0]);
    run.cond_rows.push_back(a->inputs[2].shape[0]);
    EXPECT_EQ(a->inputs[2].f32.size(), static_cast<std::size_t>(a->inputs[2].shape[0]) * 256);
    ModelTensor v{"velocity", TensorDtype::kFloat32, {a->inputs[0].shape[0], 3, 32, 32}, std::vector<float>(x.size()), {}};
    for (std::size_t i = 0; i < x.size(); ++i) v.f32[i] = velocity(i / kPer, i % kPer, x[i], t);
    ++run.denoiser_calls;
    EXPECT_TRUE(p.provide({v}).ok());
  }
}

TextToImagePipeline make(const TextToImageRequest& r) {
  auto p = TextToImagePipeline::create(tokenizer(), r);
  EXPECT_TRUE(p.ok()) << p.status().to_string();
  return std::move(p).value();
}

TEST(TextToImageTest, FirstActionEncodesPromptAndEmptyPrompt) {
  TextToImageRequest r;
  r.prompt = "a red 苹果";
  r.style = 3;
  r.count = 2;
  TextToImagePipeline p = make(r);
  auto a = p.next();
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->kind, PipelineAction::Kind::kRunModel);
  EXPECT_EQ(a->model, "text_encoder");
  ASSERT_EQ(a->inputs.size(), 2u);
  EXPECT_EQ(a->inputs[0].name, "input_ids");
  EXPECT_EQ(a->inputs[0].dtype, TensorDtype::kInt64);
  EXPECT_EQ(a->inputs[0].shape, (std::vector<std::int64_t>{4, 16}));
  const std::vector<std::int64_t>& ids = a->inputs[0].i64;
  EXPECT_EQ(std::vector<std::int64_t>(ids.begin(), ids.begin() + 4), (std::vector<std::int64_t>{2, 3, 4, 0}));
  EXPECT_EQ(std::vector<std::int64_t>(ids.begin() + 16, ids.begin() + 20), (std::vector<std::int64_t>{2, 3, 4, 0}));
  for (std::size_t i = 32; i < 64; ++i) EXPECT_EQ(ids[i], kPadToken);  // unconditional rows
  EXPECT_EQ(a->inputs[1].i64, (std::vector<std::int64_t>{3, 3, 3, 3}));
  // Awaiting outputs: next() again is a caller error.
  EXPECT_EQ(p.next().status().code(), StatusCode::kInvalidArgument);
}

TEST(TextToImageTest, NoiseIsPhiloxStreamPerImageAndEulerMatchesClosedForm) {
  TextToImageRequest r;
  r.prompt = "apple";
  r.seed = 0x123456789abcdefULL;
  r.count = 3;
  r.steps = 5;
  r.guidance = 2.5;
  TextToImagePipeline p = make(r);
  // Constant velocities: conditional rows 0.2, unconditional rows -0.1.
  FakeRun run = drive(p, 3, [](std::size_t row, std::size_t, float, float) { return row < 3 ? 0.2f : -0.1f; });
  EXPECT_EQ(run.denoiser_calls, 5);
  for (int i = 0; i < 3; ++i) {
    auto noise = philox_normal(r.seed, static_cast<std::uint64_t>(i), kPer);
    ASSERT_TRUE(noise.ok());
    for (std::size_t k = 0; k < kPer; ++k) ASSERT_EQ(run.first_sample[i * kPer + k], (*noise)[k]);
    // Integrating a constant guided velocity from t = 1 to 0 moves x by -v_g.
    const double vg = -0.1 + 2.5 * (0.2 - -0.1);
    for (std::size_t k = 0; k < kPer; ++k) {
      const double expected = std::clamp((*noise)[k] - vg, -1.0, 1.0);
      ASSERT_NEAR(run.images[i * kPer + k], expected, 1e-5);
    }
  }
  EXPECT_EQ(run.timesteps, (std::vector<float>{1.0f, 0.8f, 0.6f, 0.4f, 0.2f}));
}

// Guidance in a limited interval: steps that start at t <= guidance_above run the prompt's
// rows alone (half the batch) and follow v_c; a Heun step's two evaluations agree.
TEST(TextToImageTest, GuidanceOnlyOnStepsAboveGuidanceAbove) {
  TextToImageRequest r;
  r.prompt = "apple";
  r.count = 2;
  r.steps = 5;  // t = 1, 0.8, 0.6 guided; 0.4, 0.2 not
  r.guidance = 2.5;
  r.guidance_above = 0.5;
  TextToImagePipeline p = make(r);
  FakeRun run = drive(p, 2, [](std::size_t row, std::size_t, float, float) { return row < 2 ? 0.2f : -0.1f; });
  EXPECT_EQ(run.rows, (std::vector<std::int64_t>{4, 4, 4, 2, 2}));
  EXPECT_EQ(run.cond_rows, run.rows);
  const double vg = -0.1 + 2.5 * (0.2 - -0.1);
  for (int i = 0; i < 2; ++i) {
    auto noise = philox_normal(r.seed, static_cast<std::uint64_t>(i), kPer);
    ASSERT_TRUE(noise.ok());
    for (std::size_t k = 0; k < kPer; ++k) {
      // 0.6 of the way with the guided velocity, the last 0.4 with v_c alone.
      ASSERT_NEAR(run.images[i * kPer + k], std::clamp((*noise)[k] - 0.6 * vg - 0.4 * 0.2, -1.0, 1.0), 1e-5);
    }
  }

  r.sampler = FlowSampler::kHeun;
  r.steps = 4;  // steps start at 1, 0.75 (corrector at 0.5: still guided), 0.5, 0.25 (Euler, the last)
  TextToImagePipeline heun = make(r);
  FakeRun h = drive(heun, 2, [](std::size_t row, std::size_t, float, float) { return row < 2 ? 0.2f : -0.1f; });
  EXPECT_EQ(h.rows, (std::vector<std::int64_t>{4, 4, 4, 4, 2, 2, 2}));
  EXPECT_EQ(h.timesteps, (std::vector<float>{1.0f, 0.75f, 0.75f, 0.5f, 0.5f, 0.25f, 0.25f}));
}

// The exact rectified flow towards one clean image x0 is a straight line: v = (x_t - x0) / t.
// Both samplers must land on x0 (this checks which times each evaluation uses).
TEST(TextToImageTest, EulerAndHeunFollowAStraightFlowExactly) {
  for (FlowSampler sampler : {FlowSampler::kEuler, FlowSampler::kHeun}) {
    TextToImageRequest r;
    r.steps = 6;
    r.shift = 3.0;
    r.guidance = 1.0;
    r.sampler = sampler;
    TextToImagePipeline p = make(r);
    FakeRun run = drive(p, 1, [](std::size_t, std::size_t i, float x, float t) {
      EXPECT_GT(t, 0.0f);  // never evaluated at t = 0
      const float x0 = -0.9f + 1.8f * static_cast<float>(i % 97) / 96.0f;
      return (x - x0) / t;
    });
    EXPECT_EQ(run.denoiser_calls, sampler == FlowSampler::kEuler ? 6 : 11);
    for (std::size_t i = 0; i < kPer; ++i) {
      ASSERT_NEAR(run.images[i], -0.9f + 1.8f * static_cast<float>(i % 97) / 96.0f, 1e-4) << flow_sampler_name(sampler);
    }
  }
}

// dx/dt = x from t = 1 to 0 gives x(0) = x(1) / e; Heun (2nd order) must be far closer than Euler.
TEST(TextToImageTest, HeunIsSecondOrder) {
  double error[2];
  for (FlowSampler sampler : {FlowSampler::kEuler, FlowSampler::kHeun}) {
    TextToImageRequest r;
    r.steps = 8;
    r.guidance = 1.0;
    r.sampler = sampler;
    r.seed = 7;
    TextToImagePipeline p = make(r);
    FakeRun run = drive(p, 1, [](std::size_t, std::size_t, float x, float) { return x; });
    auto noise = philox_normal(7, 0, kPer);
    double worst = 0;
    for (std::size_t i = 0; i < kPer; ++i) {
      if (std::abs((*noise)[i]) > 2.5f) continue;  // stay inside the final clamp
      worst = std::max(worst, std::abs(run.images[i] - (*noise)[i] / std::exp(1.0)));
    }
    error[sampler == FlowSampler::kHeun] = worst;
  }
  EXPECT_GT(error[0], 0.01);
  EXPECT_LT(error[1], error[0] / 10);
}

TEST(TextToImageTest, SameRequestSameImages) {
  TextToImageRequest r;
  r.prompt = "red apple";
  r.seed = 42;
  r.count = 2;
  r.steps = 4;
  auto v = [](std::size_t row, std::size_t i, float x, float t) { return 0.3f * x + 0.01f * (i % 7) - 0.2f * t + (row < 2 ? 0.0f : 0.1f); };
  TextToImagePipeline a = make(r), b = make(r);
  EXPECT_EQ(drive(a, 2, v).images, drive(b, 2, v).images);
  r.seed = 43;
  TextToImagePipeline c = make(r);
  TextToImagePipeline d = make(TextToImageRequest{r.prompt, r.style, 42, r.count, r.steps});
  EXPECT_NE(drive(c, 2, v).images, drive(d, 2, v).images);
}

TEST(TextToImageTest, PreviewsEveryKSteps) {
  TextToImageRequest r;
  r.steps = 7;
  r.preview_every = 2;
  TextToImagePipeline p = make(r);
  FakeRun run = drive(p, 1, [](std::size_t, std::size_t, float x, float) { return 0.5f * x; });
  EXPECT_EQ(run.preview_steps, (std::vector<int>{2, 4, 6}));
}

TEST(TextToImageTest, CancelStopsBetweenSteps) {
  TextToImageRequest r;
  r.steps = 10;
  TextToImagePipeline p = make(r);
  ASSERT_TRUE(p.next().ok());
  ASSERT_TRUE(p.provide({fake_cond(1)}).ok());
  for (int s = 0; s < 3; ++s) {
    auto a = p.next();
    ASSERT_TRUE(a.ok());
    ASSERT_TRUE(p.provide({{"velocity", TensorDtype::kFloat32, {2, 3, 32, 32}, std::vector<float>(2 * kPer), {}}}).ok());
  }
  p.cancel();
  auto a = p.next();
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), StatusCode::kCancelled);
  EXPECT_NE(a.status().message().find("after step 3 of 10"), std::string::npos) << a.status().message();
}

TEST(TextToImageTest, ProvideValidatesOutputsAndKeepsWaiting) {
  TextToImageRequest r;
  r.count = 2;
  TextToImagePipeline p = make(r);
  EXPECT_EQ(p.provide({fake_cond(2)}).code(), StatusCode::kInvalidArgument);  // nothing awaited yet
  ASSERT_TRUE(p.next().ok());
  Status wrong_name = p.provide({{"embedding", TensorDtype::kFloat32, {4, 256}, std::vector<float>(4 * 256), {}}});
  EXPECT_NE(wrong_name.message().find("must include \"cond\", got [embedding]"), std::string::npos) << wrong_name.message();
  Status wrong_shape = p.provide({{"cond", TensorDtype::kFloat32, {2, 256}, std::vector<float>(2 * 256), {}}});
  EXPECT_NE(wrong_shape.message().find("shape [2, 256], expected [4, -1]"), std::string::npos) << wrong_shape.message();
  Status wrong_type = p.provide({{"cond", TensorDtype::kInt64, {4, 256}, {}, std::vector<std::int64_t>(4 * 256)}});
  EXPECT_NE(wrong_type.message().find("must be float32, got int64"), std::string::npos) << wrong_type.message();
  ModelTensor nan = fake_cond(2);
  nan.f32[5] = NAN;
  EXPECT_NE(p.provide({nan}).message().find("cond[5]"), std::string::npos);
  ModelTensor short_data = fake_cond(2);
  short_data.f32.pop_back();
  EXPECT_EQ(p.provide({short_data}).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(p.provide({fake_cond(2)}).ok());
  auto a = p.next();
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->model, "unet");
  EXPECT_EQ(a->inputs[2].f32, fake_cond(2).f32);
}

// huabu-tiny v0.2 hands a 256-wide pooled vector to the UNet, v0.3 a 1,344-wide one (pooled +
// token features): the pipeline passes on whatever width the text model gave, unless the
// spec fixes one (the CLI fixes the manifest's text.cond_dim).
TEST(TextToImageTest, CondWidthIsTheTextModelsUnlessTheSpecFixesIt) {
  TextToImageRequest r;
  TextToImagePipeline p = make(r);
  ASSERT_TRUE(p.next().ok());
  ModelTensor wide{"cond", TensorDtype::kFloat32, {2, 1344}, std::vector<float>(2 * 1344, 0.25f), {}};
  ASSERT_TRUE(p.provide({wide}).ok());
  auto a = p.next();
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->inputs[2].shape, (std::vector<std::int64_t>{2, 1344}));
  EXPECT_EQ(a->inputs[2].f32, wide.f32);

  FlowModelSpec fixed = huabu_tiny_spec();
  fixed.cond_dim = 256;
  auto q = TextToImagePipeline::create(tokenizer(), r, fixed);
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(q->next().ok());
  Status refused = q->provide({wide});
  EXPECT_NE(refused.message().find("shape [2, 1344], expected [2, 256]"), std::string::npos) << refused.message();
}

TEST(TextToImageTest, ImageToImageRunsTheLastStepsFromTheNoisedInit) {
  TextToImageRequest r;
  r.steps = 10;
  r.strength = 0.5;
  r.init_image.resize(kPer);
  for (std::size_t i = 0; i < kPer; ++i) r.init_image[i] = static_cast<float>(i % 11) / 10.0f - 0.5f;
  TextToImagePipeline p = make(r);
  EXPECT_EQ(p.steps(), 5);
  const std::vector<float> init = r.init_image;
  FakeRun run = drive(p, 1, [&](std::size_t, std::size_t i, float x, float t) { return (x - init[i]) / t; });
  EXPECT_EQ(run.denoiser_calls, 5);
  EXPECT_FLOAT_EQ(run.timesteps[0], 0.5f);
  auto noise = philox_normal(0, 0, kPer);
  for (std::size_t i = 0; i < kPer; ++i) {
    ASSERT_FLOAT_EQ(run.first_sample[i], static_cast<float>(0.5 * init[i] + 0.5 * (*noise)[i]));
    ASSERT_NEAR(run.images[i], init[i], 1e-5);
  }
}

TEST(TextToImageTest, MaskKeepsTheInitImageOutsideTheRegion) {
  TextToImageRequest r;
  r.steps = 6;
  r.init_image.assign(kPer, 0.25f);
  r.mask.assign(32 * 32, 0.0f);
  for (int y = 8; y < 16; ++y) for (int x = 8; x < 16; ++x) r.mask[y * 32 + x] = 1.0f;
  TextToImagePipeline p = make(r);
  FakeRun run = drive(p, 1, [](std::size_t, std::size_t, float x, float t) { return (x - -0.75f) / t; });  // flows to -0.75
  for (std::size_t i = 0; i < kPer; ++i) {
    const std::size_t pixel = i % (32 * 32);
    const bool inside = r.mask[pixel] == 1.0f;
    ASSERT_NEAR(run.images[i], inside ? -0.75f : 0.25f, 1e-5) << i;
  }
}

TEST(TextToImageTest, ValidatesRequests) {
  auto code = [](const TextToImageRequest& r) { return TextToImagePipeline::create(tokenizer(), r).status().code(); };
  TextToImageRequest ok;
  EXPECT_EQ(code(ok), StatusCode::kOk);
  auto bad = [&](auto edit) {
    TextToImageRequest r;
    edit(r);
    return code(r);
  };
  EXPECT_EQ(bad([](auto& r) { r.style = 7; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& r) { r.count = 0; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& r) { r.count = 9; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& r) { r.steps = 0; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& r) { r.guidance = NAN; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& r) { r.guidance_above = -0.1; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& r) { r.guidance_above = 1.5; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& r) { r.guidance_above = NAN; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& r) { r.shift = 0; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& r) { r.preview_every = 13; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& r) { r.strength = 0.5; }), StatusCode::kInvalidArgument);  // no init image
  EXPECT_EQ(bad([](auto& r) { r.mask.assign(1024, 1.0f); }), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& r) { r.init_image.assign(100, 0.0f); }), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& r) { r.init_image.assign(kPer, 1.5f); }), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& r) { r.init_image.assign(kPer, 0.0f); r.strength = 0.05; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& r) { r.prompt = "\xff"; }), StatusCode::kInvalidArgument);
}

TEST(TextToImageTest, ParsesSeedsAndSamplers) {
  EXPECT_EQ(*parse_seed("18446744073709551615"), UINT64_MAX);
  EXPECT_EQ(*parse_seed("0"), 0u);
  for (const char* bad : {"18446744073709551616", "-1", "", "12a", " 1", "1e3"}) EXPECT_FALSE(parse_seed(bad).ok()) << bad;
  EXPECT_EQ(*parse_flow_sampler("heun"), FlowSampler::kHeun);
  EXPECT_FALSE(parse_flow_sampler("ddim").ok());
}

}  // namespace
}  // namespace huabu
