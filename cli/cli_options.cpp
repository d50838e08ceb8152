#include "cli_options.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include "huabu/text_to_image.h"  // parse_seed

namespace huabu::cli {

Result<int> int_option(const Options& options, const char* name, int fallback) {
  const auto it = options.find(name);
  if (it == options.end()) return fallback;
  char* end = nullptr;
  errno = 0;
  const long v = std::strtol(it->second.c_str(), &end, 10);
  if (it->second.empty() || *end != '\0' || errno != 0 || v < -(1L << 30) || v > (1L << 30)) {
    return invalid_argument(std::string(name) + " must be an integer, got '" + it->second + "'");
  }
  return static_cast<int>(v);
}

Result<double> number_option(const Options& options, const char* name, double fallback) {
  const auto it = options.find(name);
  if (it == options.end()) return fallback;
  char* end = nullptr;
  const double v = std::strtod(it->second.c_str(), &end);
  if (it->second.empty() || *end != '\0') return invalid_argument(std::string(name) + " must be a number, got '" + it->second + "'");
  return v;
}

Result<std::uint64_t> seed_option(const Options& options) {
  const auto it = options.find("--seed");
  if (it != options.end()) return parse_seed(it->second);
  std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32) | device();
}

std::string string_option(const Options& options, const char* name, const std::string& fallback) {
  const auto it = options.find(name);
  return it == options.end() ? fallback : it->second;
}

Result<nlohmann::ordered_json> read_json_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return invalid_argument("cannot open " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto json = nlohmann::ordered_json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return corrupt_data(path + ": not valid JSON");
  return json;
}

std::string numbered_path(const std::string& path, int index) {
  if (index == 1) return path;
  const auto slash = path.find_last_of('/');
  auto dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) dot = path.size();
  return path.substr(0, dot) + "-" + std::to_string(index) + path.substr(dot);
}

int fail(const Status& status) {
  std::fprintf(stderr, "huabu-cli: %s\n", status.to_string().c_str());
  return 1;
}

}  // namespace huabu::cli
