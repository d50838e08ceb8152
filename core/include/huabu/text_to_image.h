// huabu/text_to_image.h: the sans-IO text -> image pipeline of Huabu's rectified-flow models
// (huabu-tiny). It never runs a network: next() says what to do, the caller does it and
// hands the outputs to provide(). The same code drives ONNX Runtime Web in the browser's
// worker and any native runner. Contract and samplers: docs/pipelines.md.
//
//   auto p = huabu::TextToImagePipeline::create(tokenizer, request);
//   for (;;) {
//     auto a = p->next();                              // error: cancelled / bad state
//     if (a->kind == huabu::PipelineAction::Kind::kRunModel) {
//       HUABU_RETURN_IF_ERROR(p->provide(run(a->model, a->inputs)));   // validated
//     } else if (a->kind == huabu::PipelineAction::Kind::kPreview) { show(a->images); }
//     else break;                                       // kDone: a->images
//   }
//
// Noise: image i of a request = huabu::philox_normal(seed, stream i, C*H*W), exactly as
// models/tiny/sampler.mjs. Euler matches sampler.mjs float for float (update in double,
// stored as float32; timesteps handed to the model as float32).
// Ownership: value type; copies the tokenizer's ids at create(). Threading: not synchronised.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "huabu/model_tensor.h"
#include "huabu/status.h"
#include "huabu/word_tokenizer.h"

namespace huabu {

enum class FlowSampler { kEuler, kHeun };
[[nodiscard]] Result<FlowSampler> parse_flow_sampler(std::string_view name);  // "euler" / "heun"
[[nodiscard]] std::string_view flow_sampler_name(FlowSampler sampler);

// Decimal u64 ("0".."18446744073709551615"), no sign, no spaces.
[[nodiscard]] Result<std::uint64_t> parse_seed(std::string_view decimal);

// What the pipeline needs to know about a model's graphs (names, sizes).
struct FlowModelSpec {
  std::string text_model = "text_encoder";  // input_ids int64 [B, tokens], style_id int64 [B] -> cond
  std::string denoiser = "unet";            // sample, timestep float32 [B], cond -> velocity
  int tokens = 16;
  int styles = 7;
  // Width of cond [B, cond_dim] between the graphs; -1 = whatever the text model outputs
  // (huabu-tiny v0.2: 256, a pooled vector; v0.3: 1,344, pooled + 17 token vectors).
  int cond_dim = -1;
  int channels = 3;
  int size = 32;
};
[[nodiscard]] FlowModelSpec huabu_tiny_spec();

inline constexpr int kMaxImagesPerRequest = 8;
inline constexpr int kMaxSteps = 200;

struct TextToImageRequest {
  std::string prompt;
  int style = 6;  // huabu-tiny: 0..5 a source set, 6 "any"
  std::uint64_t seed = 0;
  int count = 1;  // 1..kMaxImagesPerRequest
  int steps = 12;
  double guidance = 4.0;  // classifier-free guidance scale, 0..30
  // Guidance only on steps that start at t > guidance_above (0 = every step, 0..1). The later,
  // low-noise steps run the prompt's branch alone at half the cost: guidance there mostly
  // sharpens detail the image already has (guidance in a limited interval, Kynkaanniemi et
  // al. 2024). huabu-tiny's manifest sets it (sampler.guidance_above).
  double guidance_above = 0.0;
  FlowSampler sampler = FlowSampler::kEuler;
  double shift = 1.0;     // time-grid shift (> 0; 1 = uniform)
  int preview_every = 0;  // a preview after every k-th step (0 = none)
  // Image-to-image: CHW floats in [-1, 1] (channels x size x size), shared by every image,
  // and strength in (0, 1]: the last floor(steps * strength) steps are run.
  std::vector<float> init_image;
  double strength = 1.0;
  // Region edit: size x size values in [0, 1], 1 = generate, 0 = keep init_image.
  std::vector<float> mask;
};

[[nodiscard]] Status validate_request(const TextToImageRequest& request, const FlowModelSpec& spec);

struct PipelineAction {
  enum class Kind { kRunModel, kPreview, kDone };
  Kind kind = Kind::kDone;
  std::string model;                // kRunModel: which graph
  std::vector<ModelTensor> inputs;  // kRunModel: its named inputs
  std::string output;               // kRunModel: the output provide() must receive
  int step = 0;                     // sampler steps completed so far
  int steps = 0;                    // sampler steps this request runs
  std::vector<float> images;        // kPreview / kDone: count x C x H x W, in [-1, 1]
};

class TextToImagePipeline {
 public:
  [[nodiscard]] static Result<TextToImagePipeline> create(const WordTokenizer& tokenizer, TextToImageRequest request,
                                                         FlowModelSpec spec = huabu_tiny_spec());

  // The next action. Errors: cancelled (after cancel()), invalid_argument when called while
  // outputs are awaited or after kDone.
  [[nodiscard]] Result<PipelineAction> next();
  // Outputs of the last kRunModel: must contain the named output with the right dtype, shape
  // and finite values; on error nothing changes and provide() may be called again.
  [[nodiscard]] Status provide(const std::vector<ModelTensor>& outputs);
  // Takes effect at the next next() (between steps); a run in flight is not interrupted.
  void cancel() { cancelled_ = true; }

  [[nodiscard]] int step() const { return step_; }
  [[nodiscard]] int steps() const { return last_step_ - first_step_; }
  [[nodiscard]] const std::vector<std::int64_t>& input_ids() const { return ids_; }
  [[nodiscard]] const FlowModelSpec& spec() const { return spec_; }

 private:
  enum class State { kEncode, kAwaitCond, kSample, kAwaitVelocity, kDone };

  [[nodiscard]] std::size_t per_image() const;
  [[nodiscard]] bool guided_step() const;  // does the current step use guidance?
  [[nodiscard]] PipelineAction run_denoiser(const std::vector<float>& sample, double t);
  void finish_step(const std::vector<double>& direction);
  [[nodiscard]] std::vector<float> clamped(const std::vector<float>& x) const;

  TextToImageRequest request_;
  FlowModelSpec spec_;
  std::vector<std::int64_t> ids_;
  std::vector<double> times_;  // the time grid t_0 = 1 .. t_steps = 0
  int first_step_ = 0;         // image-to-image starts later on the grid
  int last_step_ = 0;
  State state_ = State::kEncode;
  bool cancelled_ = false;
  int step_ = 0;               // completed steps (0 .. steps())
  bool heun_second_ = false;   // Heun: awaiting the corrector evaluation
  bool preview_due_ = false;
  std::vector<float> cond_;
  std::int64_t cond_width_ = 0;  // cond's second dimension, as the text model gave it
  std::vector<float> noise_;
  std::vector<float> x_;
  std::vector<float> x_trial_;        // Heun's predictor point
  std::vector<double> first_slope_;   // Heun's slope at the start of the step
  std::vector<float> preview_;
};

}  // namespace huabu
