// The text -> image state machine: encode text once, then one denoiser evaluation per Euler
// step (two per Heun step, one on the last), previews between steps, clamp at the end.
#include "huabu/text_to_image.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "base/str_cat.h"
#include "huabu/rng.h"
#include "pipeline/flow_schedule.h"

namespace huabu {

using detail::str_cat;

Result<TextToImagePipeline> TextToImagePipeline::create(const WordTokenizer& tokenizer, TextToImageRequest request,
                                                        FlowModelSpec spec) {
  HUABU_RETURN_IF_ERROR(validate_request(request, spec));
  auto ids = tokenizer.encode(request.prompt, spec.tokens);
  if (!ids.ok()) return ids.status();
  for (std::int64_t id : *ids) {
    if (id >= static_cast<std::int64_t>(tokenizer.vocabulary_size())) return internal_error("token id outside the vocabulary");
  }

  TextToImagePipeline p;
  p.spec_ = std::move(spec);
  p.request_ = std::move(request);
  p.ids_ = std::move(ids).value();
  const TextToImageRequest& r = p.request_;
  p.times_ = detail::flow_time_grid(r.steps, r.shift);
  p.last_step_ = r.steps;
  p.first_step_ = r.init_image.empty() ? 0 : r.steps - static_cast<int>(std::floor(r.steps * r.strength));

  const std::size_t per = p.per_image();
  p.noise_.resize(per * static_cast<std::size_t>(r.count));
  for (int i = 0; i < r.count; ++i) {
    Philox rng(r.seed, static_cast<std::uint64_t>(i));
    rng.fill_normal(std::span<float>(p.noise_.data() + per * static_cast<std::size_t>(i), per));
  }
  p.x_ = p.noise_;
  if (!r.init_image.empty()) {  // x_t = (1 - t) x0 + t noise at the first step's time
    const double t = p.times_[static_cast<std::size_t>(p.first_step_)];
    for (std::size_t i = 0; i < p.x_.size(); ++i) {
      p.x_[i] = static_cast<float>((1.0 - t) * r.init_image[i % per] + t * p.noise_[i]);
    }
  }
  return p;
}

std::size_t TextToImagePipeline::per_image() const {
  return static_cast<std::size_t>(spec_.channels) * spec_.size * spec_.size;
}

Result<PipelineAction> TextToImagePipeline::next() {
  if (cancelled_) return cancelled(str_cat("generation cancelled after step ", step_, " of ", steps()));
  PipelineAction a;
  a.step = step_;
  a.steps = steps();
  const auto batch = static_cast<std::int64_t>(request_.count);
  switch (state_) {
    case State::kEncode: {
      // Rows 0..B-1: the prompt; rows B..2B-1: the empty prompt (all pad), same style.
      std::vector<std::int64_t> ids(static_cast<std::size_t>(2 * batch * spec_.tokens), kPadToken);
      for (std::int64_t b = 0; b < batch; ++b) std::copy(ids_.begin(), ids_.end(), ids.begin() + b * spec_.tokens);
      a.kind = PipelineAction::Kind::kRunModel;
      a.model = spec_.text_model;
      a.output = "cond";
      a.inputs.push_back({"input_ids", TensorDtype::kInt64, {2 * batch, spec_.tokens}, {}, std::move(ids)});
      a.inputs.push_back({"style_id", TensorDtype::kInt64, {2 * batch}, {},
                          std::vector<std::int64_t>(static_cast<std::size_t>(2 * batch), request_.style)});
      state_ = State::kAwaitCond;
      return a;
    }
    case State::kSample:
      if (preview_due_) {
        preview_due_ = false;
        a.kind = PipelineAction::Kind::kPreview;
        a.images = preview_;
        return a;
      }
      if (step_ == steps()) {
        state_ = State::kDone;
        a.kind = PipelineAction::Kind::kDone;
        a.images = clamped(x_);
        return a;
      }
      {
        const auto s = static_cast<std::size_t>(first_step_ + step_);
        return heun_second_ ? run_denoiser(x_trial_, times_[s + 1]) : run_denoiser(x_, times_[s]);
      }
    case State::kAwaitCond:
    case State::kAwaitVelocity:
      return invalid_argument("next() called while the outputs of " +
                              (state_ == State::kAwaitCond ? spec_.text_model : spec_.denoiser) + " are awaited");
    case State::kDone:
      break;
  }
  return invalid_argument("the pipeline has finished");
}

// Decided by the time the step starts, so both of a Heun step's evaluations agree.
bool TextToImagePipeline::guided_step() const {
  return times_[static_cast<std::size_t>(first_step_ + step_)] > request_.guidance_above;
}

PipelineAction TextToImagePipeline::run_denoiser(const std::vector<float>& sample, double t) {
  // With guidance the batch is doubled: conditional rows, then unconditional; without it,
  // the conditional rows alone (the first half of cond_).
  const std::int64_t copies = guided_step() ? 2 : 1;
  const auto rows = copies * static_cast<std::int64_t>(request_.count);
  PipelineAction a;
  a.kind = PipelineAction::Kind::kRunModel;
  a.model = spec_.denoiser;
  a.output = "velocity";
  a.step = step_;
  a.steps = steps();
  std::vector<float> samples(sample.size() * static_cast<std::size_t>(copies));
  for (std::int64_t c = 0; c < copies; ++c) {
    std::copy(sample.begin(), sample.end(), samples.begin() + c * static_cast<std::ptrdiff_t>(sample.size()));
  }
  a.inputs.push_back({"sample", TensorDtype::kFloat32, {rows, spec_.channels, spec_.size, spec_.size},
                      std::move(samples), {}});
  a.inputs.push_back({"timestep", TensorDtype::kFloat32, {rows},
                      std::vector<float>(static_cast<std::size_t>(rows), static_cast<float>(t)), {}});
  const auto cond_values = static_cast<std::ptrdiff_t>(rows * cond_width_);
  a.inputs.push_back({"cond", TensorDtype::kFloat32, {rows, cond_width_},
                      std::vector<float>(cond_.begin(), cond_.begin() + cond_values), {}});
  state_ = State::kAwaitVelocity;
  return a;
}

Status TextToImagePipeline::provide(const std::vector<ModelTensor>& outputs) {
  const auto batch = static_cast<std::int64_t>(request_.count);
  if (state_ == State::kAwaitCond) {
    auto cond = find_float_output(outputs, spec_.text_model, "cond", {2 * batch, spec_.cond_dim});
    if (!cond.ok()) return cond.status();
    cond_ = (*cond)->f32;
    cond_width_ = (*cond)->shape[1];
    state_ = State::kSample;
    return ok_status();
  }
  if (state_ != State::kAwaitVelocity) return invalid_argument("provide() called when no model outputs are awaited");
  const bool guided = guided_step();
  auto velocity = find_float_output(outputs, spec_.denoiser, "velocity",
                                    {(guided ? 2 : 1) * batch, spec_.channels, spec_.size, spec_.size});
  if (!velocity.ok()) return velocity.status();

  // Guided velocity v_u + g (v_c - v_u), in double as sampler.mjs computes it; v_c unguided.
  const std::vector<float>& v = (*velocity)->f32;
  const std::size_t n = x_.size();
  std::vector<double> slope(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n));
  if (guided) {
    for (std::size_t i = 0; i < n; ++i) {
      const double vu = v[n + i];
      slope[i] = vu + request_.guidance * (static_cast<double>(v[i]) - vu);
    }
  }
  state_ = State::kSample;
  const auto s = static_cast<std::size_t>(first_step_ + step_);
  const double dt = times_[s + 1] - times_[s];
  if (request_.sampler == FlowSampler::kHeun && !heun_second_ && times_[s + 1] != 0.0) {
    // Heun's predictor (Karras et al. 2022, Alg. 1): Euler to t_{i+1}, evaluate again there.
    x_trial_.resize(n);
    for (std::size_t i = 0; i < n; ++i) x_trial_[i] = static_cast<float>(x_[i] + dt * slope[i]);
    first_slope_ = std::move(slope);
    heun_second_ = true;
    return ok_status();
  }
  if (heun_second_) {  // corrector: the mean of both slopes
    for (std::size_t i = 0; i < n; ++i) slope[i] = 0.5 * (first_slope_[i] + slope[i]);
    heun_second_ = false;
  }
  finish_step(slope);
  return ok_status();
}

