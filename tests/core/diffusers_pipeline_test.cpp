// DiffusersTextToImage with fake graphs (deterministic functions standing in for the text
// encoder, UNet and VAE): the order of runs, tensor names/shapes/dtypes, guidance rows, the
// Euler arithmetic, noise streams, and the errors for bad signatures, outputs and states.
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "huabu/diffusers_pipeline.h"
#include "huabu/rng.h"

namespace huabu {
namespace {

constexpr int kHidden = 8;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

ClipTokenizer tokenizer() {
  auto made = ClipTokenizer::create(read_file(HUABU_TEST_DATA_DIR "/clip-bpe/vocab.json"),
                                    read_file(HUABU_TEST_DATA_DIR "/clip-bpe/merges.txt"), {.pad_token = "!"});
  EXPECT_TRUE(made.ok()) << made.status().to_string();
  return std::move(made).value();
}

// The signature ONNX Runtime reports for the SD-Turbo layout (symbolic dims = -1).
DiffusersGraphs turbo_graphs() {
  DiffusersGraphs g;
  g.text_encoder.inputs = {{"input_ids", "int32", {-1, -1}}};
  g.text_encoder.outputs = {{"last_hidden_state", "float32", {-1, -1, kHidden}}, {"pooler_output", "float32", {-1, kHidden}}};
  g.unet.inputs = {{"sample", "float32", {-1, -1, -1, -1}}, {"timestep", "int64", {-1}},
                   {"encoder_hidden_states", "float32", {-1, -1, kHidden}}};
  g.unet.outputs = {{"out_sample", "float32", {-1, -1, -1, -1}}};
  g.vae_decoder.inputs = {{"latent_sample", "float32", {-1, -1, -1, -1}}};
  g.vae_decoder.outputs = {{"sample", "float32", {-1, -1, -1, -1}}};
  return g;
}

SchedulerConfig turbo_scheduler() {
  SchedulerConfig s;
  s.class_name = "EulerDiscreteScheduler";
  s.spacing = TimestepSpacing::kTrailing;
  s.steps_offset = 1;
  s.set_alpha_to_one = false;
  return s;
}

DiffusersModel turbo_model() {
  auto m = validate_diffusers_model(turbo_graphs(), turbo_scheduler(), {.scaling_factor = 0.18215, .scale = 8});
  EXPECT_TRUE(m.ok()) << m.status().to_string();
  return std::move(m).value();
}

const ModelTensor& input(const PipelineAction& a, const std::string& name) {
  for (const ModelTensor& t : a.inputs) {
    if (t.name == name) return t;
  }
  ADD_FAILURE() << a.model << " has no input " << name;
  return a.inputs.front();
}

// Fakes: text state = ids scaled; eps = 0.5 x + row offset (uncond rows 0, cond rows 1 when
// doubled); VAE = nearest upsampling of channel c % 4 scaled by 0.1.
ModelTensor fake_text(const PipelineAction& a) {
  const ModelTensor& ids = input(a, "input_ids");
  ModelTensor out{"last_hidden_state", TensorDtype::kFloat32, {1, ids.shape[1], kHidden}, {}, {}};
  for (std::int64_t id : ids.i64) {
    for (int j = 0; j < kHidden; ++j) out.f32.push_back(static_cast<float>(id % 97) * 0.01f + j * 0.001f);
  }
  return out;
}

ModelTensor fake_unet(const PipelineAction& a) {
  const ModelTensor& x = input(a, "sample");
  ModelTensor out{"out_sample", TensorDtype::kFloat32, x.shape, x.f32, {}};
  const std::size_t per = x.f32.size() / static_cast<std::size_t>(x.shape[0]);
  for (std::size_t i = 0; i < out.f32.size(); ++i) out.f32[i] = 0.5f * x.f32[i] + (x.shape[0] == 2 && i >= per ? 1.0f : 0.0f);
  return out;
}

ModelTensor fake_vae(const PipelineAction& a) {
  const ModelTensor& z = input(a, "latent_sample");
  const std::int64_t h = z.shape[2], w = z.shape[3];
  ModelTensor out{"sample", TensorDtype::kFloat32, {1, 3, h * 8, w * 8}, {}, {}};
  for (int c = 0; c < 3; ++c) {
    for (std::int64_t y = 0; y < h * 8; ++y) {
      for (std::int64_t x = 0; x < w * 8; ++x) out.f32.push_back(0.1f * z.f32[static_cast<std::size_t>((c * h + y / 8) * w + x / 8)]);
    }
  }
  return out;
}

struct FakeRun {
  std::vector<std::string> models;
  PipelineAction done;
};

FakeRun run_all(DiffusersTextToImage& p) {
  FakeRun r;
  for (;;) {
    auto a = p.next();
    EXPECT_TRUE(a.ok()) << a.status().to_string();
    if (!a.ok() || a->kind == PipelineAction::Kind::kDone) {
      if (a.ok()) r.done = std::move(a).value();
      return r;
    }
    r.models.push_back(a->model);
    const ModelTensor out = a->model == "text_encoder" ? fake_text(*a) : a->model == "unet" ? fake_unet(*a) : fake_vae(*a);
    const Status s = p.provide({out});
    EXPECT_TRUE(s.ok()) << s.to_string();
  }
}

TEST(DiffusersPipelineTest, TurboOneStepRunsEncoderUnetVaeWithTheLayoutsTensors) {
  ClipTokenizer tok = tokenizer();
  auto p = DiffusersTextToImage::create(tok, turbo_model(), {.prompt = "a red fox", .seed = 7, .steps = 1, .width = 64, .height = 64});
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  EXPECT_EQ(p->sampler(), DiffusersSampler::kEuler);  // from EulerDiscreteScheduler
  EXPECT_EQ(p->input_dtype("text_encoder", "input_ids"), "int32");
  EXPECT_EQ(p->input_dtype("unet", "timestep"), "int64");

  auto text = p->next();
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->model, "text_encoder");
  EXPECT_EQ(text->output, "last_hidden_state");
  const ModelTensor& ids = input(*text, "input_ids");
  EXPECT_EQ(ids.dtype, TensorDtype::kInt64);  // the runner narrows it to the declared int32
  EXPECT_EQ(ids.shape, (std::vector<std::int64_t>{1, 77}));
  EXPECT_EQ(ids.i64, tok.encode("a red fox").value());
  EXPECT_EQ(ids.i64.back(), 0);  // padded with "!"
  ASSERT_TRUE(p->provide({fake_text(*text)}).ok());

