// drive(): a small sans-IO pipeline (upscale a 4x4 image x2, then the result x2 again)
// answered by the real engine; cancellation between runs; a request for a model that was
// not loaded; an error from the pipeline ends the run.
#include "huabu/engine/driver.h"

#include <gtest/gtest.h>

#include <string>

namespace huabu::engine {
namespace {

const std::string kSr2 = std::string(HUABU_SOURCE_DIR) + "/models/huabu-sr-x2/model.onnx";

// Asks for `passes` runs of "sr", each on the previous output; remembers the last shape.
class RepeatedUpscale {
 public:
  RepeatedUpscale(int passes, std::string model) : passes_(passes), model_(std::move(model)) {
    current_ = Tensor::float32({1, 3, 4, 4}, std::vector<float>(48, 128.0f));
  }
  Result<std::optional<ModelRequest>> next_request() {
    if (done_ == passes_) return std::optional<ModelRequest>();
    ModelRequest r{model_, {}};
    r.inputs.emplace("input", current_);
    return std::optional<ModelRequest>(std::move(r));
  }
  Status provide(NamedTensors outputs) {
    if (fail_on_provide_) return invalid_argument("pipeline refused the outputs");
    current_ = std::move(outputs.at("output"));
    ++done_;
    return ok_status();
  }
  int done_ = 0;
  bool fail_on_provide_ = false;
  Tensor current_;

 private:
  int passes_;
  std::string model_;
};

static_assert(SansIoPipeline<RepeatedUpscale>);

TEST(Driver, RunsEveryRequestThroughTheEngine) {
  ModelSet models;
  ASSERT_TRUE(models.load("sr", kSr2).ok());
  RepeatedUpscale p(2, "sr");
  const Status s = drive(p, models, [] { return true; });
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(p.done_, 2);
  EXPECT_EQ(p.current_.shape, (std::vector<std::int64_t>{1, 3, 16, 16}));
  // A flat grey image stays roughly flat grey through the SR model.
  for (float v : p.current_.floats()) EXPECT_NEAR(v, 128.0f, 8.0f);
}

TEST(Driver, CancelsBetweenRuns) {
  ModelSet models;
  ASSERT_TRUE(models.load("sr", kSr2).ok());
  RepeatedUpscale p(3, "sr");
  int asked = 0;
  const Status s = drive(p, models, [&] { return ++asked <= 1; });
  EXPECT_EQ(s.code(), StatusCode::kCancelled);
  EXPECT_EQ(p.done_, 1);
}

TEST(Driver, UnknownModelAndPipelineErrorsEndTheRun) {
  ModelSet models;
  ASSERT_TRUE(models.load("sr", kSr2).ok());
  RepeatedUpscale wrong(1, "unet");
  const Status s = drive(wrong, models, [] { return true; });
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("'unet'; loaded: sr"), std::string::npos) << s.to_string();

  RepeatedUpscale refusing(1, "sr");
  refusing.fail_on_provide_ = true;
  EXPECT_EQ(drive(refusing, models, [] { return true; }).code(), StatusCode::kInvalidArgument);

  EXPECT_EQ(models.load("broken", std::string(HUABU_SOURCE_DIR) + "/README.md").code(), StatusCode::kCorruptData);
  EXPECT_FALSE(models.has("broken"));
}

}  // namespace
}  // namespace huabu::engine
