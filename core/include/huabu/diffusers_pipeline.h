// huabu/diffusers_pipeline.h: the sans-IO text -> image pipeline of diffusers-layout models
// (Stable Diffusion style: a CLIP text encoder, an epsilon-prediction UNet on latents, a VAE
// decoder; the layout the ONNX Runtime Web SD-Turbo demo loads). Same contract as
// TextToImagePipeline: next() says which graph to run on which tensors, the caller runs it and
// hands the outputs to provide(). Contract, samplers and limits: docs/pipelines.md.
//
//   auto config = huabu::validate_diffusers_model(graphs, scheduler, vae);  // names/dtypes/ranks
//   auto p = huabu::DiffusersTextToImage::create(tokenizer, *config, request);
//   for (;;) {
//     auto a = p->next();
//     if (a->kind == huabu::PipelineAction::Kind::kRunModel) HUABU_RETURN_IF_ERROR(p->provide(run(*a)));
//     else break;                                  // kDone: a->images, count x 3 x H x W in [-1, 1]
//   }
//
// Tensors handed out are float32 or int64; input_dtype() says what the graph declared
// (float16, int32), and the runner narrows them (float32 -> float16, int64 -> int32) and widens
// float16 outputs to float32 before provide(). Runs: the text encoder once per prompt (batch
// 1; twice with guidance > 1, the negative prompt second), then for each image its UNet steps
// (batch 1, or 2 = [unconditional, conditional] with guidance) and one VAE decode (batch 1).
// Noise: image i starts from philox_normal(seed, stream i, C*h*w) (x init_noise_sigma for
// Euler), Euler-a / LCM steps draw ancestral_noise(seed, i, step), so an image does not
// depend on `count` and native == wasm.
// Ownership: value type; copies the token ids at create(). Threading: not synchronised.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "huabu/clip_tokenizer.h"
#include "huabu/diffusion_schedule.h"
#include "huabu/model_tensor.h"
#include "huabu/status.h"
#include "huabu/text_to_image.h"

namespace huabu {

// One input or output of a graph as a runner reports it (ONNX Runtime's inputMetadata):
// dtype as ONNX Runtime names it ("float32", "float16", "int32", "int64", ...), shape with -1
// for a symbolic dimension.
struct GraphPort {
  std::string name;
  std::string dtype;
  std::vector<std::int64_t> shape;
};
struct GraphSignature {
  std::vector<GraphPort> inputs;
  std::vector<GraphPort> outputs;
};
struct DiffusersGraphs {
  GraphSignature text_encoder;  // input_ids -> last_hidden_state
  GraphSignature unet;          // sample, timestep, encoder_hidden_states -> out_sample
  GraphSignature vae_decoder;   // latent_sample -> sample
};

// scheduler/scheduler_config.json (diffusers' names in brackets; diffusers' defaults).
struct SchedulerConfig {
  std::string class_name;                                 // [_class_name] picks the default sampler
  NoiseSchedule schedule;                                 // [num_train_timesteps, beta_start, beta_end]
  std::string beta_schedule = "scaled_linear";            // [beta_schedule]: only scaled_linear
  TimestepSpacing spacing = TimestepSpacing::kLeading;    // [timestep_spacing]
  int steps_offset = 0;                                   // [steps_offset]
  bool set_alpha_to_one = true;                           // [set_alpha_to_one] (DDIM)
  std::string prediction_type = "epsilon";                // [prediction_type]: only epsilon
  int original_inference_steps = 50;                      // [original_inference_steps] (LCM)
  bool karras_sigmas = false;                             // [use_karras_sigmas]: not supported
};

// vae_decoder/config.json (or vae/config.json).
struct VaeConfig {
  double scaling_factor = 0.18215;  // [scaling_factor]: latents are divided by it before decoding
  int scale = 8;                    // pixels per latent: 2^(len(block_out_channels) - 1)
};

// What validation learnt about the graphs: declared dtypes and the fixed sizes.
struct DiffusersModel {
  DiffusersGraphs graphs;
  SchedulerConfig scheduler;
  VaeConfig vae;
  int hidden = -1;           // text state width (-1: learnt from the first text encoder run)
  int latent_channels = 4;
  int latent_height = -1;    // fixed by the UNet's sample shape, or -1 (any)
  int latent_width = -1;
  int tokens = -1;           // fixed input_ids length, or -1
  int unet_batch = -1;       // fixed UNet batch, or -1
};

// Checks names, dtypes and ranks of the three graphs and the configs. Errors name the graph, the
// port and what was expected, e.g. `unet input "sample" has dtype int64, expected float32 or
// float16`, `unet has an input "text_embeds" this pipeline does not feed (SDXL-style UNets
// are not supported)`; prediction types other than epsilon and beta schedules other than
// scaled_linear are unsupported.
[[nodiscard]] Result<DiffusersModel> validate_diffusers_model(DiffusersGraphs graphs, SchedulerConfig scheduler,
                                                              VaeConfig vae = {});

enum class DiffusersSampler { kEuler, kEulerAncestral, kDdim, kLcm };
// "euler" / "euler-ancestral" / "ddim" / "lcm".
[[nodiscard]] Result<DiffusersSampler> parse_diffusers_sampler(std::string_view name);
[[nodiscard]] std::string_view diffusers_sampler_name(DiffusersSampler sampler);
// The sampler a scheduler class stands for (EulerDiscreteScheduler -> euler, ...); others
// (PNDM, LMS, DPM-Solver, ...) -> euler-ancestral, which suits any epsilon-prediction model.
[[nodiscard]] DiffusersSampler default_diffusers_sampler(std::string_view scheduler_class);

struct DiffusersRequest {
  std::string prompt;
  std::string negative_prompt;  // the unconditional branch with guidance > 1
  std::uint64_t seed = 0;
  int count = 1;                // 1..kMaxImagesPerRequest
  int steps = 4;                // 1..kMaxSteps (LCM: ..original_inference_steps)
  double guidance = 0;          // 0..30; <= 1 = no classifier-free guidance (as SD-Turbo)
  std::optional<DiffusersSampler> sampler;  // empty: from the scheduler class
  int width = 0;                // pixels, multiple of the VAE scale; 0: the graph's or 512
  int height = 0;
};

class DiffusersTextToImage {
 public:
  // Tokenizes both prompts (the tokenizer's cache is updated, hence non-const).
  [[nodiscard]] static Result<DiffusersTextToImage> create(ClipTokenizer& tokenizer, DiffusersModel model,
                                                          DiffusersRequest request);

