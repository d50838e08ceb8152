// The parts of a super-resolution model's manifest.json (docs/model-format.md) the CLI
// needs: scale, tile plan and the model file.
#pragma once

#include <string>

#include "huabu/status.h"

namespace huabu::cli {

struct SrManifest {
  std::string id;          // "huabu-sr-x2"
  int scale = 0;           // 2 or 4
  int tile_size = 0;       // tile.size
  int tile_overlap = 0;    // tile.overlap
  std::string model_path;  // the file named "model", resolved against the manifest's directory
};

// Reads <model_dir>/manifest.json. invalid_argument if it is missing; corrupt_data if it is
// not JSON or lacks a field (the message names it).
[[nodiscard]] Result<SrManifest> read_sr_manifest(const std::string& model_dir);

}  // namespace huabu::cli
