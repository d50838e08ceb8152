#include "generate_diffusers.h"

#include <cstdio>

#include "diffusers_layout.h"
#include "generate_timings.h"
#include "generated_images.h"
#include "huabu/diffusers_pipeline.h"
#include "huabu/engine/driver.h"

namespace huabu::cli {
namespace {

Result<DiffusersRequest> make_request(const std::string& prompt, const Options& options) {
  DiffusersRequest r;
  r.prompt = prompt;
  r.negative_prompt = string_option(options, "--negative", "");
  auto seed = seed_option(options);
  if (!seed.ok()) return seed.status();
  r.seed = *seed;
  auto count = int_option(options, "--count", r.count);
  auto steps = int_option(options, "--steps", r.steps);
  auto guidance = number_option(options, "--guidance", r.guidance);
  auto width = int_option(options, "--width", 0);
  auto height = int_option(options, "--height", 0);
  for (const Status& s : {count.status(), steps.status(), guidance.status(), width.status(), height.status()}) {
    if (!s.ok()) return s;
  }
  r.count = *count;
  r.steps = *steps;
  r.guidance = *guidance;
  r.width = *width;
  r.height = *height;
  if (options.count("--sampler")) {
    auto sampler = parse_diffusers_sampler(options.at("--sampler"));
    if (!sampler.ok()) return sampler.status();
    r.sampler = *sampler;
  }
  return r;
}

}  // namespace

int run_generate_diffusers(const std::vector<std::string>& positional, const Options& options, const std::string& dir) {
  auto output = read_output_options(options, 1);
  if (!output.ok()) return fail(output.status());
  engine::ModelSet graphs;
  auto layout = read_diffusers_layout(dir, graphs);
  if (!layout.ok()) return fail(layout.status());
  auto request = make_request(positional[0], options);
  if (!request.ok()) return fail(request.status());
  // The pipeline would draw an empty prompt unconditionally; a user who typed nothing to draw
  // is told instead (as for huabu-tiny). Too long or not UTF-8: the tokenizer's message.
  auto tokens = layout->tokenizer.tokenize(request->prompt);
  if (!tokens.ok()) return fail(tokens.status());
  if (tokens->empty()) return fail(invalid_argument("the prompt is empty; say what to draw, e.g. \"a red fox\""));
  const std::uint64_t seed = request->seed;
  auto pipeline = DiffusersTextToImage::create(layout->tokenizer, layout->model, std::move(request).value());
  if (!pipeline.ok()) return fail(pipeline.status());

  std::fprintf(stderr, "generate: %s (diffusers layout), seed %llu, %d x %d, %d %s steps, %d image(s)\n",
               layout->name.c_str(), static_cast<unsigned long long>(seed), pipeline->width(), pipeline->height(),
               pipeline->total_steps() / pipeline->count(),
               std::string(diffusers_sampler_name(pipeline->sampler())).c_str(), pipeline->count());
  GenerateTimings timings("text_encoder", "vae_decoder");
  int reported = -1;
  auto done = engine::drive(*pipeline, graphs, {.keep_going = nullptr, .on_action = [&](const PipelineAction& a) {
    // As the browser reports: once per UNet step, and at the end.
    const bool step = a.kind == PipelineAction::Kind::kRunModel && a.model == "unet" && a.step != reported;
    if (step || a.kind == PipelineAction::Kind::kDone) {
      reported = a.step;
      std::fprintf(stderr, "generate: step %d/%d\n", a.step, a.steps);
    }
  }, .on_model_run = [&](const PipelineAction& a, double ms) { timings.model_ran(a, ms); }});
  if (!done.ok()) return fail(done.status());
  timings.sampling_done();
  const Status written = write_generated_images({done->images, pipeline->count(), pipeline->width(), pipeline->height()},
                                                output->upscale_by, positional[1], output->webp);
  if (!written.ok()) return fail(written);
  if (options.count("--timings")) timings.print();
  return 0;
}

}  // namespace huabu::cli
