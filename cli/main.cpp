// huabu-cli: Huabu's core from the command line (also `./huabu cli ...`).
//
//   huabu-cli info IN
//   huabu-cli convert IN OUT [--quality Q] [--lossless]
//   huabu-cli resize IN OUT --width W [--height H] [--filter NAME] [--quality Q] [--lossless]
//   huabu-cli upscale IN OUT --scale 2|4 [--model-dir DIR] [--quality Q] [--lossless]
//   huabu-cli model-info MODEL.onnx [--dims B=2,H=128 --bench N [--threads T]]
//   huabu-cli stylize OP IN OUT [--PARAM VALUE]... [--threads N] | stylize --list
//   huabu-cli palette IN [--colors N]
//   huabu-cli color-transfer IN REFERENCE OUT [--strength S]
//   huabu-cli sketch2img IN OUT [--style NAME] [--upscale 1|4] [--model-dir DIR] [--quality Q] [--lossless]
//   huabu-cli style-transfer IN OUT --style NAME [--upscale 1|4] [--model-dir DIR] [--quality Q] [--lossless]
//   huabu-cli generate PROMPT OUT [--seed N] [--count N] [--steps S] [--guidance G] [--guidance-above T]
//                      [--style NAME] [--sampler euler|heun] [--upscale 1|4] [--model-dir DIR] [--quality Q] [--lossless]
//   huabu-cli generate PROMPT OUT --model-dir DIFFUSERS_DIR [--seed N] [--count N] [--steps S] [--guidance G]
//                      [--negative TEXT] [--sampler euler|euler-ancestral|ddim|lcm] [--width W] [--height H] ...
//
// IN/OUT are .png or .webp files. Exit status: 0 ok, 1 the operation failed (the message
// names the error code and the bad value), 2 bad usage.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "huabu/image_ops.h"
#include "huabu/version.h"
#include "framed_model.h"
#include "generate.h"
#include "image_files.h"
#include "model_info.h"
#include "upscale.h"
#include "stylize_commands.h"

namespace {

using huabu::Status;

constexpr const char* kUsage =
    "usage:\n"
    "  huabu-cli info IN\n"
    "  huabu-cli convert IN OUT [--quality Q] [--lossless]\n"
    "  huabu-cli resize IN OUT --width W [--height H] [--filter nearest|bilinear|bicubic|area|lanczos3]\n"
    "                   [--quality Q] [--lossless]\n"
    "  huabu-cli upscale IN OUT --scale 2|4 [--model-dir DIR] [--quality Q] [--lossless]\n"
    "  huabu-cli model-info MODEL.onnx [--dims B=2,H=128,W=128 --bench N [--threads T]]\n"
    "  huabu-cli stylize OP IN OUT [--PARAM VALUE]... [--threads N]   (huabu-cli stylize --list: ops, params)\n"
    "  huabu-cli palette IN [--colors N]\n"
    "  huabu-cli color-transfer IN REFERENCE OUT [--strength 0..1]\n"
    "  huabu-cli sketch2img IN OUT [--style NAME] [--upscale 1|4] [--model-dir DIR] [--quality Q] [--lossless]\n"
    "  huabu-cli style-transfer IN OUT --style NAME [--upscale 1|4] [--model-dir DIR] [--quality Q] [--lossless]\n"
    "  huabu-cli generate PROMPT OUT [--seed N] [--count 1..8] [--steps 1..200] [--guidance 0..30]\n"
    "                   [--guidance-above 0..1] [--style NAME] [--sampler euler|heun] [--upscale 1|4] [--model-dir DIR] [--quality Q] [--lossless]\n"
    "  huabu-cli generate PROMPT OUT --model-dir DIFFUSERS_DIR [--seed N] [--count 1..8] [--steps N] [--guidance G]\n"
    "                   [--negative TEXT] [--sampler euler|euler-ancestral|ddim|lcm] [--width W] [--height H]\n"
    "                   [--upscale 1|4] [--quality Q] [--lossless]\n"
    "  huabu-cli version\n"
    "IN and OUT are .png or .webp files; --height defaults to keeping the aspect ratio.\n"
    "upscale runs models/huabu-sr-x<scale> (or the super-resolution model in --model-dir)\n"
    "natively through OpenCV's dnn module and prints its progress to stderr.\n"
    "sketch2img turns a drawing into a picture with models/huabu-sketch (style 'any' unless\n"
    "--style names one of its manifest's styles), then upscales it x4 (--upscale 1: 128 px).\n"
    "style-transfer redraws a picture as an emoji set (--style noto, twemoji, openmoji, fluent-flat,\n"
    "fluent-3d or openmoji-outline) with models/huabu-style, then upscales it x4 likewise.\n"
    "generate draws PROMPT (English or Chinese) with models/huabu-tiny through the same pipeline\n"
    "as the browser (default: a random seed, printed; 12 Euler steps, guidance 4, style 'any'), then\n"
    "upscales each 32 px image x4; image i > 1 of --count goes to OUT with '-i' before the extension.\n"
    "With --model-dir naming a diffusers ONNX layout (text_encoder/, unet/, vae_decoder/, tokenizer/,\n"
    "scheduler/; SD-Turbo style), generate runs that model as the app's /model does: 4 steps, no\n"
    "guidance, the scheduler's sampler and the graph's size (else 512) unless given; no upscale.\n";

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;  // "--lossless" maps to ""
};

bool parse_args(int argc, char** argv, Args& args) {
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--lossless" || a == "--list" || a == "--timings") {
      args.options[a] = "";
    } else if (a.rfind("--", 0) == 0) {
      if (i + 1 >= argc) return false;
      args.options[a] = argv[++i];
    } else {
      args.positional.push_back(a);
    }
  }
  return true;
}

