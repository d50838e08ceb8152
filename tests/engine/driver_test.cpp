// drive(): the core's sans-IO pipelines answered by the real engine. A small pipeline
// (upscale a 4x4 image x2, then the result x2 again) for the loop's rules (cancellation, an
// unknown graph, refused outputs), the tensor adapter, and huabu-tiny's TextToImagePipeline
// end to end against the torch reference recorded at export (reference-sample.json); graphs
// loaded at their first run (diffusers layouts) and int32 inputs.
#include "huabu/engine/driver.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "huabu/text_to_image.h"
#include "huabu/word_tokenizer.h"

namespace huabu::engine {
namespace {

const std::string kModels = std::string(HUABU_SOURCE_DIR) + "/models";
const std::string kSr2 = kModels + "/huabu-sr-x2/model.onnx";

// Asks for `passes` runs of `model`, each on the previous output, then kDone.
class RepeatedUpscale {
 public:
  RepeatedUpscale(int passes, std::string model) : passes_(passes), model_(std::move(model)) {
    current_ = {"input", TensorDtype::kFloat32, {1, 3, 4, 4}, std::vector<float>(48, 128.0f), {}};
  }
  Result<PipelineAction> next() {
    if (cancelled_) return cancelled("stopped after pass " + std::to_string(done_));
    PipelineAction a;
    a.step = done_;
    a.steps = passes_;
    if (done_ == passes_) return a;  // kDone
    a.kind = PipelineAction::Kind::kRunModel;
    a.model = model_;
    a.inputs = {current_};
    a.output = "output";
    return a;
  }
  Status provide(const std::vector<ModelTensor>& outputs) {
    if (fail_on_provide_) return invalid_argument("pipeline refused the outputs");
    current_ = outputs.at(0);
    current_.name = "input";
    ++done_;
    return ok_status();
  }
  void cancel() { cancelled_ = true; }

  int done_ = 0;
  bool fail_on_provide_ = false;
  ModelTensor current_;

