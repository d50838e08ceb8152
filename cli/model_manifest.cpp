#include "model_manifest.h"

#include <fstream>
#include <sstream>

namespace huabu::cli {

using nlohmann::json;

Status ModelManifest::read_int(const char* pointer, int lo, int hi, int& out) const {
  const json::json_pointer p(pointer);
  if (!json.contains(p) || !json.at(p).is_number_integer()) {
    return corrupt_data(file + ": '" + pointer + "' must be an integer");
  }
  const auto v = json.at(p).get<long long>();
  if (v < lo || v > hi) {
    return corrupt_data(file + ": '" + pointer + "' is " + std::to_string(v) + ", outside " + std::to_string(lo) +
                        ".." + std::to_string(hi));
  }
  out = static_cast<int>(v);
  return ok_status();
}

Result<std::string> ModelManifest::file_path(const std::string& name) const {
  if (json.contains("files") && json["files"].is_array()) {
    for (const auto& f : json["files"]) {
      if (f.is_object() && f.value("name", "") == name && f.contains("path") && f["path"].is_string()) {
        return dir + "/" + f["path"].get<std::string>();
      }
    }
  }
  return corrupt_data(file + ": no file named '" + name + "' in files[]");
}

Result<ModelManifest> read_model_manifest(const std::string& model_dir, const std::string& task) {
  ModelManifest m{model_dir, model_dir + "/manifest.json", {}};
  std::ifstream in(m.file);
  if (!in) return invalid_argument("cannot open " + m.file);
  std::stringstream text;
  text << in.rdbuf();
  m.json = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (m.json.is_discarded() || !m.json.is_object()) return corrupt_data(m.file + ": not valid JSON");
  if (m.json.value("task", "") != task) return corrupt_data(m.file + ": task is not " + task);
  return m;
}

}  // namespace huabu::cli
