#include "stylize_commands.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <thread>

#include "huabu/stylize.h"
#include "image_files.h"

namespace huabu::cli {
namespace {

int fail(const Status& status) {
  std::fprintf(stderr, "huabu-cli: %s\n", status.to_string().c_str());
  return 1;
}

int usage(const std::string& why) {
  std::fprintf(stderr, "huabu-cli: %s (see huabu-cli stylize --list)\n", why.c_str());
  return 2;
}

// Whole-string number; false if malformed.
bool parse_number(const std::string& text, double* value) {
  char* end = nullptr;
  *value = std::strtod(text.c_str(), &end);
  return !text.empty() && *end == '\0';
}

void print_ops() {
  for (const StyleOp& op : style_ops()) {
    std::printf("%s: %.*s\n", std::string(op.name).c_str(), static_cast<int>(op.summary.size()), op.summary.data());
    for (const StyleParam& p : op.params) {
      std::printf("  --%-15s %g..%g (default %g%s) %.*s\n", std::string(p.name).c_str(), p.min, p.max,
                  p.default_value, p.integer ? ", integer" : "", static_cast<int>(p.help.size()), p.help.data());
    }
  }
}

WebpEncodeOptions webp_options(const std::map<std::string, std::string>& options) {
  WebpEncodeOptions webp;
  webp.quality = 90;
  if (auto it = options.find("--quality"); it != options.end()) webp.quality = std::strtof(it->second.c_str(), nullptr);
  webp.lossless = options.count("--lossless") > 0;
  return webp;
}

int write(const std::string& path, const Image& image, const std::map<std::string, std::string>& options) {
  const Status written = write_image(path, image.view(), webp_options(options));
  if (!written.ok()) return fail(written);
  std::printf("%s: %d x %d\n", path.c_str(), image.width(), image.height());
  return 0;
}

// A row-local operation on a picture of 512 x 512 or more: `threads` bands of rows made at
// once (StyleOptions::first_row / row_count), stitched; byte-identical to one thread.
Result<Image> stylize_in_bands(ImageView src, const std::string& op, const std::vector<StyleParamValue>& params,
                               int threads) {
  bool row_local = false;
  for (const StyleOp& o : style_ops()) row_local = row_local || (o.name == op && o.row_local);
  const int bands = std::min(threads, src.height());
  if (!row_local || bands < 2 || static_cast<long long>(src.width()) * src.height() < 512 * 512) {
    return stylize(src, op, params);
  }
  std::vector<std::optional<Result<Image>>> parts(bands);
  std::vector<std::thread> workers;
  for (int i = 0; i < bands; ++i) {
    workers.emplace_back([&, i] {
      StyleOptions options;
      options.first_row = static_cast<int>(static_cast<long long>(src.height()) * i / bands);
      options.row_count = static_cast<int>(static_cast<long long>(src.height()) * (i + 1) / bands) - options.first_row;
      parts[i].emplace(stylize(src, op, params, options));
    });
  }
  for (std::thread& worker : workers) worker.join();
  for (auto& part : parts) {
    if (!part->ok()) return part->status();
  }
  auto made = Image::create(src.width(), src.height(), PixelFormat::kRgba8);
  if (!made.ok()) return made.status();
  Image out = std::move(made).value();
  std::size_t offset = 0;
  for (auto& part : parts) {
    std::memcpy(out.data() + offset, (*part)->data(), (*part)->size_bytes());
    offset += (*part)->size_bytes();
  }
  return out;
}

}  // namespace

int run_stylize(const std::vector<std::string>& positional, const std::map<std::string, std::string>& options) {
  if (options.count("--list")) {
    print_ops();
    return 0;
  }
  if (positional.size() != 3) return usage("stylize takes OP IN OUT");
  std::vector<StyleParamValue> params;
  for (const auto& [flag, text] : options) {
    if (flag == "--quality" || flag == "--lossless" || flag == "--threads") continue;
    std::string name = flag.substr(2);
    for (char& c : name) c = c == '-' ? '_' : c;  // --min-area is --min_area
    double value = 0;
    if (!parse_number(text, &value)) return usage(flag + " needs a number, got '" + text + "'");
    params.push_back({name, value});
  }
  auto image = read_image(positional[1]);
  if (!image.ok()) return fail(image.status());
  // Default: every core (at most 8); --threads 1 runs on one.
  double threads = std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, 8);
  if (auto it = options.find("--threads"); it != options.end() &&
      (!parse_number(it->second, &threads) || threads < 1 || threads > 64 || threads != static_cast<int>(threads))) {
    return usage("--threads needs a whole number in 1..64, got '" + it->second + "'");
  }
  auto styled = stylize_in_bands(image->view(), positional[0], params, static_cast<int>(threads));
  if (!styled.ok()) return fail(styled.status());
  return write(positional[2], *styled, options);
}

int run_palette(const std::vector<std::string>& positional, const std::map<std::string, std::string>& options) {
  if (positional.size() != 1) return usage("palette takes IN");
  double colors = 8;
  if (auto it = options.find("--colors"); it != options.end() && !parse_number(it->second, &colors)) {
    return usage("--colors needs a number");
  }
  auto image = read_image(positional[0]);
  if (!image.ok()) return fail(image.status());
  auto palette = extract_palette(image->view(), static_cast<int>(colors));
  if (!palette.ok()) return fail(palette.status());
  for (const Rgb8& c : *palette) std::printf("#%02x%02x%02x\n", c.r, c.g, c.b);
  return 0;
}

int run_color_transfer(const std::vector<std::string>& positional,
                       const std::map<std::string, std::string>& options) {
  if (positional.size() != 3) return usage("color-transfer takes IN REFERENCE OUT");
  double strength = 1.0;
  if (auto it = options.find("--strength"); it != options.end() && !parse_number(it->second, &strength)) {
    return usage("--strength needs a number");
  }
  auto image = read_image(positional[0]);
  if (!image.ok()) return fail(image.status());
  auto reference = read_image(positional[1]);
  if (!reference.ok()) return fail(reference.status());
  auto moved = color_transfer(image->view(), reference->view(), strength);
  if (!moved.ok()) return fail(moved.status());
  return write(positional[2], *moved, options);
}

}  // namespace huabu::cli
