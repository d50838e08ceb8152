// huabu/version.h: build identification.
//
//   std::string v = huabu::version();  // "huabu-core 0.1.0 (libwebp 1.2.4)"
//
// Ownership: returns a fresh string. Threading: safe from any thread.
#pragma once

#include <string>

namespace huabu {

inline constexpr const char* kCoreVersion = "0.1.0";

// Core version plus the libwebp version actually linked (decoder and encoder must agree).
[[nodiscard]] std::string version();

}  // namespace huabu
