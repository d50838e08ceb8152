#include "generate_timings.h"

#include <cstdio>
#include <numeric>

namespace huabu::cli {

GenerateTimings::GenerateTimings(std::string encoder, std::string decoder)
    : encoder_(std::move(encoder)), decoder_(std::move(decoder)) {}

void GenerateTimings::model_ran(const PipelineAction& action, double ms) {
  if (action.model == encoder_) {
    encode_ms_ += ms;
  } else if (action.model == decoder_) {
    decode_ms_ += ms;
  } else {
    // Heun runs the denoiser twice per step; a guided huabu-tiny step is one batched run.
    const auto step = static_cast<std::size_t>(action.step);
    if (steps_ms_.size() <= step) steps_ms_.resize(step + 1, 0.0);
    steps_ms_[step] += ms;
  }
}

void GenerateTimings::sampling_done() { sampled_ = Clock::now(); }

void GenerateTimings::print() const {
  const auto ms = [](Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  const double models = encode_ms_ + decode_ms_ + std::accumulate(steps_ms_.begin(), steps_ms_.end(), 0.0);
  std::string steps;
  for (double s : steps_ms_) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", s);
    steps += (steps.empty() ? "" : ", ") + std::string(buf);
  }
  std::fprintf(stderr,
               "timings {\"encode_ms\": %.3f, \"steps_ms\": [%s], \"decode_ms\": %.3f, \"core_ms\": %.3f, "
               "\"output_ms\": %.3f, \"total_ms\": %.3f}\n",
               encode_ms_, steps.c_str(), decode_ms_, ms(sampled_ - start_) - models, ms(Clock::now() - sampled_),
               ms(Clock::now() - start_));
}

}  // namespace huabu::cli
