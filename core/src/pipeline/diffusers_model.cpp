// Validation of a diffusers-layout model's graph signatures and configs, and the sampler names.
#include <algorithm>
#include <utility>

#include "base/str_cat.h"
#include "huabu/diffusers_pipeline.h"

namespace huabu {

using detail::str_cat;

namespace {

bool is_float(const std::string& dtype) { return dtype == "float32" || dtype == "float16"; }
bool is_int(const std::string& dtype) { return dtype == "int32" || dtype == "int64"; }

const GraphPort* find_port(const std::vector<GraphPort>& ports, std::string_view name) {
  for (const GraphPort& p : ports) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string port_names(const std::vector<GraphPort>& ports) {
  std::string out;
  for (const GraphPort& p : ports) out += str_cat(out.empty() ? "\"" : ", \"", p.name, "\"");
  return str_cat("[", out, "]");
}

// The port `name` among `ports`, with a float (or int) dtype and the given rank(s).
Result<const GraphPort*> require_port(const std::vector<GraphPort>& ports, std::string_view graph, std::string_view kind,
                                      std::string_view name, bool want_float, std::vector<std::size_t> ranks) {
  const GraphPort* p = find_port(ports, name);
  if (!p) {
    return invalid_argument(str_cat(graph, " has no ", kind, " \"", name, "\" (its ", kind, "s: ", port_names(ports), ")"));
  }
  if (want_float ? !is_float(p->dtype) : !is_int(p->dtype)) {
    return invalid_argument(str_cat(graph, " ", kind, " \"", name, "\" has dtype ", p->dtype, ", expected ",
                                    want_float ? "float32 or float16" : "int32 or int64"));
  }
  if (std::find(ranks.begin(), ranks.end(), p->shape.size()) == ranks.end()) {
    return invalid_argument(str_cat(graph, " ", kind, " \"", name, "\" has shape ", shape_to_string(p->shape),
                                    " (rank ", p->shape.size(), "), expected rank ", ranks.front()));
  }
  return p;
}

// Inputs other than `fed` cannot be fed: refuse them by name.
Status only_inputs(const GraphSignature& sig, std::string_view graph, std::vector<std::string_view> fed,
                   std::string_view hint) {
  for (const GraphPort& p : sig.inputs) {
    if (std::find(fed.begin(), fed.end(), p.name) == fed.end()) {
      return invalid_argument(str_cat(graph, " has an input \"", p.name, "\" this pipeline does not feed", hint));
    }
  }
  return ok_status();
}

// A fixed dimension must agree with what another port fixed (-1 = not fixed yet).
Status agree(int* known, std::int64_t dim, std::string_view what) {
  if (dim < 0) return ok_status();
  if (*known >= 0 && *known != dim) return invalid_argument(str_cat(what, " is ", dim, " here but ", *known, " elsewhere"));
  *known = static_cast<int>(dim);
  return ok_status();
}

}  // namespace

Result<DiffusersModel> validate_diffusers_model(DiffusersGraphs graphs, SchedulerConfig scheduler, VaeConfig vae) {
  DiffusersModel m;
  const GraphSignature& te = graphs.text_encoder;
  const GraphSignature& un = graphs.unet;
  const GraphSignature& vd = graphs.vae_decoder;

  // Text encoder: input_ids int [batch, tokens] -> last_hidden_state [batch, tokens, hidden].
  auto ids = require_port(te.inputs, "text_encoder", "input", "input_ids", false, {2});
  if (!ids.ok()) return ids.status();
  HUABU_RETURN_IF_ERROR(only_inputs(te, "text_encoder", {"input_ids"}, ""));
  auto state = require_port(te.outputs, "text_encoder", "output", "last_hidden_state", true, {3});
  if (!state.ok()) return state.status();
  HUABU_RETURN_IF_ERROR(agree(&m.tokens, (*ids)->shape[1], "text_encoder input_ids length"));
  HUABU_RETURN_IF_ERROR(agree(&m.tokens, (*state)->shape[1], "text_encoder last_hidden_state length"));
  HUABU_RETURN_IF_ERROR(agree(&m.hidden, (*state)->shape[2], "the text state width"));
  if ((*ids)->shape[0] > 1) {
    return invalid_argument(str_cat("text_encoder input_ids has a fixed batch of ", (*ids)->shape[0],
                                    "; this pipeline encodes one prompt at a time (batch 1)"));
  }

  // UNet: sample [B, C, h, w], timestep int/float [] or [n], encoder_hidden_states [B, tokens, hidden].
  auto sample = require_port(un.inputs, "unet", "input", "sample", true, {4});
  if (!sample.ok()) return sample.status();
  const GraphPort* timestep = find_port(un.inputs, "timestep");
  if (!timestep) return invalid_argument(str_cat("unet has no input \"timestep\" (its inputs: ", port_names(un.inputs), ")"));
  if (!is_float(timestep->dtype) && !is_int(timestep->dtype)) {
    return invalid_argument(str_cat("unet input \"timestep\" has dtype ", timestep->dtype,
                                    ", expected int64, int32, float32 or float16"));
  }
  if (timestep->shape.size() > 1) {
    return invalid_argument(str_cat("unet input \"timestep\" has shape ", shape_to_string(timestep->shape),
                                    ", expected a scalar or rank 1"));
  }
  auto context = require_port(un.inputs, "unet", "input", "encoder_hidden_states", true, {3});
  if (!context.ok()) return context.status();
  auto out = require_port(un.outputs, "unet", "output", "out_sample", true, {4});
  if (!out.ok()) return out.status();
  HUABU_RETURN_IF_ERROR(only_inputs(un, "unet", {"sample", "timestep", "encoder_hidden_states"},
                                    " (SDXL-style UNets with text_embeds/time_ids are not supported)"));
  HUABU_RETURN_IF_ERROR(agree(&m.tokens, (*context)->shape[1], "unet encoder_hidden_states length"));
  HUABU_RETURN_IF_ERROR(agree(&m.hidden, (*context)->shape[2], "the text state width"));
  int channels = -1;
  for (const GraphPort* p : {*sample, *out}) {
    HUABU_RETURN_IF_ERROR(agree(&m.unet_batch, p->shape[0], "the unet batch"));
    HUABU_RETURN_IF_ERROR(agree(&channels, p->shape[1], "the latent channel count"));
    HUABU_RETURN_IF_ERROR(agree(&m.latent_height, p->shape[2], "the latent height"));
    HUABU_RETURN_IF_ERROR(agree(&m.latent_width, p->shape[3], "the latent width"));
  }
  HUABU_RETURN_IF_ERROR(agree(&m.unet_batch, (*context)->shape[0], "the unet batch"));
  if (timestep->shape.size() == 1 && timestep->shape[0] > 2) {
    return invalid_argument(str_cat("unet input \"timestep\" has a fixed length of ", timestep->shape[0], ", expected 1 or 2"));
  }

  // VAE decoder: latent_sample [1, C, h, w] -> sample [1, 3, h * scale, w * scale].
  auto latent = require_port(vd.inputs, "vae_decoder", "input", "latent_sample", true, {4});
  if (!latent.ok()) return latent.status();
  HUABU_RETURN_IF_ERROR(only_inputs(vd, "vae_decoder", {"latent_sample"}, ""));
  auto pixels = require_port(vd.outputs, "vae_decoder", "output", "sample", true, {4});
  if (!pixels.ok()) return pixels.status();
  HUABU_RETURN_IF_ERROR(agree(&channels, (*latent)->shape[1], "the latent channel count"));
  HUABU_RETURN_IF_ERROR(agree(&m.latent_height, (*latent)->shape[2], "the latent height"));
  HUABU_RETURN_IF_ERROR(agree(&m.latent_width, (*latent)->shape[3], "the latent width"));
  if ((*pixels)->shape[1] >= 0 && (*pixels)->shape[1] != 3) {
    return invalid_argument(str_cat("vae_decoder output \"sample\" has ", (*pixels)->shape[1], " channels, expected 3 (RGB)"));
  }
  for (const GraphPort* p : {*latent, *pixels}) {
    if (p->shape[0] > 1) return invalid_argument(str_cat("vae_decoder ", p->name, " has a fixed batch of ", p->shape[0], ", expected 1"));
  }
  if (channels > 64) return invalid_argument(str_cat("the latent channel count ", channels, " is not plausible (1..64)"));
  m.latent_channels = channels > 0 ? channels : 4;
  if (m.hidden == 0 || m.hidden > 16384) return invalid_argument(str_cat("the text state width ", m.hidden, " must be in 1..16384"));

  // Scheduler and VAE configs.
  if (scheduler.prediction_type != "epsilon") {
    return unsupported(str_cat("scheduler prediction_type \"", scheduler.prediction_type,
                               "\" is not supported (only epsilon-prediction models)"));
  }
  if (scheduler.beta_schedule != "scaled_linear") {
    return unsupported(str_cat("scheduler beta_schedule \"", scheduler.beta_schedule, "\" is not supported (scaled_linear)"));
  }
  if (scheduler.karras_sigmas) return unsupported("scheduler use_karras_sigmas is not supported");
  if (scheduler.steps_offset < 0 || scheduler.steps_offset >= scheduler.schedule.train_steps) {
    return invalid_argument(str_cat("scheduler steps_offset ", scheduler.steps_offset, " must be in 0..num_train_timesteps - 1"));
  }
  auto alphas = scaled_linear_alphas_cumprod(scheduler.schedule);
  if (!alphas.ok()) return alphas.status();
  if (!(vae.scaling_factor > 0 && vae.scaling_factor < 100)) {
    return invalid_argument(str_cat("vae scaling_factor ", vae.scaling_factor, " must be in (0, 100)"));
  }
  if (vae.scale < 1 || vae.scale > 64) return invalid_argument(str_cat("vae scale ", vae.scale, " must be in 1..64"));

  m.graphs = std::move(graphs);
  m.scheduler = std::move(scheduler);
  m.vae = vae;
  return m;
}

Result<DiffusersSampler> parse_diffusers_sampler(std::string_view name) {
  if (name == "euler") return DiffusersSampler::kEuler;
  if (name == "euler-ancestral") return DiffusersSampler::kEulerAncestral;
  if (name == "ddim") return DiffusersSampler::kDdim;
  if (name == "lcm") return DiffusersSampler::kLcm;
  return invalid_argument(str_cat("sampler \"", name, "\" must be euler, euler-ancestral, ddim or lcm"));
}

std::string_view diffusers_sampler_name(DiffusersSampler sampler) {
  switch (sampler) {
    case DiffusersSampler::kEuler: return "euler";
    case DiffusersSampler::kEulerAncestral: return "euler-ancestral";
    case DiffusersSampler::kDdim: return "ddim";
    case DiffusersSampler::kLcm: return "lcm";
  }
  return "euler";
}

DiffusersSampler default_diffusers_sampler(std::string_view scheduler_class) {
  if (scheduler_class == "EulerDiscreteScheduler") return DiffusersSampler::kEuler;
  if (scheduler_class == "DDIMScheduler") return DiffusersSampler::kDdim;
  if (scheduler_class == "LCMScheduler") return DiffusersSampler::kLcm;
  return DiffusersSampler::kEulerAncestral;
}

}  // namespace huabu