  // Errors: cancelled (after cancel()), invalid_argument when outputs are awaited or after kDone.
  [[nodiscard]] Result<PipelineAction> next();
  // The awaited output (float32, exact shape, finite); on error nothing changes.
  [[nodiscard]] Status provide(const std::vector<ModelTensor>& outputs);
  void cancel() { cancelled_ = true; }

  // The dtype `model` declares for input `name` ("float16", "int32", ...): what the runner narrows to.
  [[nodiscard]] std::string input_dtype(std::string_view model, std::string_view name) const;
  [[nodiscard]] DiffusersSampler sampler() const { return sampler_; }
  [[nodiscard]] int width() const { return latent_w_ * model_.vae.scale; }
  [[nodiscard]] int height() const { return latent_h_ * model_.vae.scale; }
  [[nodiscard]] int count() const { return request_.count; }
  [[nodiscard]] int total_steps() const { return request_.count * request_.steps; }

 private:
  enum class State { kEncode, kAwaitText, kDenoise, kAwaitUnet, kAwaitVae, kFinish, kDone };

  [[nodiscard]] bool guided() const { return request_.guidance > 1.0; }
  [[nodiscard]] std::size_t latent_size() const;
  [[nodiscard]] int completed_steps() const { return image_ * request_.steps + step_; }
  void start_image();
  [[nodiscard]] PipelineAction run(std::string model, std::string output);
  void add_unet_inputs(PipelineAction* a) const;
  [[nodiscard]] Status finish_step(const std::vector<float>& eps);

  DiffusersModel model_;
  DiffusersRequest request_;
  DiffusersSampler sampler_ = DiffusersSampler::kEuler;
  std::vector<std::int64_t> ids_;
  std::vector<std::int64_t> negative_ids_;
  std::vector<double> alphas_;     // alphas_cumprod
  std::vector<double> timesteps_;  // per step, descending
  std::vector<double> sigmas_;     // Euler / Euler-a: steps + 1
  double init_sigma_ = 1;
  int latent_h_ = 0;
  int latent_w_ = 0;
  int hidden_ = -1;
  State state_ = State::kEncode;
  bool cancelled_ = false;
  int text_runs_ = 0;              // text encoder runs done (1 or 2)
  int image_ = 0;                  // current image
  int step_ = 0;                   // completed steps of the current image
  std::vector<float> cond_;        // [tokens, hidden]
  std::vector<float> uncond_;
  std::vector<float> x_;           // current latents
  std::vector<float> images_;      // decoded, clamped
};

}  // namespace huabu
