// A model directory's manifest.json (docs/model-format.md), read for one task: the parsed
// JSON plus the helpers the CLI's model commands share.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "huabu/status.h"

namespace huabu::cli {

struct ModelManifest {
  std::string dir;
  std::string file;  // <dir>/manifest.json, for messages
  nlohmann::json json;

  // An integer at `pointer` ("/tile/size") within [lo, hi]; corrupt_data naming it otherwise.
  [[nodiscard]] Status read_int(const char* pointer, int lo, int hi, int& out) const;
  // <dir>/<path> of the entry of files[] called `name`; corrupt_data when there is none.
  [[nodiscard]] Result<std::string> file_path(const std::string& name) const;
};

// invalid_argument if <model_dir>/manifest.json is missing; corrupt_data if it is not JSON
// or its task is not `task`.
[[nodiscard]] Result<ModelManifest> read_model_manifest(const std::string& model_dir, const std::string& task);

}  // namespace huabu::cli