  auto unet = p->next();
  ASSERT_TRUE(unet.ok());
  EXPECT_EQ(unet->model, "unet");
  EXPECT_EQ((unet->step), 0);
  EXPECT_EQ((unet->steps), 1);
  const ModelTensor& sample = input(*unet, "sample");
  EXPECT_EQ(sample.shape, (std::vector<std::int64_t>{1, 4, 8, 8}));
  const ModelTensor& t = input(*unet, "timestep");
  EXPECT_EQ(t.dtype, TensorDtype::kInt64);
  EXPECT_EQ(t.shape, (std::vector<std::int64_t>{1}));
  EXPECT_EQ(t.i64, (std::vector<std::int64_t>{999}));  // trailing spacing, one step
  EXPECT_EQ(input(*unet, "encoder_hidden_states").shape, (std::vector<std::int64_t>{1, 77, kHidden}));

  // Initial noise = Philox stream 0 x init sigma; the model sees x / sqrt(sigma^2 + 1).
  auto noise = philox_normal(7, 0, 256);
  auto sched = euler_ancestral_schedule(scaled_linear_alphas_cumprod({}).value(), 1, TimestepSpacing::kTrailing, 1);
  const double sigma = sched->sigmas[0];
  EXPECT_NEAR(sigma, 14.6146, 1e-3);  // SD-Turbo's one-step sigma
  for (int i = 0; i < 256; i += 37) {
    const float x = static_cast<float>((*noise)[i] * sched->init_noise_sigma);
    EXPECT_FLOAT_EQ(sample.f32[i], static_cast<float>(x / std::sqrt(sigma * sigma + 1)));
  }
  const ModelTensor eps = fake_unet(*unet);
  ASSERT_TRUE(p->provide({eps}).ok());

