// huabu-cli: Huabu's core from the command line (also `./huabu cli ...`).
//
//   huabu-cli info IN
//   huabu-cli convert IN OUT [--quality Q] [--lossless]
//   huabu-cli resize IN OUT --width W [--height H] [--filter NAME] [--quality Q] [--lossless]
//   huabu-cli stylize OP IN OUT [--PARAM VALUE]... | stylize --list
//   huabu-cli palette IN [--colors N]
//   huabu-cli color-transfer IN REFERENCE OUT [--strength S]
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
#include "image_files.h"
#include "stylize_commands.h"

namespace {

using huabu::Status;

constexpr const char* kUsage =
    "usage:\n"
    "  huabu-cli info IN\n"
    "  huabu-cli convert IN OUT [--quality Q] [--lossless]\n"
    "  huabu-cli resize IN OUT --width W [--height H] [--filter nearest|bilinear|bicubic|area|lanczos3]\n"
    "                   [--quality Q] [--lossless]\n"
    "  huabu-cli stylize OP IN OUT [--PARAM VALUE]...   (huabu-cli stylize --list: ops, params)\n"
    "  huabu-cli palette IN [--colors N]\n"
    "  huabu-cli color-transfer IN REFERENCE OUT [--strength 0..1]\n"
    "  huabu-cli version\n"
    "IN and OUT are .png or .webp files; --height defaults to keeping the aspect ratio.\n";

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;  // "--lossless" maps to ""
};

bool parse_args(int argc, char** argv, Args& args) {
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--lossless" || a == "--list") {
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

int run(const std::string& command, const Args& args) {
  if (command == "version") {
    std::printf("%s\n", huabu::version().c_str());
    return 0;
  }
  if (command == "stylize") return huabu::cli::run_stylize(args.positional, args.options);
  if (command == "palette") return huabu::cli::run_palette(args.positional, args.options);
  if (command == "color-transfer") return huabu::cli::run_color_transfer(args.positional, args.options);
  if (command != "info" && command != "convert" && command != "resize") {
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
