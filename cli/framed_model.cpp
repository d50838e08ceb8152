#include "framed_model.h"

#include <cstdio>
#include <cstdlib>

#include "huabu/engine/onnx_engine.h"
#include "huabu/sketch_input.h"
#include "huabu/tensor.h"
#include "image_files.h"
#include "model_manifest.h"
#include "sr_manifest.h"
#include "upscale.h"

namespace huabu::cli {
namespace {

// What tells the two commands apart.
struct FramedCommand {
  const char* name;           // for messages
  const char* task;           // the manifest's task
  const char* model_id;       // the default model directory under models/
  const char* default_style;  // nullptr: --style is required
};

constexpr FramedCommand kSketch2Img{"sketch2img", "sketch-to-image", "huabu-sketch", "any"};
constexpr FramedCommand kStyleTransfer{"style-transfer", "style-transfer", "huabu-style", nullptr};

struct FramedModel {
  std::string id;
  std::string model_path;
  std::string input_name;           // inputs[0].name: "sketch" or "picture"
  int channels = 1;                 // inputs[0].shape[1]: 1 grey, 3 RGB
  int size = 0;                     // input side (inputs[0].shape[2])
  std::vector<std::string> styles;  // the style input's one-hot order
};

Result<FramedModel> read_framed_manifest(const std::string& dir, const char* task) {
  auto m = read_model_manifest(dir, task);
  if (!m.ok()) return m.status();
  FramedModel s;
  s.id = m->json.value("id", "");
  HUABU_RETURN_IF_ERROR(m->read_int("/inputs/0/shape/2", 8, 1024, s.size));
  HUABU_RETURN_IF_ERROR(m->read_int("/inputs/0/shape/1", 1, 3, s.channels));
  const auto name = m->json.value(nlohmann::json::json_pointer("/inputs/0/name"), nlohmann::json());
  if (!name.is_string() || (s.channels != 1 && s.channels != 3)) {
    return corrupt_data(m->file + ": inputs[0] must have a name and 1 or 3 channels");
  }
  s.input_name = name.get<std::string>();
  const auto& styles = m->json["styles"];
  if (!styles.is_array() || styles.empty()) return corrupt_data(m->file + ": 'styles' must be a list of names");
  for (const auto& name : styles) {
    if (!name.is_string()) return corrupt_data(m->file + ": 'styles' must be a list of names");
    s.styles.push_back(name.get<std::string>());
  }
  auto model = m->file_path("model");
  if (!model.ok()) return model.status();
  s.model_path = *model;
  return s;
}

Result<std::vector<float>> style_one_hot(const FramedModel& model, const std::string& style) {
  std::vector<float> v(model.styles.size(), 0.0f);
  std::string known;
  for (std::size_t i = 0; i < model.styles.size(); ++i) {
    if (model.styles[i] == style) {
      v[i] = 1.0f;
      return v;
    }
    known += (known.empty() ? "" : ", ") + model.styles[i];
  }
  return invalid_argument("unknown style '" + style + "'; " + model.id + " knows: " + known);
}

// The model's [1, 3, size, size] output in [-1, 1] as an RGBA8 image (alpha 255): byte =
// (value * 0.5 + 0.5) * 255, written exactly as the browser does, so both round alike.
Result<Image> output_to_image(const std::vector<float>& chw, int size) {
  TensorOptions o;
  o.scale = 1.0f / 255.0f;
  o.mean = {0.5f, 0.5f, 0.5f};
  o.std = {0.5f, 0.5f, 0.5f};
  return tensor_to_image(chw, size, size, o);
}

int fail(const Status& status) {
  std::fprintf(stderr, "huabu-cli: %s\n", status.to_string().c_str());
  return 1;
}

int run_framed(const FramedCommand& command, const std::vector<std::string>& positional,
               const std::map<std::string, std::string>& options) {
  if (positional.size() != 2) return fail(invalid_argument(std::string(command.name) + " takes IN and OUT"));
  const auto opt = [&](const char* name, const std::string& fallback) {
    const auto it = options.find(name);
    return it == options.end() ? fallback : it->second;
  };
  const std::string models = HUABU_MODELS_DIR;
  const std::string upscale_by = opt("--upscale", "4");
  if (upscale_by != "1" && upscale_by != "4") return fail(invalid_argument("--upscale takes 1 or 4"));

  auto model = read_framed_manifest(opt("--model-dir", models + "/" + command.model_id), command.task);
  if (!model.ok()) return fail(model.status());
  if (!command.default_style && !options.count("--style")) {
    return fail(invalid_argument(std::string(command.name) + " needs --style NAME (the emoji set to redraw in)"));
  }
  auto style = style_one_hot(*model, opt("--style", command.default_style ? command.default_style : ""));
  if (!style.ok()) return fail(style.status());
  auto source = read_image(positional[0]);
  if (!source.ok()) return fail(source.status());
  auto input = sketch_to_input(source->view(), {.size = model->size, .channels = model->channels});
  if (!input.ok()) return fail(input.status());

  auto engine = engine::OnnxEngine::load(model->model_path, {{"B", 1}});
  if (!engine.ok()) return fail(engine.status());
  engine::NamedTensors in;
  in.emplace(model->input_name,
             engine::Tensor::float32({1, model->channels, model->size, model->size}, std::move(input->values)));
  in.emplace("style", engine::Tensor::float32({1, static_cast<std::int64_t>(style->size())}, *style));
  std::fprintf(stderr, "%s: %s\n", command.name, model->id.c_str());
  auto out = engine->run(in);
  if (!out.ok()) return fail(out.status());
  auto picture = output_to_image(out->at("image").floats(), model->size);
  if (!picture.ok()) return fail(picture.status());

  if (upscale_by == "4") {
    auto sr = read_sr_manifest(models + "/huabu-sr-x4");
    if (!sr.ok()) return fail(sr.status());
    auto sr_engine = engine::OnnxEngine::load(sr->model_path);
    if (!sr_engine.ok()) return fail(sr_engine.status());
    auto big = upscale(*sr_engine, *sr, picture->view(), [&](int done, int total) {
      std::fprintf(stderr, "upscale: %s tile %d/%d\n", sr->id.c_str(), done, total);
    });
    if (!big.ok()) return fail(big.status());
    picture = std::move(big);
  }
  WebpEncodeOptions webp;
  const std::string quality = opt("--quality", "90");
  char* end = nullptr;
  webp.quality = std::strtof(quality.c_str(), &end);
  if (quality.empty() || *end != '\0') return fail(invalid_argument("--quality must be a number 0..100"));
  webp.lossless = options.count("--lossless") > 0;
  const Status written = write_image(positional[1], picture->view(), webp);
  if (!written.ok()) return fail(written);
  std::printf("%s: %d x %d\n", positional[1].c_str(), picture->width(), picture->height());
  return 0;
}

}  // namespace

int run_sketch2img(const std::vector<std::string>& positional, const std::map<std::string, std::string>& options) {
  return run_framed(kSketch2Img, positional, options);
}

int run_style_transfer(const std::vector<std::string>& positional, const std::map<std::string, std::string>& options) {
  return run_framed(kStyleTransfer, positional, options);
}

}  // namespace huabu::cli