  auto vae = p->next();
  ASSERT_TRUE(vae.ok());
  EXPECT_EQ(vae->model, "vae_decoder");
  const ModelTensor& z = input(*vae, "latent_sample");
  EXPECT_EQ(z.shape, (std::vector<std::int64_t>{1, 4, 8, 8}));
  for (int i = 0; i < 256; i += 41) {  // Euler to sigma 0: x - sigma eps, then / scaling factor
    const float x = static_cast<float>((*noise)[i] * sched->init_noise_sigma);
    const float x0 = static_cast<float>(x + (0.0 - sigma) * eps.f32[i]);
    EXPECT_FLOAT_EQ(z.f32[i], static_cast<float>(x0 / 0.18215));
  }
  ASSERT_TRUE(p->provide({fake_vae(*vae)}).ok());
  auto done = p->next();
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->kind, PipelineAction::Kind::kDone);
  EXPECT_EQ(done->images.size(), 3u * 64 * 64);
  for (float v : done->images) ASSERT_TRUE(v >= -1.0f && v <= 1.0f);
  EXPECT_EQ(p->next().status().message(), "the pipeline has finished");
}

TEST(DiffusersPipelineTest, ImagesRunOneAfterAnotherAndDoNotDependOnCount) {
  ClipTokenizer tok = tokenizer();
  DiffusersRequest r{.prompt = "a cat", .seed = 3, .count = 2, .steps = 3, .width = 32, .height = 16};
  auto two = DiffusersTextToImage::create(tok, turbo_model(), r);
  ASSERT_TRUE(two.ok()) << two.status().to_string();
  FakeRun a = run_all(*two);
  EXPECT_EQ(a.models, (std::vector<std::string>{"text_encoder", "unet", "unet", "unet", "vae_decoder", "unet", "unet", "unet",
                                                "vae_decoder"}));
  ASSERT_EQ(a.done.images.size(), 2u * 3 * 32 * 16);
  r.count = 1;
  auto one = DiffusersTextToImage::create(tok, turbo_model(), r);
  FakeRun b = run_all(*one);
  EXPECT_EQ(std::vector<float>(a.done.images.begin(), a.done.images.begin() + 3 * 32 * 16), b.done.images);
  EXPECT_NE(std::vector<float>(a.done.images.begin() + 3 * 32 * 16, a.done.images.end()), b.done.images);
}

TEST(DiffusersPipelineTest, GuidanceEncodesTheNegativePromptAndCombinesRows) {
  ClipTokenizer tok = tokenizer();
  auto p = DiffusersTextToImage::create(
      tok, turbo_model(), {.prompt = "a cat", .negative_prompt = "a dog", .steps = 1, .guidance = 3, .width = 16, .height = 16});
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  auto first = p->next();
  ASSERT_TRUE(p->provide({fake_text(*first)}).ok());
  auto second = p->next();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->model, "text_encoder");
  EXPECT_EQ(input(*second, "input_ids").i64, tok.encode("a dog").value());
  const ModelTensor negative = fake_text(*second);
  ASSERT_TRUE(p->provide({negative}).ok());
  auto unet = p->next();
  ASSERT_TRUE(unet.ok());
  const ModelTensor& ctx = input(*unet, "encoder_hidden_states");
  EXPECT_EQ(ctx.shape, (std::vector<std::int64_t>{2, 77, kHidden}));
  EXPECT_EQ(std::vector<float>(ctx.f32.begin(), ctx.f32.begin() + 77 * kHidden), negative.f32);  // row 0: unconditional
  const ModelTensor& sample = input(*unet, "sample");
  EXPECT_EQ(sample.shape[0], 2);
  const ModelTensor eps = fake_unet(*unet);
  ASSERT_TRUE(p->provide({eps}).ok());
  auto vae = p->next();
  // guided eps = u + 3 (c - u) = 0.5 s + 3 (1); x' = x - sigma eps; latent_sample = x' / 0.18215
  const double sigma = 14.614641;
  const float s0 = sample.f32[0];
  const double x = s0 * std::sqrt(sigma * sigma + 1);
  EXPECT_NEAR(input(*vae, "latent_sample").f32[0], (x - sigma * (0.5 * s0 + 3.0)) / 0.18215, 2e-3);
}

