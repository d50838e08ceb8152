#include "diffusers_layout.h"

#include <filesystem>
#include <fstream>
#include <iterator>

#include "cli_options.h"

namespace huabu::cli {
namespace {

constexpr const char* kGraphs[] = {"text_encoder", "unet", "vae_decoder"};

Result<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return invalid_argument("cannot open " + path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The signature as the core reads it from ONNX Runtime's metadata: dtype names, -1 for a
// symbolic dimension.
GraphSignature graph_signature(const engine::OnnxSignature& sig) {
  auto ports = [](const std::vector<engine::ValueSignature>& values) {
    std::vector<GraphPort> out;
    for (const auto& v : values) {
      GraphPort p{v.name, engine::onnx_type_name(v.elem_type), {}};
      for (const engine::Dim& d : v.dims) p.shape.push_back(d.fixed() ? d.value : -1);
      out.push_back(std::move(p));
    }
    return out;
  };
  return {ports(sig.inputs), ports(sig.outputs)};
}

// One config value: absent or null keeps the default, a wrong type is corrupt_data.
template <typename T>
Status read_key(const nlohmann::ordered_json& j, const char* key, const std::string& file, T* out) {
  if (!j.contains(key) || j.at(key).is_null()) return ok_status();
  const auto& v = j.at(key);
  if constexpr (std::is_same_v<T, std::string>) {
    if (!v.is_string()) return corrupt_data(file + ": " + key + " must be a string");
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!v.is_boolean()) return corrupt_data(file + ": " + key + " must be true or false");
  } else if constexpr (std::is_integral_v<T>) {
    if (!v.is_number_integer()) return corrupt_data(file + ": " + key + " must be an integer");
  } else {
    if (!v.is_number()) return corrupt_data(file + ": " + key + " must be a number");
  }
  *out = v.get<T>();
  return ok_status();
}

// scheduler/scheduler_config.json with diffusers' key names (as wasm/bindings.cpp reads it).
Result<SchedulerConfig> read_scheduler(const std::string& file) {
  auto j = read_json_file(file);
  if (!j.ok()) return j.status();
  if (!j->is_object()) return corrupt_data(file + ": must be an object");
  SchedulerConfig s;
  HUABU_RETURN_IF_ERROR(read_key(*j, "_class_name", file, &s.class_name));
  HUABU_RETURN_IF_ERROR(read_key(*j, "num_train_timesteps", file, &s.schedule.train_steps));
  HUABU_RETURN_IF_ERROR(read_key(*j, "beta_start", file, &s.schedule.beta_start));
  HUABU_RETURN_IF_ERROR(read_key(*j, "beta_end", file, &s.schedule.beta_end));
  HUABU_RETURN_IF_ERROR(read_key(*j, "beta_schedule", file, &s.beta_schedule));
  std::string spacing;
  HUABU_RETURN_IF_ERROR(read_key(*j, "timestep_spacing", file, &spacing));
  if (!spacing.empty()) {
    auto parsed = parse_timestep_spacing(spacing);
    if (!parsed.ok()) return Status(parsed.status().code(), file + ": " + parsed.status().message());
    s.spacing = *parsed;
  }
  HUABU_RETURN_IF_ERROR(read_key(*j, "steps_offset", file, &s.steps_offset));
  HUABU_RETURN_IF_ERROR(read_key(*j, "set_alpha_to_one", file, &s.set_alpha_to_one));
  HUABU_RETURN_IF_ERROR(read_key(*j, "prediction_type", file, &s.prediction_type));
  HUABU_RETURN_IF_ERROR(read_key(*j, "original_inference_steps", file, &s.original_inference_steps));
  HUABU_RETURN_IF_ERROR(read_key(*j, "use_karras_sigmas", file, &s.karras_sigmas));
  if (j->contains("trained_betas") && !j->at("trained_betas").is_null()) {
    return unsupported(file + ": trained_betas is not supported (scaled_linear betas only)");
  }
  return s;
}

// vae_decoder/config.json (optional): scaling_factor, and the x8 scale from block_out_channels.
Result<VaeConfig> read_vae(const std::string& file) {
  VaeConfig vae;
  if (!std::filesystem::exists(file)) return vae;
  auto j = read_json_file(file);
  if (!j.ok()) return j.status();
  if (!j->is_object()) return corrupt_data(file + ": must be an object");
  HUABU_RETURN_IF_ERROR(read_key(*j, "scaling_factor", file, &vae.scaling_factor));
  if (j->contains("block_out_channels") && !j->at("block_out_channels").is_null()) {
    const auto& blocks = j->at("block_out_channels");
    if (!blocks.is_array()) return corrupt_data(file + ": block_out_channels must be an array");
    if (blocks.empty() || blocks.size() > 7) return invalid_argument(file + ": block_out_channels must have 1..7 entries");
    vae.scale = 1 << (blocks.size() - 1);  // each block but the last upsamples x2
  }
  return vae;
}

// A JSON file that may be absent (then null).
Result<nlohmann::ordered_json> read_optional_json(const std::string& file) {
  if (!std::filesystem::exists(file)) return nlohmann::ordered_json();
  return read_json_file(file);
}

// pad_token is a string or {content} in Hugging Face's files; the first config that has it wins.
std::string pad_token(const nlohmann::ordered_json& a, const nlohmann::ordered_json& b) {
  for (const auto* c : {&a, &b}) {
    if (!c->is_object() || !c->contains("pad_token")) continue;
    const auto& p = c->at("pad_token");
    if (p.is_string()) return p.get<std::string>();
    if (p.is_object() && p.contains("content") && p.at("content").is_string()) return p.at("content").get<std::string>();
  }
  return "<|endoftext|>";
}

}  // namespace

bool is_diffusers_layout(const std::string& dir) {
  std::error_code ec;
  // Huabu's own models (huabu-tiny has a unet/ too) have a manifest.json.
  return !std::filesystem::exists(dir + "/manifest.json", ec) && std::filesystem::is_regular_file(dir + "/unet/model.onnx", ec);
}

Result<DiffusersLayout> read_diffusers_layout(const std::string& dir, engine::ModelSet& graphs) {
  auto folder = std::filesystem::path(dir).lexically_normal();
  if (folder.filename().empty()) folder = folder.parent_path();  // "layout/" -> "layout"
  const std::string name = folder.filename().string();
  std::string missing;
  for (const char* f : {"text_encoder/model.onnx", "unet/model.onnx", "vae_decoder/model.onnx", "tokenizer/vocab.json",
                        "tokenizer/merges.txt", "scheduler/scheduler_config.json"}) {
    if (!std::filesystem::exists(dir + "/" + f)) missing += (missing.empty() ? "" : ", ") + std::string(f);
  }
  if (!missing.empty()) return invalid_argument(dir + " is not a complete diffusers ONNX layout: missing " + missing);

  DiffusersGraphs signatures;
  for (const char* graph : kGraphs) {
    HUABU_RETURN_IF_ERROR(graphs.load_pinned_per_run_size(graph, dir + "/" + graph + "/model.onnx"));
  }
  signatures.text_encoder = graph_signature(*graphs.signature("text_encoder"));
  signatures.unet = graph_signature(*graphs.signature("unet"));
  signatures.vae_decoder = graph_signature(*graphs.signature("vae_decoder"));

  auto scheduler = read_scheduler(dir + "/scheduler/scheduler_config.json");
  if (!scheduler.ok()) return scheduler.status();
  auto vae = read_vae(dir + "/vae_decoder/config.json");
  if (!vae.ok()) return vae.status();
  auto model = validate_diffusers_model(std::move(signatures), std::move(scheduler).value(), *vae);
  if (!model.ok()) return Status(model.status().code(), name + " cannot be used: " + model.status().message());

  auto tokenizer_config = read_optional_json(dir + "/tokenizer/tokenizer_config.json");
  if (!tokenizer_config.ok()) return tokenizer_config.status();
  auto special_tokens = read_optional_json(dir + "/tokenizer/special_tokens_map.json");
  if (!special_tokens.ok()) return special_tokens.status();
  ClipTokenizerOptions options;
  options.pad_token = pad_token(*special_tokens, *tokenizer_config);
  // Some configs say 1e30 for "no limit": then CLIP's 77.
  if (tokenizer_config->is_object() && tokenizer_config->contains("model_max_length") &&
      tokenizer_config->at("model_max_length").is_number_integer()) {
    const auto n = tokenizer_config->at("model_max_length").get<long long>();
    if (n >= 2 && n <= 4096) options.max_length = static_cast<int>(n);
  }
  if (model->tokens >= 0 && model->tokens != options.max_length) {
    return invalid_argument(name + ": the text encoder takes " + std::to_string(model->tokens) +
                            " tokens but tokenizer/tokenizer_config.json says model_max_length " +
                            std::to_string(options.max_length));
  }
  auto vocab = read_text(dir + "/tokenizer/vocab.json");
  if (!vocab.ok()) return vocab.status();
  auto merges = read_text(dir + "/tokenizer/merges.txt");
  if (!merges.ok()) return merges.status();
  auto tokenizer = ClipTokenizer::create(*vocab, *merges, options);
  if (!tokenizer.ok()) return Status(tokenizer.status().code(), name + " tokenizer: " + tokenizer.status().message());
  return DiffusersLayout{name, std::move(model).value(), std::move(tokenizer).value()};
}

}  // namespace huabu::cli