void TextToImagePipeline::finish_step(const std::vector<double>& slope) {
  const auto s = static_cast<std::size_t>(first_step_ + step_);
  const double t_next = times_[s + 1];
  const double dt = t_next - times_[s];
  const std::size_t per = per_image();
  const std::size_t plane = static_cast<std::size_t>(spec_.size) * spec_.size;
  const bool masked = !request_.mask.empty();
  const bool want_preview = request_.preview_every > 0 && (step_ + 1) % request_.preview_every == 0 &&
                            step_ + 1 < steps();
  if (want_preview) preview_.resize(x_.size());
  for (std::size_t i = 0; i < x_.size(); ++i) {
    x_[i] = static_cast<float>(x_[i] + dt * slope[i]);
    double predicted = x_[i] - t_next * slope[i];  // the clean image this slope points at
    if (masked) {
      // Outside the mask, x follows the init image's own noising path (same noise), so it
      // lands exactly on the init image at t = 0.
      const double m = request_.mask[i % plane];
      const double x0 = request_.init_image[i % per];
      x_[i] = static_cast<float>(m * x_[i] + (1.0 - m) * ((1.0 - t_next) * x0 + t_next * noise_[i]));
      predicted = m * predicted + (1.0 - m) * x0;
    }
    if (want_preview) preview_[i] = static_cast<float>(std::clamp(predicted, -1.0, 1.0));
  }
  preview_due_ = want_preview;
  ++step_;
}

std::vector<float> TextToImagePipeline::clamped(const std::vector<float>& x) const {
  std::vector<float> out(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = std::min(1.0f, std::max(-1.0f, x[i]));
  return out;
}

}  // namespace huabu
