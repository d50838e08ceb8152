// The diffusers-layout text -> image state machine: encode the prompt (and the negative prompt
// with guidance), then per image: noise, one UNet run per sampler step, one VAE decode.
#include "huabu/diffusers_pipeline.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "base/str_cat.h"
#include "huabu/rng.h"

namespace huabu {

using detail::str_cat;

namespace {

constexpr int kMaxPixels = 4096;  // a side, in pixels

bool euler_family(DiffusersSampler s) { return s == DiffusersSampler::kEuler || s == DiffusersSampler::kEulerAncestral; }

// Latents along one axis: from the request's pixels, the graph's fixed size, or 512 pixels.
Result<int> latent_extent(int pixels, int fixed, int scale, std::string_view what) {
  if (pixels == 0) return fixed > 0 ? fixed : std::max(1, 512 / scale);
  if (pixels < scale || pixels > kMaxPixels || pixels % scale != 0) {
    return invalid_argument(str_cat(what, " ", pixels, " must be a multiple of ", scale, " in ", scale, "..", kMaxPixels));
  }
  if (fixed > 0 && pixels / scale != fixed) {
    return invalid_argument(str_cat(what, " ", pixels, ": this model's UNet only takes ", fixed * scale, " pixels"));
  }
  return pixels / scale;
}

const GraphPort* find_input(const GraphSignature& sig, std::string_view name) {
  for (const GraphPort& p : sig.inputs) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

}  // namespace

Result<DiffusersTextToImage> DiffusersTextToImage::create(ClipTokenizer& tokenizer, DiffusersModel model,
                                                          DiffusersRequest request) {
  const DiffusersRequest& r = request;
  if (r.count < 1 || r.count > kMaxImagesPerRequest) {
    return invalid_argument(str_cat("count ", r.count, " must be in 1..", kMaxImagesPerRequest));
  }
  if (r.steps < 1 || r.steps > kMaxSteps) return invalid_argument(str_cat("steps ", r.steps, " must be in 1..", kMaxSteps));
  if (!(r.guidance >= 0 && r.guidance <= 30)) return invalid_argument(str_cat("guidance ", r.guidance, " must be in 0..30"));
  if (model.tokens >= 0 && model.tokens != tokenizer.max_length()) {
    return invalid_argument(str_cat("the text encoder takes ", model.tokens, " tokens but the tokenizer gives ",
                                    tokenizer.max_length(), " (tokenizer_config.json model_max_length)"));
  }
  const int batch = r.guidance > 1.0 ? 2 : 1;
  if (model.unet_batch >= 0 && model.unet_batch != batch) {
    return invalid_argument(str_cat("this UNet has a fixed batch of ", model.unet_batch, "; ",
                                    batch == 2 ? "guidance > 1 (classifier-free guidance) needs batch 2: use guidance <= 1"
                                               : "without guidance (<= 1) it needs batch 1: use guidance > 1"));
  }
  const GraphPort* timestep = find_input(model.graphs.unet, "timestep");
  if (timestep && timestep->shape.size() == 1 && timestep->shape[0] > batch) {
    return invalid_argument(str_cat("unet timestep has a fixed length of ", timestep->shape[0], " but the batch is ", batch));
  }

  DiffusersTextToImage p;
  p.sampler_ = r.sampler.value_or(default_diffusers_sampler(model.scheduler.class_name));
  auto h = latent_extent(r.height, model.latent_height, model.vae.scale, "height");
  if (!h.ok()) return h.status();
  auto w = latent_extent(r.width, model.latent_width, model.vae.scale, "width");
  if (!w.ok()) return w.status();
  p.latent_h_ = *h;
  p.latent_w_ = *w;

  const SchedulerConfig& sc = model.scheduler;
  auto alphas = scaled_linear_alphas_cumprod(sc.schedule);
  if (!alphas.ok()) return alphas.status();
  p.alphas_ = std::move(alphas).value();
  if (euler_family(p.sampler_)) {
    auto s = euler_ancestral_schedule(p.alphas_, r.steps, sc.spacing, sc.steps_offset);
    if (!s.ok()) return s.status();
    p.timesteps_ = s->timesteps;
    p.sigmas_ = s->sigmas;
    p.init_sigma_ = s->init_noise_sigma;
  } else {
    auto ts = p.sampler_ == DiffusersSampler::kDdim
                  ? ddim_timesteps(sc.schedule.train_steps, r.steps, sc.spacing, sc.steps_offset)
                  : lcm_timesteps(sc.schedule.train_steps, r.steps, sc.original_inference_steps);
    if (!ts.ok()) return ts.status();
    p.timesteps_.assign(ts->begin(), ts->end());
  }

  auto ids = tokenizer.encode(r.prompt);
  if (!ids.ok()) return ids.status();
  auto negative = tokenizer.encode(r.negative_prompt);
  if (!negative.ok()) return Status(negative.status().code(), "negative prompt: " + negative.status().message());
  p.ids_ = std::move(ids).value();
  p.negative_ids_ = std::move(negative).value();
  p.hidden_ = model.hidden;
  p.model_ = std::move(model);
  p.request_ = std::move(request);
  return p;
}

std::size_t DiffusersTextToImage::latent_size() const {
  return static_cast<std::size_t>(model_.latent_channels) * latent_h_ * latent_w_;
}

std::string DiffusersTextToImage::input_dtype(std::string_view model, std::string_view name) const {
  const GraphSignature* sig = model == "text_encoder" ? &model_.graphs.text_encoder
                              : model == "unet"       ? &model_.graphs.unet
                              : model == "vae_decoder" ? &model_.graphs.vae_decoder
                                                       : nullptr;
  const GraphPort* port = sig ? find_input(*sig, name) : nullptr;
  return port ? port->dtype : std::string();
}

void DiffusersTextToImage::start_image() {
  // Stream i: image i's noise does not depend on count (as text_to_image.h).
  Philox rng(request_.seed, static_cast<std::uint64_t>(image_));
  x_.resize(latent_size());
  rng.fill_normal(x_);
  if (euler_family(sampler_)) {
    for (float& v : x_) v = static_cast<float>(v * init_sigma_);
  }
  step_ = 0;
  state_ = State::kDenoise;
}

PipelineAction DiffusersTextToImage::run(std::string model, std::string output) {
  PipelineAction a;
  a.kind = PipelineAction::Kind::kRunModel;
  a.model = std::move(model);
  a.output = std::move(output);
  a.step = completed_steps();
  a.steps = total_steps();
  return a;
}

void DiffusersTextToImage::add_unet_inputs(PipelineAction* a) const {
  const int batch = guided() ? 2 : 1;
  const std::size_t n = latent_size();
  const double scale = euler_family(sampler_) ? euler_input_scale(sigmas_[static_cast<std::size_t>(step_)]) : 1.0;
  std::vector<float> sample(n * static_cast<std::size_t>(batch));
  for (std::size_t i = 0; i < n; ++i) sample[i] = static_cast<float>(x_[i] * scale);
  if (batch == 2) std::copy_n(sample.begin(), n, sample.begin() + static_cast<std::ptrdiff_t>(n));
  a->inputs.push_back({"sample", TensorDtype::kFloat32, {batch, model_.latent_channels, latent_h_, latent_w_},
                       std::move(sample), {}});

  // diffusers' ONNX pipelines pass [t] in the graph's dtype (int: truncated) and let the UNet broadcast it.
  const double t = timesteps_[static_cast<std::size_t>(step_)];
  const GraphPort* port = find_input(model_.graphs.unet, "timestep");
  std::vector<std::int64_t> shape;
  if (port->shape.size() == 1) shape.push_back(port->shape[0] > 0 ? port->shape[0] : 1);
  const auto count = static_cast<std::size_t>(shape.empty() ? 1 : shape[0]);
  if (port->dtype == "int64" || port->dtype == "int32") {
    a->inputs.push_back({"timestep", TensorDtype::kInt64, shape, {}, std::vector<std::int64_t>(count, static_cast<std::int64_t>(t))});
  } else {
    a->inputs.push_back({"timestep", TensorDtype::kFloat32, shape, std::vector<float>(count, static_cast<float>(t)), {}});
  }

  // Rows: unconditional, then conditional (diffusers' order).
  std::vector<float> context;
  if (batch == 2) context = uncond_;
  context.insert(context.end(), cond_.begin(), cond_.end());
  a->inputs.push_back({"encoder_hidden_states", TensorDtype::kFloat32,
                       {batch, static_cast<std::int64_t>(ids_.size()), hidden_}, std::move(context), {}});
}

Result<PipelineAction> DiffusersTextToImage::next() {
  if (cancelled_) {
    return cancelled(str_cat("generation cancelled after step ", completed_steps(), " of ", total_steps()));
  }
  switch (state_) {
    case State::kEncode: {
      const std::vector<std::int64_t>& ids = text_runs_ == 0 ? ids_ : negative_ids_;
      PipelineAction a = run("text_encoder", "last_hidden_state");
      a.inputs.push_back({"input_ids", TensorDtype::kInt64, {1, static_cast<std::int64_t>(ids.size())}, {}, ids});
      state_ = State::kAwaitText;
      return a;
    }
    case State::kDenoise: {
      if (step_ < request_.steps) {
        PipelineAction a = run("unet", "out_sample");
        add_unet_inputs(&a);
        state_ = State::kAwaitUnet;
        return a;
      }
      PipelineAction a = run("vae_decoder", "sample");
      std::vector<float> latents(x_.size());
      for (std::size_t i = 0; i < x_.size(); ++i) latents[i] = static_cast<float>(x_[i] / model_.vae.scaling_factor);
      a.inputs.push_back({"latent_sample", TensorDtype::kFloat32, {1, model_.latent_channels, latent_h_, latent_w_},
                          std::move(latents), {}});
      state_ = State::kAwaitVae;
      return a;
    }
    case State::kFinish: {
      PipelineAction a;
      a.kind = PipelineAction::Kind::kDone;
      a.step = a.steps = total_steps();
      a.images = std::move(images_);
      images_.clear();
      state_ = State::kDone;
      return a;
    }
    case State::kAwaitText:
    case State::kAwaitUnet:
    case State::kAwaitVae: {
      const char* graph = state_ == State::kAwaitText ? "text_encoder" : state_ == State::kAwaitUnet ? "unet" : "vae_decoder";
      return invalid_argument(str_cat("next() called while the outputs of ", graph, " are awaited"));
    }
    case State::kDone:
      break;
  }
  return invalid_argument("the pipeline has finished");
}

Status DiffusersTextToImage::provide(const std::vector<ModelTensor>& outputs) {
  switch (state_) {
    case State::kAwaitText: {
      const auto tokens = static_cast<std::int64_t>(ids_.size());
      auto state = find_float_output(outputs, "text_encoder", "last_hidden_state", {1, tokens, hidden_});
      if (!state.ok()) return state.status();
      if ((*state)->shape[2] > 16384) return invalid_argument("text_encoder last_hidden_state is wider than 16384");
      hidden_ = static_cast<int>((*state)->shape[2]);  // fixed from now on
      (text_runs_ == 0 ? cond_ : uncond_) = (*state)->f32;
      ++text_runs_;
      if (guided() && text_runs_ < 2) {
        state_ = State::kEncode;
      } else {
        start_image();
      }
      return ok_status();
    }
    case State::kAwaitUnet: {
      const int batch = guided() ? 2 : 1;
      auto out = find_float_output(outputs, "unet", "out_sample", {batch, model_.latent_channels, latent_h_, latent_w_});
      if (!out.ok()) return out.status();
      const std::vector<float>& v = (*out)->f32;
      const std::size_t n = latent_size();
      std::vector<float> eps(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n));
      if (batch == 2) {  // classifier-free guidance (Ho & Salimans 2022), in double
        for (std::size_t i = 0; i < n; ++i) {
          const double u = v[i];
          eps[i] = static_cast<float>(u + request_.guidance * (static_cast<double>(v[n + i]) - u));
        }
      }
      return finish_step(eps);
    }
    case State::kAwaitVae: {
      const int s = model_.vae.scale;
      auto out = find_float_output(outputs, "vae_decoder", "sample", {1, 3, latent_h_ * s, latent_w_ * s});
      if (!out.ok()) return out.status();
      for (float v : (*out)->f32) images_.push_back(std::clamp(v, -1.0f, 1.0f));
      ++image_;
      if (image_ == request_.count) {
        state_ = State::kFinish;
      } else {
        start_image();
      }
      return ok_status();
    }
    default:
      return invalid_argument("provide() called when no model outputs are awaited");
  }
}

Status DiffusersTextToImage::finish_step(const std::vector<float>& eps) {
  const auto s = static_cast<std::size_t>(step_);
  const std::size_t n = x_.size();
  std::vector<float> next(n);
  switch (sampler_) {
    case DiffusersSampler::kEuler: {  // x0 = x - sigma eps; dx/dsigma = eps (Karras et al. 2022, Alg. 1 with no churn)
      const double dt = sigmas_[s + 1] - sigmas_[s];
      for (std::size_t i = 0; i < n; ++i) next[i] = static_cast<float>(x_[i] + dt * eps[i]);
      break;
    }
    case DiffusersSampler::kEulerAncestral: {
      auto noise = ancestral_noise(request_.seed, image_, step_, static_cast<std::int64_t>(n));
      if (!noise.ok()) return noise.status();
      euler_ancestral_step(eps, x_, sigmas_[s], sigmas_[s + 1], *noise, next);
      break;
    }
    case DiffusersSampler::kDdim: {
      const int t = static_cast<int>(timesteps_[s]);
      const double previous = ddim_previous_alpha(alphas_, t, request_.steps, model_.scheduler.set_alpha_to_one);
      ddim_step(eps, x_, alphas_[static_cast<std::size_t>(t)], previous, next);
      break;
    }
    case DiffusersSampler::kLcm: {
      const int t = static_cast<int>(timesteps_[s]);
      const bool last = step_ + 1 == request_.steps;
      const double alpha_next = last ? 1.0 : alphas_[static_cast<std::size_t>(timesteps_[s + 1])];
      std::vector<float> noise;
      if (!last) {
        auto drawn = ancestral_noise(request_.seed, image_, step_, static_cast<std::int64_t>(n));
        if (!drawn.ok()) return drawn.status();
        noise = std::move(drawn).value();
      }
      lcm_step(eps, x_, t, alphas_[static_cast<std::size_t>(t)], alpha_next, last, noise, next);
      break;
    }
  }
  x_ = std::move(next);
  ++step_;
  state_ = State::kDenoise;
  return ok_status();
}

}  // namespace huabu
