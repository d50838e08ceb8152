#include "sr_manifest.h"

#include "model_manifest.h"

namespace huabu::cli {

Result<SrManifest> read_sr_manifest(const std::string& model_dir) {
  auto m = read_model_manifest(model_dir, "super-resolution");
  if (!m.ok()) return m.status();
  SrManifest sr;
  sr.id = m->json.value("id", "");
  HUABU_RETURN_IF_ERROR(m->read_int("/scale", 1, 16, sr.scale));
  HUABU_RETURN_IF_ERROR(m->read_int("/tile/size", 1, 4096, sr.tile_size));
  HUABU_RETURN_IF_ERROR(m->read_int("/tile/overlap", 0, 4096, sr.tile_overlap));
  auto model = m->file_path("model");
  if (!model.ok()) return model.status();
  sr.model_path = *model;
  return sr;
}

}  // namespace huabu::cli
