// Small helpers the CLI's model commands share: option parsing, JSON files, output names.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "huabu/status.h"

namespace huabu::cli {

using Options = std::map<std::string, std::string>;

// The option's whole string as an integer in +-2^30 (invalid_argument naming it otherwise),
// or `fallback` when it is absent.
[[nodiscard]] Result<int> int_option(const Options& options, const char* name, int fallback);
// The option as a number, or `fallback` when it is absent.
[[nodiscard]] Result<double> number_option(const Options& options, const char* name, double fallback);
// --seed N (decimal, 0..2^64-1), or a random seed when it is absent (the CLI prints it, so
// the picture can be made again).
[[nodiscard]] Result<std::uint64_t> seed_option(const Options& options);
// The option's value, or `fallback` when it is absent.
[[nodiscard]] std::string string_option(const Options& options, const char* name, const std::string& fallback);

// invalid_argument if the file cannot be opened, corrupt_data naming it if it is not JSON.
[[nodiscard]] Result<nlohmann::ordered_json> read_json_file(const std::string& path);

// "out.png" -> "out.png" for image 1, "out-2.png" for image 2, ...
[[nodiscard]] std::string numbered_path(const std::string& path, int index);

// Prints "huabu-cli: <status>" to stderr; returns the exit status 1.
int fail(const Status& status);

}  // namespace huabu::cli
