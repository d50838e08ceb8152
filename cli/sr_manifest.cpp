#include "sr_manifest.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace huabu::cli {
namespace {

using nlohmann::json;

// An integer field at `pointer` ("/tile/size") within [lo, hi].
Status read_int(const json& m, const std::string& file, const char* pointer, int lo, int hi, int& out) {
  const json::json_pointer p(pointer);
  if (!m.contains(p) || !m.at(p).is_number_integer()) {
    return corrupt_data(file + ": '" + pointer + "' must be an integer");
  }
  const auto v = m.at(p).get<long long>();
  if (v < lo || v > hi) return corrupt_data(file + ": '" + pointer + "' is " + std::to_string(v) + ", outside " + std::to_string(lo) + ".." + std::to_string(hi));
  out = static_cast<int>(v);
  return ok_status();
}

}  // namespace

Result<SrManifest> read_sr_manifest(const std::string& model_dir) {
  const std::string file = model_dir + "/manifest.json";
  std::ifstream in(file);
  if (!in) return invalid_argument("cannot open " + file);
  std::stringstream text;
  text << in.rdbuf();
  const json m = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (m.is_discarded() || !m.is_object()) return corrupt_data(file + ": not valid JSON");
  if (m.value("task", "") != "super-resolution") return corrupt_data(file + ": task is not super-resolution");

  SrManifest sr;
  sr.id = m.value("id", "");
  HUABU_RETURN_IF_ERROR(read_int(m, file, "/scale", 1, 16, sr.scale));
  HUABU_RETURN_IF_ERROR(read_int(m, file, "/tile/size", 1, 4096, sr.tile_size));
  HUABU_RETURN_IF_ERROR(read_int(m, file, "/tile/overlap", 0, 4096, sr.tile_overlap));
  if (m.contains("files") && m["files"].is_array()) {
    for (const json& f : m["files"]) {
      if (f.is_object() && f.value("name", "") == "model" && f.contains("path") && f["path"].is_string()) {
        sr.model_path = model_dir + "/" + f["path"].get<std::string>();
      }
    }
  }
  if (sr.model_path.empty()) return corrupt_data(file + ": no file named 'model' in files[]");
  return sr;
}

}  // namespace huabu::cli