// Parses a whole-string integer option; false if present but malformed.
bool int_option(const Args& args, const std::string& name, int& value) {
  auto it = args.options.find(name);
  if (it == args.options.end()) return true;
  char* end = nullptr;
  const long v = std::strtol(it->second.c_str(), &end, 10);
  if (it->second.empty() || *end != '\0' || v < -(1L << 30) || v > (1L << 30)) return false;
  value = static_cast<int>(v);
  return true;
}

int fail(const Status& status) {
  std::fprintf(stderr, "huabu-cli: %s\n", status.to_string().c_str());
  return 1;
}

int usage_error(const std::string& why) {
  std::fprintf(stderr, "huabu-cli: %s\n%s", why.c_str(), kUsage);
  return 2;
}

// The model directory: --model-dir, else <models>/huabu-sr-x<scale> (HUABU_MODELS_DIR is
// the source tree's models/, set at build time, so the tool works from any directory).
int run_upscale(const Args& args, const huabu::Image& image, const huabu::WebpEncodeOptions& webp) {
  int scale = 0;
  if (!int_option(args, "--scale", scale) || (scale != 2 && scale != 4)) {
    return usage_error("upscale needs --scale 2 or --scale 4");
  }
  const auto dir = args.options.find("--model-dir");
  const std::string model_dir = dir != args.options.end()
                                    ? dir->second
                                    : std::string(HUABU_MODELS_DIR) + "/huabu-sr-x" + std::to_string(scale);
  auto manifest = huabu::cli::read_sr_manifest(model_dir);
  if (!manifest.ok()) return fail(manifest.status());
  if (manifest->scale != scale) {
    return fail(huabu::invalid_argument(model_dir + " scales by " + std::to_string(manifest->scale) +
                                        ", not " + std::to_string(scale)));
  }
  auto engine = huabu::engine::OnnxEngine::load(manifest->model_path);
  if (!engine.ok()) return fail(engine.status());
  auto result = huabu::cli::upscale(*engine, *manifest, image.view(), [&](int done, int total) {
    std::fprintf(stderr, "upscale: %s tile %d/%d\n", manifest->id.c_str(), done, total);
  });
  if (!result.ok()) return fail(result.status());
  const std::string& out = args.positional[1];
  const Status written = huabu::cli::write_image(out, result->view(), webp);
  if (!written.ok()) return fail(written);
  std::printf("%s: %d x %d\n", out.c_str(), result->width(), result->height());
  return 0;
}

int run(const std::string& command, const Args& args) {
  if (command == "version") {
    std::printf("%s\n", huabu::version().c_str());
    return 0;
  }
  if (command == "model-info") {
    if (args.positional.size() != 1) return usage_error("model-info takes one .onnx file");
    return huabu::cli::model_info(args.positional[0], args.options);
  }
  if (command == "stylize") return huabu::cli::run_stylize(args.positional, args.options);
  if (command == "palette") return huabu::cli::run_palette(args.positional, args.options);
  if (command == "color-transfer") return huabu::cli::run_color_transfer(args.positional, args.options);
  if (command == "sketch2img") return huabu::cli::run_sketch2img(args.positional, args.options);
  if (command == "style-transfer") return huabu::cli::run_style_transfer(args.positional, args.options);
  if (command == "generate") return huabu::cli::run_generate(args.positional, args.options);
  if (command != "info" && command != "convert" && command != "resize" && command != "upscale") {
    return usage_error("unknown command '" + command + "'");
  }
  const std::size_t want = command == "info" ? 1 : 2;
  if (args.positional.size() != want) return usage_error(command + " takes " + std::to_string(want) + " file(s)");

  auto image = huabu::cli::read_image(args.positional[0]);
  if (!image.ok()) return fail(image.status());
  if (command == "info") {
    std::printf("%s: %d x %d RGBA8\n", args.positional[0].c_str(), image->width(), image->height());
    return 0;
  }

  huabu::WebpEncodeOptions webp;
  int quality = 90;
  if (!int_option(args, "--quality", quality)) return usage_error("--quality must be an integer");
  webp.quality = static_cast<float>(quality);
  webp.lossless = args.options.count("--lossless") > 0;
  const std::string& out = args.positional[1];

  if (command == "convert") {
    const Status written = huabu::cli::write_image(out, image->view(), webp);
    return written.ok() ? 0 : fail(written);
  }
  if (command == "resize") {
    int width = 0;
    int height = 0;
    if (!int_option(args, "--width", width) || !int_option(args, "--height", height)) {
      return usage_error("--width and --height must be integers");
    }
    if (args.options.count("--width") == 0) return usage_error("resize needs --width");
    if (args.options.count("--height") == 0 && width > 0) {
      height = static_cast<int>((static_cast<long long>(width) * image->height() + image->width() / 2) / image->width());
      if (height < 1) height = 1;
    }
    auto filter = huabu::parse_resize_filter(args.options.count("--filter") ? args.options.at("--filter") : "lanczos3");
    if (!filter.ok()) return fail(filter.status());
    auto resized = huabu::resize(image->view(), width, height, *filter);
    if (!resized.ok()) return fail(resized.status());
    const Status written = huabu::cli::write_image(out, resized->view(), webp);
    if (!written.ok()) return fail(written);
    std::printf("%s: %d x %d\n", out.c_str(), resized->width(), resized->height());
    return 0;
  }
  if (command == "upscale") return run_upscale(args, *image, webp);
  return usage_error("unknown command '" + command + "'");  // unreachable: checked above
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "help") {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  Args args;
  if (!parse_args(argc, argv, args)) return usage_error("an option is missing its value");
  return run(argv[1], args);
}
