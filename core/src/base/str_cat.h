// Internal: builds error messages that name the offending values, without iostreams
// (which would bloat the wasm build).
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <type_traits>

namespace huabu::detail {

inline void append_piece(std::string& out, std::string_view piece) { out.append(piece); }
inline void append_piece(std::string& out, const char* piece) { out.append(piece); }
inline void append_piece(std::string& out, char piece) { out.push_back(piece); }
inline void append_piece(std::string& out, bool piece) { out.append(piece ? "true" : "false"); }

template <typename T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool> && !std::is_same_v<T, char>)
void append_piece(std::string& out, T piece) {
  out.append(std::to_string(piece));
}

template <typename T>
  requires std::is_floating_point_v<T>
void append_piece(std::string& out, T piece) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", static_cast<double>(piece));
  out.append(buffer);
}

template <typename... Pieces>
[[nodiscard]] std::string str_cat(const Pieces&... pieces) {
  std::string out;
  (append_piece(out, pieces), ...);
  return out;
}

}  // namespace huabu::detail
