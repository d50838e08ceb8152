#include "huabu/status.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace huabu {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.to_string(), "ok");
}

TEST(StatusTest, CodeNamesAreTheWireCodes) {
  EXPECT_EQ(status_code_name(StatusCode::kOk), "ok");
  EXPECT_EQ(status_code_name(StatusCode::kInvalidArgument), "invalid_argument");
  EXPECT_EQ(status_code_name(StatusCode::kOutOfRange), "out_of_range");
  EXPECT_EQ(status_code_name(StatusCode::kUnsupported), "unsupported");
  EXPECT_EQ(status_code_name(StatusCode::kCorruptData), "corrupt_data");
  EXPECT_EQ(status_code_name(StatusCode::kResourceExhausted), "resource_exhausted");
  EXPECT_EQ(status_code_name(StatusCode::kCancelled), "cancelled");
  EXPECT_EQ(status_code_name(StatusCode::kInternal), "internal");
}

TEST(StatusTest, HelpersSetCodeAndMessage) {
  EXPECT_EQ(invalid_argument("a").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(out_of_range("a").code(), StatusCode::kOutOfRange);
  EXPECT_EQ(unsupported("a").code(), StatusCode::kUnsupported);
  EXPECT_EQ(corrupt_data("a").code(), StatusCode::kCorruptData);
  EXPECT_EQ(resource_exhausted("a").code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(cancelled("a").code(), StatusCode::kCancelled);
  EXPECT_EQ(internal_error("a").code(), StatusCode::kInternal);
  EXPECT_EQ(invalid_argument("width 0 must be in 1..16384").to_string(),
            "invalid_argument: width 0 must be in 1..16384");
}

TEST(ResultTest, HoldsValue) {
  Result<int> r = 7;
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.status().ok());
  EXPECT_EQ(*r, 7);
  EXPECT_EQ(r.value(), 7);
}

TEST(ResultTest, HoldsError) {
  Result<int> r = corrupt_data("bad");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCorruptData);
  EXPECT_EQ(r.status().message(), "bad");
}

TEST(ResultTest, OkStatusWithoutValueBecomesInternalError) {
  Result<int> r = ok_status();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
}

TEST(ResultTest, MovesOutMoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(3);
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 3);
}

Status fails_then_succeeds(bool fail) {
  HUABU_RETURN_IF_ERROR(fail ? out_of_range("x") : ok_status());
  return ok_status();
}

TEST(StatusTest, ReturnIfErrorPropagates) {
  EXPECT_EQ(fails_then_succeeds(true).code(), StatusCode::kOutOfRange);
  EXPECT_TRUE(fails_then_succeeds(false).ok());
}

}  // namespace
}  // namespace huabu
