#include "generate.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "huabu/engine/driver.h"
#include "huabu/tensor.h"
#include "huabu/text_to_image.h"
#include "huabu/word_tokenizer.h"
#include "cli_options.h"
#include "diffusers_layout.h"
#include "generate_diffusers.h"
#include "generate_timings.h"
#include "generated_images.h"
#include "model_manifest.h"

namespace huabu::cli {
namespace {

struct TextToImageModel {
  std::string id;
  std::string version;
  std::map<std::string, std::string> graphs;  // graph name -> file
  std::map<std::string, int> styles;          // style name -> id
  std::string default_style;                  // "any", else the style with id 0
  int default_steps = 12;
  double default_guidance = 4.0;
  double default_guidance_above = 0.0;  // guidance only on steps starting above this t
  int cond_dim = 0;  // the text encoder's output width, as the manifest declares it
  WordTokenizer tokenizer;
};

// The tokenizer from the manifest's "vocab" ({words: [...]}) and "zh" ({phrase: words}, in
// file order: a later phrase that folds to the same key wins, as in JSON.parse's order).
Result<WordTokenizer> read_tokenizer(const ModelManifest& m) {
  auto vocab_path = m.file_path("vocab");
  if (!vocab_path.ok()) return vocab_path.status();
  auto zh_path = m.file_path("zh");
  if (!zh_path.ok()) return zh_path.status();
  auto vocab = read_json_file(*vocab_path);
  if (!vocab.ok()) return vocab.status();
  auto zh_json = read_json_file(*zh_path);
  if (!zh_json.ok()) return zh_json.status();
  if (!vocab->contains("words") || !(*vocab)["words"].is_array()) return corrupt_data(*vocab_path + ": no 'words' list");
  std::vector<std::string> words;
  for (const auto& w : (*vocab)["words"]) {
    if (!w.is_string()) return corrupt_data(*vocab_path + ": 'words' must be strings");
    words.push_back(w.get<std::string>());
  }
  if (!zh_json->is_object()) return corrupt_data(*zh_path + ": must be an object {phrase: English words}");
  std::vector<std::pair<std::string, std::string>> zh;
  for (auto it = zh_json->begin(); it != zh_json->end(); ++it) {
    if (!it.value().is_string()) return corrupt_data(*zh_path + ": the value of '" + it.key() + "' must be a string");
    zh.emplace_back(it.key(), it.value().get<std::string>());
  }
  auto tokenizer = WordTokenizer::create(words, zh);
  if (!tokenizer.ok()) return Status(tokenizer.status().code(), m.dir + " tokenizer: " + tokenizer.status().message());
  return tokenizer;
}

// What the CLI needs from a text-to-image manifest (docs/model-format.md), checked against
// the sizes the pipeline works with (huabu_tiny_spec()); the cond width is the model's own.
Result<TextToImageModel> read_text_to_image_model(const std::string& dir, const FlowModelSpec& spec) {
  auto m = read_model_manifest(dir, "text-to-image");
  if (!m.ok()) return m.status();
  const auto& j = m->json;
  int tokens = 0;
  int cond_dim = 0;
  HUABU_RETURN_IF_ERROR(m->read_int("/text/max_tokens", 1, 4096, tokens));
  HUABU_RETURN_IF_ERROR(m->read_int("/text/cond_dim", 1, 1 << 20, cond_dim));
  if (tokens != spec.tokens) {
    return corrupt_data(m->file + ": text.max_tokens " + std::to_string(tokens) + " must be " +
                        std::to_string(spec.tokens) + " (the huabu-tiny pipeline)");
  }
  TextToImageModel model{j.value("id", ""), j.value("version", ""), {}, {}, "", 12, 4.0, 0.0, cond_dim, {}};
  for (const std::string& name : {spec.text_model, spec.denoiser}) {
    const nlohmann::json::json_pointer p("/graphs/" + name + "/path");
    if (!j.contains(p) || !j.at(p).is_string()) return corrupt_data(m->file + ": graphs." + name + ".path is missing");
    model.graphs[name] = dir + "/" + j.at(p).get<std::string>();
  }
  const nlohmann::json::json_pointer styles("/text/styles");
  if (!j.contains(styles) || !j.at(styles).is_object() || j.at(styles).empty()) {
    return corrupt_data(m->file + ": text.styles must map style names to ids");
  }
  for (const auto& [name, id] : j.at(styles).items()) {
    if (!id.is_number_integer()) return corrupt_data(m->file + ": text.styles." + name + " must be an integer");
    model.styles[name] = id.get<int>();
    if (name == "any" || (model.default_style != "any" && id.get<int>() == 0)) model.default_style = name;
  }
  HUABU_RETURN_IF_ERROR(m->read_int("/sampler/steps", 1, kMaxSteps, model.default_steps));
  const nlohmann::json::json_pointer guidance("/sampler/guidance");
  if (j.contains(guidance) && j.at(guidance).is_number()) model.default_guidance = j.at(guidance).get<double>();
  const nlohmann::json::json_pointer guidance_above("/sampler/guidance_above");
  if (j.contains(guidance_above) && j.at(guidance_above).is_number()) {
    model.default_guidance_above = j.at(guidance_above).get<double>();
  }
  auto tokenizer = read_tokenizer(*m);
  if (!tokenizer.ok()) return tokenizer.status();
  model.tokenizer = std::move(tokenizer).value();
  return model;
}

// The request as web/src/ml/generate-request.js makes it from a chat request: manifest
// defaults, style by name, a random seed when none is given (printed, so it can be repeated).
Result<TextToImageRequest> make_request(const std::string& prompt, const TextToImageModel& model,
                                        const std::map<std::string, std::string>& options) {
  TextToImageRequest r;
  r.prompt = prompt;
  const auto style = options.count("--style") ? options.at("--style") : model.default_style;
  const auto found = model.styles.find(style);
  if (found == model.styles.end()) {
    std::string known;
    for (const auto& [name, id] : model.styles) known += (known.empty() ? "" : ", ") + name;
    return invalid_argument("unknown style '" + style + "'; " + model.id + " knows: " + known);
  }
  r.style = found->second;
  auto seed = seed_option(options);
  if (!seed.ok()) return seed.status();
  r.seed = *seed;
  auto count = int_option(options, "--count", 1);
  auto steps = int_option(options, "--steps", model.default_steps);
  auto guidance = number_option(options, "--guidance", model.default_guidance);
  auto guidance_above = number_option(options, "--guidance-above", model.default_guidance_above);
  if (!count.ok()) return count.status();
  if (!steps.ok()) return steps.status();
  if (!guidance.ok()) return guidance.status();
  if (!guidance_above.ok()) return guidance_above.status();
  r.count = *count;
  r.steps = *steps;
  r.guidance = *guidance;
  r.guidance_above = *guidance_above;
  auto sampler = parse_flow_sampler(options.count("--sampler") ? options.at("--sampler") : "euler");
  if (!sampler.ok()) return sampler.status();
  r.sampler = *sampler;
  return r;
}

}  // namespace

int run_generate(const std::vector<std::string>& positional, const std::map<std::string, std::string>& options) {
  if (positional.size() != 2) return fail(invalid_argument("generate takes PROMPT and OUT"));
  const std::string model_dir = string_option(options, "--model-dir", std::string(HUABU_MODELS_DIR) + "/huabu-tiny");
  if (is_diffusers_layout(model_dir)) return run_generate_diffusers(positional, options, model_dir);
  auto output = read_output_options(options, 4);
  if (!output.ok()) return fail(output.status());

  FlowModelSpec spec = huabu_tiny_spec();
  auto model = read_text_to_image_model(model_dir, spec);
  if (!model.ok()) return fail(model.status());
  spec.cond_dim = model->cond_dim;  // the text encoder's output must then match the manifest
  auto request = make_request(positional[0], *model, options);
  if (!request.ok()) return fail(request.status());
  // The core accepts a prompt without words (the unconditional "empty prompt" of guidance);
  // a user who typed nothing to draw gets told instead of a random picture.
  auto ids = model->tokenizer.encode(request->prompt, spec.tokens);
  if (!ids.ok()) return fail(ids.status());  // too long, not UTF-8: the message names the byte
  if (std::all_of(ids->begin(), ids->end(), [](std::int64_t id) { return id == kPadToken; })) {
    return fail(invalid_argument("the prompt has no words to draw from; say what to draw, e.g. \"a red fox\""));
  }
  auto pipeline = TextToImagePipeline::create(model->tokenizer, *request, spec);
  if (!pipeline.ok()) return fail(pipeline.status());

  // The graphs run on 2 x count rows (each prompt and its unconditional twin), and the UNet
  // on count rows too on the steps past guidance_above: one import per batch, each pinned
  // to it, which is what lets OpenCV 4.6 plan the graph (docs/native-engine.md). Made here,
  // so the request's timings hold no import.
  const auto rows = static_cast<std::int64_t>(request->count);
  engine::ModelSet graphs;
  for (const auto& [name, path] : model->graphs) {
    Status loaded = graphs.load_pinned_per_run_size(name, path);
    if (loaded.ok()) loaded = graphs.prepare(name, {{"B", 2 * rows}});
    if (loaded.ok() && name == spec.denoiser && request->guidance_above > 0) loaded = graphs.prepare(name, {{"B", rows}});
    if (!loaded.ok()) return fail(loaded);
  }
  std::fprintf(stderr, "generate: %s %s, seed %llu, style %s, %d %s steps, guidance %g above t = %g, %d image(s)\n",
               model->id.c_str(), model->version.c_str(), static_cast<unsigned long long>(request->seed),
               (options.count("--style") ? options.at("--style") : model->default_style).c_str(), request->steps,
               std::string(flow_sampler_name(request->sampler)).c_str(), request->guidance, request->guidance_above,
               request->count);
  GenerateTimings timings(spec.text_model, "");
  int reported = -1;
  auto done = engine::drive(*pipeline, graphs, {.keep_going = nullptr, .on_action = [&](const PipelineAction& a) {
    // As web/src/ml/text-to-image.js reports: once per sampler step, and at the end.
    const bool step = a.kind == PipelineAction::Kind::kRunModel && a.model != spec.text_model && a.step != reported;
    if (step || a.kind == PipelineAction::Kind::kDone) {
      reported = a.step;
      std::fprintf(stderr, "generate: step %d/%d\n", a.step, a.steps);
    }
  }, .on_model_run = [&](const PipelineAction& a, double ms) { timings.model_ran(a, ms); }});
  if (!done.ok()) return fail(done.status());
  timings.sampling_done();

  const Status written = write_generated_images({done->images, request->count, spec.size, spec.size},
                                                output->upscale_by, positional[1], output->webp);
  if (!written.ok()) return fail(written);
  if (options.count("--timings")) timings.print();
  return 0;
}

}  // namespace huabu::cli
