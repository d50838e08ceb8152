// huabu/engine/opencv_adapt.h: rewrites an ONNX file into the form OpenCV dnn 4.6 imports,
// without changing what it computes. Two things 4.6 refuses that our browser models use:
//   - weights stored as float16 (half the download; each followed by a Cast to float32):
//     widened here to float32 initializers (the Cast then casts float32 to float32);
//   - a symbolic batch dimension "B": 4.6 cannot broadcast (e.g. a per-channel FiLM scale)
//     across an axis whose size it does not know at import, so named dimensions can be
//     pinned to a value (the engine then takes exactly that size).
//
//   auto adapted = huabu::engine::adapt_for_opencv(bytes, {{"B", 1}});
//
// Only the fields named in the .cpp are touched; every other byte is copied as it was.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "huabu/status.h"

namespace huabu::engine {

using PinnedDims = std::map<std::string, std::int64_t, std::less<>>;

// corrupt_data when the protobuf is malformed or a float16 tensor's data does not match its
// dims; unsupported for tensors stored outside the file (external data).
[[nodiscard]] Result<std::vector<std::uint8_t>> adapt_for_opencv(std::span<const std::uint8_t> onnx,
                                                                 const PinnedDims& pinned = {});

// IEEE 754 binary16 bits -> float (subnormals, infinities and NaN included).
[[nodiscard]] float half_to_float(std::uint16_t bits);

}  // namespace huabu::engine
