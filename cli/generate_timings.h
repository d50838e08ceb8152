// huabu-cli generate --timings: where a request's time goes (issue #4's breakdown, natively),
// printed at the end as one line on stderr for tools/bench.mjs:
//   timings {"encode_ms": 3.1, "steps_ms": [41.2, ...], "decode_ms": 0, "core_ms": 1.9,
//            "output_ms": 120.4, "total_ms": 640.2}
// encode: the text encoder's runs; steps: the denoiser's runs per sampler step; decode: the
// VAE's; core: the rest of the pipeline loop (tokenizer, sampler arithmetic, tensor
// adapters); output: images to RGBA, optional x4 SR, encoding and writing the files. A graph
// imported at its first run (diffusers layouts) counts its import in that run's time.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "huabu/text_to_image.h"

namespace huabu::cli {

class GenerateTimings {
 public:
  // The graph names that count as encode and decode (others count as steps).
  GenerateTimings(std::string encoder, std::string decoder);

  void model_ran(const PipelineAction& action, double ms);
  void sampling_done();  // the pipeline has returned kDone
  void print() const;    // after the files are written

 private:
  using Clock = std::chrono::steady_clock;
  std::string encoder_;
  std::string decoder_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point sampled_ = start_;
  double encode_ms_ = 0;
  double decode_ms_ = 0;
  std::vector<double> steps_ms_;
};

}  // namespace huabu::cli
