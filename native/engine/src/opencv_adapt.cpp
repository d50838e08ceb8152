// Fields used (onnx/onnx.proto): ModelProto{graph=7}; GraphProto{initializer=5, input=11,
// output=12}; TensorProto{dims=1, data_type=2, int32_data=5, raw_data=9, data_location=14};
// ValueInfoProto{type=2}; TypeProto{tensor_type=1}; TypeProto.Tensor{shape=2};
// TensorShapeProto{dim=1}; Dimension{dim_value=1, dim_param=2}.
#include "huabu/engine/opencv_adapt.h"

#include <cmath>
#include <cstring>
#include <optional>

#include "protobuf_wire.h"

namespace huabu::engine {
namespace {

constexpr int kFloat16 = 10;
constexpr int kFloat = 1;

using Out = std::vector<std::uint8_t>;
// Writes the replacement of `f` into `out` and returns true, or returns false to keep `f`
// as it was; sets `failed` (with a status) to stop.
using FieldRewrite = std::function<bool(const Field& f, Out& out)>;

struct Failure {
  std::optional<Status> status;
};

// The message with some fields replaced; nullopt when it is malformed.
std::optional<Out> rewrite_message(Bytes message, const FieldRewrite& rewrite) {
  Out out;
  out.reserve(message.size());
  const bool ok = for_each_field(message, [&](const Field& f) {
    if (!rewrite(f, out)) put_raw(out, f.raw);
    return true;
  });
  if (!ok) return std::nullopt;
  return out;
}

// A length-delimited field whose body is rewritten by `rewrite`; false if malformed.
bool put_rewritten(Out& out, const Field& f, const FieldRewrite& rewrite) {
  auto body = rewrite_message(f.body, rewrite);
  if (!body) return false;
  put_bytes_field(out, f.number, *body);
  return true;
}

// Packed repeated varints (no keys); false if the last one is cut off.
bool packed_varints(Bytes body, const std::function<void(std::uint64_t)>& on) {
  std::uint64_t v = 0;
  int shift = 0;
  for (std::uint8_t byte : body) {
    if (shift >= 64) return false;
    v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    shift += 7;
    if ((byte & 0x80) == 0) {
      on(v);
      v = 0;
      shift = 0;
    }
  }
  return shift == 0;
}

// A float16 TensorProto as a float32 one; nullopt (status in `failure`) when it cannot be.
std::optional<Out> widen_tensor(Bytes tensor, Failure& failure) {
  std::int64_t count = 1;
  std::vector<std::uint16_t> halves;
  bool external = false;
  const auto multiply = [&](std::uint64_t d) { count *= static_cast<std::int64_t>(d); };
  const auto add_half = [&](std::uint64_t h) { halves.push_back(static_cast<std::uint16_t>(h)); };
  const bool ok = for_each_field(tensor, [&](const Field& f) {
    if (f.number == 1 && f.wire == 0) multiply(f.varint);
    if (f.number == 1 && f.wire == 2) return packed_varints(f.body, multiply);
    if (f.number == 5 && f.wire == 0) add_half(f.varint);  // int32_data: one value per element
    if (f.number == 5 && f.wire == 2) return packed_varints(f.body, add_half);
    if (f.number == 9 && f.wire == 2) {  // raw_data: little-endian binary16
      if (f.body.size() % 2 != 0) return false;
      for (std::size_t i = 0; i < f.body.size(); i += 2) add_half(f.body[i] | (f.body[i + 1] << 8));
    }
    if (f.number == 14 && f.wire == 0 && f.varint == 1) external = true;
    return true;
  });
  if (!ok) {
    failure.status = corrupt_data("not an ONNX model: a float16 tensor's encoding is malformed");
    return std::nullopt;
  }
  if (external) {
    failure.status = unsupported("a float16 tensor is stored outside the .onnx file (external data)");
    return std::nullopt;
  }
  if (static_cast<std::int64_t>(halves.size()) != count) {
    failure.status = corrupt_data("a float16 tensor holds " + std::to_string(halves.size()) + " values for " +
                                  std::to_string(count) + " elements");
    return std::nullopt;
  }
  Out floats(halves.size() * 4);
  for (std::size_t i = 0; i < halves.size(); ++i) {
    const float x = half_to_float(halves[i]);
    std::uint32_t bits = 0;
    std::memcpy(&bits, &x, 4);
    for (int k = 0; k < 4; ++k) floats[4 * i + k] = static_cast<std::uint8_t>(bits >> (8 * k));
  }
  // Everything but the type and the data as it was; then the float32 type and data.
  auto out = rewrite_message(tensor, [](const Field& f, Out&) { return f.number == 2 || f.number == 5 || f.number == 9; });
  put_varint_field(*out, 2, kFloat);
  put_bytes_field(*out, 9, floats);
  return out;
}

bool is_float16_tensor(Bytes tensor) {
  bool half = false;
  for_each_field(tensor, [&](const Field& f) {
    if (f.number == 2 && f.wire == 0 && f.varint == kFloat16) half = true;
    return true;
  });
  return half;
}

// ValueInfoProto with pinned dims: type(2) -> tensor_type(1) -> shape(2) -> dim(1).
bool put_pinned_value_info(Out& out, const Field& value_info, const PinnedDims& pinned) {
  const FieldRewrite dimension = [&](const Field& f, Out& o) {
    if (f.number != 2 || f.wire != 2) return false;
    const auto it = pinned.find(std::string(f.body.begin(), f.body.end()));
    if (it == pinned.end()) return false;
    put_varint_field(o, 1, static_cast<std::uint64_t>(it->second));
    return true;
  };
  const FieldRewrite shape = [&](const Field& f, Out& o) {
    return f.number == 1 && f.wire == 2 && put_rewritten(o, f, dimension);
  };
  const FieldRewrite tensor_type = [&](const Field& f, Out& o) {
    return f.number == 2 && f.wire == 2 && put_rewritten(o, f, shape);
  };
  const FieldRewrite type = [&](const Field& f, Out& o) {
    return f.number == 1 && f.wire == 2 && put_rewritten(o, f, tensor_type);
  };
  const FieldRewrite info = [&](const Field& f, Out& o) {
    return f.number == 2 && f.wire == 2 && put_rewritten(o, f, type);
  };
  return put_rewritten(out, value_info, info);
}

}  // namespace

float half_to_float(std::uint16_t bits) {
  const std::uint32_t sign = (bits >> 15) & 1;
  const std::uint32_t exponent = (bits >> 10) & 0x1f;
  const std::uint32_t mantissa = bits & 0x3ff;
  float magnitude;
  if (exponent == 0) {
    magnitude = std::ldexp(static_cast<float>(mantissa), -24);  // zero or subnormal
  } else if (exponent == 31) {
    magnitude = mantissa == 0 ? INFINITY : NAN;
  } else {
    magnitude = std::ldexp(static_cast<float>(mantissa | 0x400), static_cast<int>(exponent) - 25);
  }
  return sign ? -magnitude : magnitude;
}

Result<std::vector<std::uint8_t>> adapt_for_opencv(std::span<const std::uint8_t> onnx, const PinnedDims& pinned) {
  Failure failure;
  bool structure_ok = true;
  const FieldRewrite graph = [&](const Field& f, Out& out) {
    if (f.wire != 2) return false;
    if (f.number == 5 && is_float16_tensor(f.body)) {
      auto widened = widen_tensor(f.body, failure);
      if (!widened) return structure_ok = false, true;
      put_bytes_field(out, 5, *widened);
      return true;
    }
    if ((f.number == 11 || f.number == 12) && !pinned.empty()) {
      if (!put_pinned_value_info(out, f, pinned)) structure_ok = false;
      return true;
    }
    return false;
  };
  auto model = rewrite_message(onnx, [&](const Field& f, Out& out) {
    if (f.number != 7 || f.wire != 2) return false;
    if (!put_rewritten(out, f, graph)) structure_ok = false;
    return true;
  });
  if (failure.status) return *failure.status;
  if (!model || !structure_ok) return corrupt_data("not an ONNX model: the protobuf encoding is malformed");
  return std::move(*model);
}

}  // namespace huabu::engine