TEST(DiffusersPipelineTest, SamplersRunAndDiffer) {
  ClipTokenizer tok = tokenizer();
  std::vector<std::vector<float>> results;
  for (const char* name : {"euler", "euler-ancestral", "ddim", "lcm"}) {
    DiffusersRequest r{.prompt = "a cat", .seed = 11, .steps = 4, .sampler = parse_diffusers_sampler(name).value(),
                       .width = 16, .height = 16};
    auto p = DiffusersTextToImage::create(tok, turbo_model(), r);
    ASSERT_TRUE(p.ok()) << name << ": " << p.status().to_string();
    FakeRun run = run_all(*p);
    EXPECT_EQ(run.models.size(), 6u) << name;
    auto again = DiffusersTextToImage::create(tok, turbo_model(), r);
    EXPECT_EQ(run_all(*again).done.images, run.done.images) << name << " is deterministic";
    for (const auto& other : results) EXPECT_NE(other, run.done.images) << name;
    results.push_back(run.done.images);
  }
  EXPECT_EQ(diffusers_sampler_name(DiffusersSampler::kEulerAncestral), "euler-ancestral");
  EXPECT_EQ(default_diffusers_sampler("LCMScheduler"), DiffusersSampler::kLcm);
  EXPECT_EQ(default_diffusers_sampler("PNDMScheduler"), DiffusersSampler::kEulerAncestral);
  EXPECT_EQ(parse_diffusers_sampler("heun").status().message(), "sampler \"heun\" must be euler, euler-ancestral, ddim or lcm");
}

TEST(DiffusersPipelineTest, FloatTimestepsAndFixedSizesFollowTheGraph) {
  DiffusersGraphs g = turbo_graphs();
  g.unet.inputs[1] = {"timestep", "float16", {}};
  g.unet.inputs[0].shape = {1, 4, 4, 6};
  g.unet.outputs[0].shape = {1, 4, 4, 6};
  auto m = validate_diffusers_model(g, turbo_scheduler());
  ASSERT_TRUE(m.ok()) << m.status().to_string();
  EXPECT_EQ(m->latent_height, 4);
  EXPECT_EQ(m->unet_batch, 1);
  ClipTokenizer tok = tokenizer();
  auto p = DiffusersTextToImage::create(tok, *m, {.prompt = "x", .steps = 2});
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  EXPECT_EQ(p->width(), 48);
  EXPECT_EQ(p->height(), 32);
  EXPECT_EQ(p->input_dtype("unet", "timestep"), "float16");
  auto text = p->next();
  ASSERT_TRUE(p->provide({fake_text(*text)}).ok());
  auto unet = p->next();
  const ModelTensor& t = input(*unet, "timestep");
  EXPECT_EQ(t.dtype, TensorDtype::kFloat32);
  EXPECT_TRUE(t.shape.empty());
  EXPECT_EQ(t.f32, (std::vector<float>{999.0f}));

  auto wrong = DiffusersTextToImage::create(tok, *m, {.prompt = "x", .width = 64});
  EXPECT_EQ(wrong.status().message(), "width 64: this model's UNet only takes 48 pixels");
  auto guided = DiffusersTextToImage::create(tok, *m, {.prompt = "x", .guidance = 7.5});
  EXPECT_EQ(guided.status().message(),
            "this UNet has a fixed batch of 1; guidance > 1 (classifier-free guidance) needs batch 2: use guidance <= 1");
}

