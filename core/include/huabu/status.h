// huabu/status.h: error reporting for the whole core. No exceptions are thrown.
//
//   huabu::Result<huabu::Image> r = huabu::Image::create(640, 480, huabu::PixelFormat::kRgba8);
//   if (!r.ok()) { log(r.status().to_string()); return r.status(); }   // "invalid_argument: ..."
//   huabu::Image img = std::move(r).value();
//
// Ownership: Status and Result own their message and value; they are plain values.
// Threading: no shared state; distinct objects may be used from distinct threads.
#pragma once

#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace huabu {

// The small, closed set of failure kinds. Names (status_code_name) are the wire codes used
// by the wasm boundary: "invalid_argument", "resource_exhausted", ...
enum class StatusCode {
  kOk,
  kInvalidArgument,    // a caller-supplied value is malformed (message names it)
  kOutOfRange,         // a value is well-formed but outside the valid region (e.g. a crop rect)
  kUnsupported,        // valid input the core cannot handle (e.g. animated WebP)
  kCorruptData,        // encoded data is truncated or malformed
  kResourceExhausted,  // a size limit would be exceeded, or an allocation failed
  kCancelled,          // a progress callback asked to stop
  kInternal,           // a bug or an unexpected third-party failure
};

[[nodiscard]] std::string_view status_code_name(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  [[nodiscard]] bool ok() const { return code_ == StatusCode::kOk; }
  [[nodiscard]] StatusCode code() const { return code_; }
  [[nodiscard]] const std::string& message() const { return message_; }
  // "ok" or "<code name>: <message>".
  [[nodiscard]] std::string to_string() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

[[nodiscard]] inline Status ok_status() { return Status(); }
[[nodiscard]] inline Status invalid_argument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
[[nodiscard]] inline Status out_of_range(std::string m) { return {StatusCode::kOutOfRange, std::move(m)}; }
[[nodiscard]] inline Status unsupported(std::string m) { return {StatusCode::kUnsupported, std::move(m)}; }
[[nodiscard]] inline Status corrupt_data(std::string m) { return {StatusCode::kCorruptData, std::move(m)}; }
[[nodiscard]] inline Status resource_exhausted(std::string m) { return {StatusCode::kResourceExhausted, std::move(m)}; }
[[nodiscard]] inline Status cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
[[nodiscard]] inline Status internal_error(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// Either a T or a non-ok Status (like std::expected). Accessing value() of a failed result
// is a programming error and aborts (there are no exceptions to throw).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit, like std::expected
  Result(Status status) : state_(std::move(status)) {  // NOLINT
    // An ok Status carries no value: turn that misuse into a visible error.
    if (std::get<Status>(state_).ok()) state_ = internal_error("Result built from an ok Status");
  }

  [[nodiscard]] bool ok() const { return std::holds_alternative<T>(state_); }
  // ok_status() when a value is held.
  [[nodiscard]] Status status() const { return ok() ? Status() : std::get<Status>(state_); }

  [[nodiscard]] T& value() & { check(); return std::get<T>(state_); }
  [[nodiscard]] const T& value() const& { check(); return std::get<T>(state_); }
  [[nodiscard]] T&& value() && { check(); return std::get<T>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  void check() const {
    if (!ok()) std::abort();
  }
  std::variant<T, Status> state_;
};

}  // namespace huabu

// Propagates a failed Status/Result status from the enclosing function.
#define HUABU_RETURN_IF_ERROR(expr)            \
  do {                                         \
    ::huabu::Status huabu_status_ = (expr);    \
    if (!huabu_status_.ok()) return huabu_status_; \
  } while (0)
