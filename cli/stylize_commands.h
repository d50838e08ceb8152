// The image-operation subcommands of huabu-cli (see docs/image-ops.md):
//   huabu-cli stylize OP IN OUT [--PARAM VALUE]...     (huabu-cli stylize --list shows them)
//   huabu-cli palette IN [--colors N]                    prints #rrggbb lines, most used first
//   huabu-cli color-transfer IN REFERENCE OUT [--strength S]
#pragma once

#include <map>
#include <string>
#include <vector>

namespace huabu::cli {

// positional: the arguments after the command; options: "--name" -> value (WebP output
// options --quality/--lossless included). Returns the process exit status (0, 1 failed, 2 usage).
int run_stylize(const std::vector<std::string>& positional, const std::map<std::string, std::string>& options);
int run_palette(const std::vector<std::string>& positional, const std::map<std::string, std::string>& options);
int run_color_transfer(const std::vector<std::string>& positional,
                       const std::map<std::string, std::string>& options);

}  // namespace huabu::cli
