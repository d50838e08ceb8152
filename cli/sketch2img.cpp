#include "sketch2img.h"

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

struct SketchModel {
  std::string id;
  std::string model_path;
  int size = 0;                     // input side (inputs[0].shape[2])
  std::vector<std::string> styles;  // the style input's one-hot order
};

Result<SketchModel> read_sketch_manifest(const std::string& dir) {
  auto m = read_model_manifest(dir, "sketch-to-image");
  if (!m.ok()) return m.status();
  SketchModel s;
  s.id = m->json.value("id", "");
  HUABU_RETURN_IF_ERROR(m->read_int("/inputs/0/shape/2", 8, 1024, s.size));
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

Result<std::vector<float>> style_one_hot(const SketchModel& model, const std::string& style) {
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

}  // namespace

int run_sketch2img(const std::vector<std::string>& positional, const std::map<std::string, std::string>& options) {
  if (positional.size() != 2) return fail(invalid_argument("sketch2img takes IN and OUT"));
  const auto opt = [&](const char* name, const std::string& fallback) {
    const auto it = options.find(name);
    return it == options.end() ? fallback : it->second;
  };
  const std::string models = HUABU_MODELS_DIR;
  const std::string upscale_by = opt("--upscale", "4");
  if (upscale_by != "1" && upscale_by != "4") return fail(invalid_argument("--upscale takes 1 or 4"));

  auto model = read_sketch_manifest(opt("--model-dir", models + "/huabu-sketch"));
  if (!model.ok()) return fail(model.status());
  auto style = style_one_hot(*model, opt("--style", "any"));
  if (!style.ok()) return fail(style.status());
  auto drawing = read_image(positional[0]);
  if (!drawing.ok()) return fail(drawing.status());
  auto input = sketch_to_input(drawing->view(), {.size = model->size});
  if (!input.ok()) return fail(input.status());

  auto engine = engine::OnnxEngine::load(model->model_path, {{"B", 1}});
  if (!engine.ok()) return fail(engine.status());
  engine::NamedTensors in;
  in.emplace("sketch", engine::Tensor::float32({1, 1, model->size, model->size}, std::move(input->values)));
  in.emplace("style", engine::Tensor::float32({1, static_cast<std::int64_t>(style->size())}, *style));
  std::fprintf(stderr, "sketch2img: %s\n", model->id.c_str());
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

}  // namespace huabu::cli