TEST(DiffusersPipelineTest, BadSignaturesAndConfigsAreNamed) {
  auto error = [](DiffusersGraphs g, SchedulerConfig s = turbo_scheduler()) {
    return validate_diffusers_model(std::move(g), std::move(s)).status().message();
  };
  DiffusersGraphs g = turbo_graphs();
  g.unet.inputs[0].name = "latents";
  EXPECT_EQ(error(g), "unet has no input \"sample\" (its inputs: [\"latents\", \"timestep\", \"encoder_hidden_states\"])");
  g = turbo_graphs();
  g.unet.inputs.erase(g.unet.inputs.begin());
  EXPECT_EQ(error(g), "unet has no input \"sample\" (its inputs: [\"timestep\", \"encoder_hidden_states\"])");
  g = turbo_graphs();
  g.unet.inputs.push_back({"text_embeds", "float32", {-1, 1280}});
  EXPECT_EQ(error(g), "unet has an input \"text_embeds\" this pipeline does not feed (SDXL-style UNets with text_embeds/time_ids are not supported)");
  g = turbo_graphs();
  g.text_encoder.inputs[0].dtype = "float32";
  EXPECT_EQ(error(g), "text_encoder input \"input_ids\" has dtype float32, expected int32 or int64");
  g = turbo_graphs();
  g.unet.inputs[0].dtype = "int64";
  EXPECT_EQ(error(g), "unet input \"sample\" has dtype int64, expected float32 or float16");
  g = turbo_graphs();
  g.unet.inputs[0].shape = {-1, 4, 64};
  EXPECT_EQ(error(g), "unet input \"sample\" has shape [-1, 4, 64] (rank 3), expected rank 4");
  g = turbo_graphs();
  g.text_encoder.outputs.erase(g.text_encoder.outputs.begin());
  EXPECT_EQ(error(g), "text_encoder has no output \"last_hidden_state\" (its outputs: [\"pooler_output\"])");
  g = turbo_graphs();
  g.unet.inputs[2].shape = {-1, 77, 1024};
  EXPECT_EQ(error(g), "the text state width is 1024 here but 8 elsewhere");
  g = turbo_graphs();
  g.vae_decoder.outputs[0].shape = {-1, 4, -1, -1};
  EXPECT_EQ(error(g), "vae_decoder output \"sample\" has 4 channels, expected 3 (RGB)");
  g = turbo_graphs();
  g.vae_decoder.inputs[0].shape = {-1, 8, -1, -1};
  g.unet.inputs[0].shape = {-1, 4, -1, -1};
  EXPECT_EQ(error(g), "the latent channel count is 8 here but 4 elsewhere");
  g = turbo_graphs();
  g.unet.inputs[1].dtype = "bool";
  EXPECT_EQ(error(g), "unet input \"timestep\" has dtype bool, expected int64, int32, float32 or float16");

  SchedulerConfig v = turbo_scheduler();
  v.prediction_type = "v_prediction";
  auto status = validate_diffusers_model(turbo_graphs(), v).status();
  EXPECT_EQ(status.code(), StatusCode::kUnsupported);
  EXPECT_EQ(status.message(), "scheduler prediction_type \"v_prediction\" is not supported (only epsilon-prediction models)");
  SchedulerConfig linear = turbo_scheduler();
  linear.beta_schedule = "linear";
  EXPECT_EQ(error(turbo_graphs(), linear), "scheduler beta_schedule \"linear\" is not supported (scaled_linear)");
  EXPECT_EQ(validate_diffusers_model(turbo_graphs(), turbo_scheduler(), {.scaling_factor = 0}).status().message(),
            "vae scaling_factor 0 must be in (0, 100)");
}