 private:
  int passes_;
  std::string model_;
  bool cancelled_ = false;
};

static_assert(SansIoPipeline<RepeatedUpscale>);
static_assert(SansIoPipeline<TextToImagePipeline>);

TEST(Driver, RunsEveryActionThroughTheEngine) {
  ModelSet models;
  ASSERT_TRUE(models.load("sr", kSr2).ok());
  RepeatedUpscale p(2, "sr");
  std::vector<int> steps;
  auto done = drive(p, models, {.on_action = [&](const PipelineAction& a) { steps.push_back(a.step); }});
  ASSERT_TRUE(done.ok()) << done.status().to_string();
  EXPECT_EQ(done->kind, PipelineAction::Kind::kDone);
  EXPECT_EQ(steps, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(p.current_.shape, (std::vector<std::int64_t>{1, 3, 16, 16}));
  // A flat grey image stays roughly flat grey through the SR model.
  for (float v : p.current_.f32) EXPECT_NEAR(v, 128.0f, 8.0f);
}

TEST(Driver, CancelsThroughThePipeline) {
  ModelSet models;
  ASSERT_TRUE(models.load("sr", kSr2).ok());
  RepeatedUpscale p(3, "sr");
  int asked = 0;
  auto done = drive(p, models, {.keep_going = [&] { return ++asked <= 1; }});
  EXPECT_EQ(done.status().code(), StatusCode::kCancelled);
  EXPECT_EQ(done.status().message(), "stopped after pass 1");
  EXPECT_EQ(p.done_, 1);
}

TEST(Driver, UnknownModelAndPipelineErrorsEndTheRun) {
  ModelSet models;
  ASSERT_TRUE(models.load("sr", kSr2).ok());
  RepeatedUpscale wrong(1, "unet");
  auto s = drive(wrong, models);
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.status().message().find("'unet'; loaded: sr"), std::string::npos) << s.status().to_string();

  RepeatedUpscale refusing(1, "sr");
  refusing.fail_on_provide_ = true;
  EXPECT_EQ(drive(refusing, models).status().code(), StatusCode::kInvalidArgument);

  EXPECT_EQ(models.load("broken", std::string(HUABU_SOURCE_DIR) + "/README.md").code(), StatusCode::kCorruptData);
  EXPECT_FALSE(models.has("broken"));
}

// Diffusers layouts leave batch and size symbolic; OpenCV 4.6 plans a graph only with known
// sizes, so the ModelSet imports it at its first run with each set of sizes, pinned to them.
TEST(Driver, DeferredGraphsArePinnedToEachRunsSizes) {
  const std::string fixture = std::string(HUABU_SOURCE_DIR) + "/tests/data/diffusers-tiny";
  ModelSet models;
  ASSERT_TRUE(models.load_pinned_per_run_size("vae_decoder", fixture + "/vae_decoder/model.onnx").ok());
  ASSERT_TRUE(models.has("vae_decoder"));
  ASSERT_NE(models.signature("vae_decoder"), nullptr);
  EXPECT_EQ(models.signature("vae_decoder")->inputs.at(0).dims.at(2).symbol, "height_latent");
  EXPECT_EQ(models.signature("nothing"), nullptr);
  EXPECT_EQ(models.prepare("nothing", {{"B", 1}}).code(), StatusCode::kInvalidArgument);
  // An import made ahead of the run (the CLI does this before a request), then used by it.
  ASSERT_TRUE(models.prepare("vae_decoder", {{"batch_size", 1}, {"num_channels_latent", 4}, {"height_latent", 2}, {"width_latent", 3}}).ok());

  PipelineAction a;
  a.kind = PipelineAction::Kind::kRunModel;
  a.model = "vae_decoder";
  a.inputs = {{"latent_sample", TensorDtype::kFloat32, {1, 4, 2, 3}, std::vector<float>(24, 0.5f), {}}};
  auto out = models.run(a);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  EXPECT_EQ(out->at(0).shape, (std::vector<std::int64_t>{1, 3, 16, 24}));
  // Another batch and size: a second import, pinned to them.
  a.inputs[0].shape = {2, 4, 3, 3};
  a.inputs[0].f32.assign(72, 0.5f);
  auto other = models.run(a);
  ASSERT_TRUE(other.ok()) << other.status().to_string();
  EXPECT_EQ(other->at(0).shape, (std::vector<std::int64_t>{2, 3, 24, 24}));
  // Both rows got the same latent: the same picture as the first run's, at the larger size.
  const auto& pixels = other->at(0).f32;
  EXPECT_TRUE(std::equal(pixels.begin(), pixels.begin() + 3 * 24 * 24, pixels.begin() + 3 * 24 * 24));
  // A wrong input is named before any import, not met by an OpenCV assertion.
  a.inputs[0] = {"latent_sample", TensorDtype::kInt64, {1, 4, 2, 3}, {}, std::vector<std::int64_t>(24, 1)};
  auto wrong = models.run(a);
  EXPECT_EQ(wrong.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(wrong.status().message().find("input 'latent_sample' must be float32, got int64"), std::string::npos)
      << wrong.status().to_string();
}

// CLIP's input_ids are int32 in ONNX Runtime Web exports: fed as int64 tensors, as the
// browser's runner narrows them. float16 inputs/outputs are refused before any import.
TEST(Driver, Int32InputsRunAndFloat16IoIsRefused) {
  const std::string fixture = std::string(HUABU_SOURCE_DIR) + "/tests/data/diffusers-tiny";
  ModelSet models;
  ASSERT_TRUE(models.load_pinned_per_run_size("text_encoder", fixture + "/text_encoder/model.onnx").ok());
  EXPECT_EQ(onnx_type_name(models.signature("text_encoder")->inputs.at(0).elem_type), "int32");
  PipelineAction a;
  a.kind = PipelineAction::Kind::kRunModel;
  a.model = "text_encoder";
  std::vector<std::int64_t> ids(77, 0);
  ids[0] = 5;
  a.inputs = {{"input_ids", TensorDtype::kInt64, {1, 77}, {}, ids}};
  auto first = models.run(a);
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  a.inputs[0].i64[1] = 7;
  auto second = models.run(a);
  ASSERT_TRUE(second.ok());
  // Token 1 changed: the states differ (the ids reached the graph as values, not as zeros).
  const auto& x = first->at(0).name == "last_hidden_state" ? first->at(0).f32 : first->at(1).f32;
  const auto& y = second->at(0).name == "last_hidden_state" ? second->at(0).f32 : second->at(1).f32;
  ASSERT_EQ(x.size(), std::size_t{77 * 32});
  float diff = 0;
  for (std::size_t i = 32; i < 64; ++i) diff = std::max(diff, std::abs(x[i] - y[i]));
  EXPECT_GT(diff, 1e-3f);

  const Status half = models.load_pinned_per_run_size(
      "unet", std::string(HUABU_SOURCE_DIR) + "/tests/data/diffusers-tiny-variants/unet-float16-io.onnx");
  EXPECT_EQ(half.code(), StatusCode::kUnsupported);
  EXPECT_NE(half.message().find("'sample' is float16"), std::string::npos) << half.to_string();
  EXPECT_FALSE(models.has("unet"));
}

TEST(Driver, TensorAdapterKeepsNamesShapesAndValues) {
  const std::vector<ModelTensor> core = {
      {"input_ids", TensorDtype::kInt64, {1, 3}, {}, {7, 0, 9654}},
      {"sample", TensorDtype::kFloat32, {2}, {-1.5f, 0.25f}, {}},
  };
  const NamedTensors engine = to_named_tensors(core);
  ASSERT_EQ(engine.size(), 2u);
  EXPECT_EQ(engine.at("input_ids").int64s(), (std::vector<std::int64_t>{7, 0, 9654}));
  EXPECT_EQ(engine.at("sample").floats(), (std::vector<float>{-1.5f, 0.25f}));
  const std::vector<ModelTensor> back = to_model_tensors(engine);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].name, "input_ids");
  EXPECT_EQ(back[0].dtype, TensorDtype::kInt64);
  EXPECT_EQ(back[0].shape, (std::vector<std::int64_t>{1, 3}));
  EXPECT_EQ(back[0].i64, core[0].i64);
  EXPECT_EQ(back[1].dtype, TensorDtype::kFloat32);
  EXPECT_EQ(back[1].f32, core[1].f32);
}

nlohmann::ordered_json read_json(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::ordered_json::parse(text.str());
}

// huabu-tiny's graphs (the shared browser/native export) through the core pipeline, at the
// batch the pipeline asks for (2: one image and its unconditional twin), against torch.
TEST(Driver, HuabuTinyMatchesTheTorchReference) {
  const std::string dir = kModels + "/huabu-tiny";
  const auto ref = read_json(dir + "/reference-sample.json");
  const auto vocab = read_json(dir + "/tokenizer/vocab.json");
  std::vector<std::pair<std::string, std::string>> zh;
  const auto zh_json = read_json(dir + "/tokenizer/zh.json");  // in file order, as JSON.parse keeps it
  for (auto it = zh_json.begin(); it != zh_json.end(); ++it) zh.emplace_back(it.key(), it.value().get<std::string>());
  auto tokenizer = WordTokenizer::create(vocab["words"].get<std::vector<std::string>>(), zh);
  ASSERT_TRUE(tokenizer.ok()) << tokenizer.status().to_string();

  TextToImageRequest request;
  request.prompt = ref["prompt"].get<std::string>();
  request.style = ref["style"].get<int>();
  request.seed = ref["seed"].get<std::uint64_t>();
  request.steps = ref["steps"].get<int>();
  request.guidance = ref["guidance"].get<double>();
  request.guidance_above = ref.value("guidance_above", 0.0);
  ModelSet models;
  ASSERT_TRUE(models.load("text_encoder", dir + "/text_encoder/model.onnx", {{"B", 2}}).ok());
  // 2 rows on guided steps, 1 on unguided ones: an import for each batch.
  ASSERT_TRUE(models.load_pinned_per_run_size("unet", dir + "/unet/model.onnx").ok());
  auto pipeline = TextToImagePipeline::create(*tokenizer, request);
  ASSERT_TRUE(pipeline.ok());
  EXPECT_EQ(pipeline->input_ids(), ref["ids"].get<std::vector<std::int64_t>>());
  auto done = drive(*pipeline, models);
  ASSERT_TRUE(done.ok()) << done.status().to_string();

  const auto expected = ref["image"].get<std::vector<float>>();
  ASSERT_EQ(done->images.size(), expected.size());
  double max_diff = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    max_diff = std::max(max_diff, std::abs(static_cast<double>(done->images[i]) - expected[i]));
  }
  // The Node test allows ORT the same 2e-3 (torch's float64 Box-Muller noise vs the core's).
  EXPECT_LE(max_diff, 2e-3);
  std::printf("huabu-tiny native vs torch reference: max abs diff %.3g\n", max_diff);
}

}  // namespace
}  // namespace huabu::engine