TEST(DiffusersPipelineTest, BadRequestsOutputsAndStates) {
  ClipTokenizer tok = tokenizer();
  const DiffusersModel m = turbo_model();
  EXPECT_EQ(DiffusersTextToImage::create(tok, m, {.prompt = "x", .count = 9}).status().message(), "count 9 must be in 1..8");
  EXPECT_EQ(DiffusersTextToImage::create(tok, m, {.prompt = "x", .steps = 0}).status().message(), "steps 0 must be in 1..200");
  EXPECT_EQ(DiffusersTextToImage::create(tok, m, {.prompt = "x", .width = 60}).status().message(),
            "width 60 must be a multiple of 8 in 8..4096");
  EXPECT_EQ(DiffusersTextToImage::create(tok, m, {.prompt = "x", .steps = 51, .sampler = DiffusersSampler::kLcm}).status().message(),
            "steps 51 must be in 1..50 (original_inference_steps)");
  EXPECT_FALSE(DiffusersTextToImage::create(tok, m, {.prompt = std::string("\xff\xfe")}).ok());
  EXPECT_EQ(DiffusersTextToImage::create(tok, m, {.prompt = "x", .negative_prompt = std::string(100001, 'a')}).status().code(),
            StatusCode::kInvalidArgument);

  auto p = DiffusersTextToImage::create(tok, m, {.prompt = "x", .steps = 2, .width = 16, .height = 16});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->provide({}).message(), "provide() called when no model outputs are awaited");
  auto text = p->next();
  EXPECT_EQ(p->next().status().message(), "next() called while the outputs of text_encoder are awaited");
  ModelTensor state = fake_text(*text);
  state.name = "pooler_output";
  EXPECT_EQ(p->provide({state}).message(), "text_encoder outputs must include \"last_hidden_state\", got [pooler_output]");
  state = fake_text(*text);
  state.shape = {1, 76, kHidden};
  EXPECT_EQ(p->provide({state}).message(), "text_encoder output last_hidden_state has shape [1, 76, 8], expected [1, 77, 8]");
  ASSERT_TRUE(p->provide({fake_text(*text)}).ok());
  auto unet = p->next();
  ModelTensor eps = fake_unet(*unet);
  eps.f32[5] = std::nanf("");
  EXPECT_EQ(p->provide({eps}).message(), "unet output out_sample[5] is nan (not finite)");
  eps = fake_unet(*unet);
  eps.dtype = TensorDtype::kInt64;
  EXPECT_EQ(p->provide({eps}).message(), "unet output out_sample must be float32, got int64");
  ASSERT_TRUE(p->provide({fake_unet(*unet)}).ok());  // nothing was half-applied
  p->cancel();
  auto cancelled = p->next();
  EXPECT_EQ(cancelled.status().code(), StatusCode::kCancelled);
  EXPECT_EQ(cancelled.status().message(), "generation cancelled after step 1 of 2");
}

TEST(DiffusersPipelineTest, TokenCountMustMatchTheTokenizer) {
  DiffusersGraphs g = turbo_graphs();
  g.text_encoder.inputs[0].shape = {1, 64};
  auto m = validate_diffusers_model(g, turbo_scheduler());
  ASSERT_TRUE(m.ok()) << m.status().to_string();
  ClipTokenizer tok = tokenizer();
  EXPECT_EQ(DiffusersTextToImage::create(tok, *m, {.prompt = "x"}).status().message(),
            "the text encoder takes 64 tokens but the tokenizer gives 77 (tokenizer_config.json model_max_length)");
}

}  // namespace
}  // namespace huabu
