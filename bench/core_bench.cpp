// Times core image operations. The same source is built natively and to wasm, so running
// both binaries compares the compiled code itself (tools/bench.mjs does that and computes
// the ratios). Prints one JSON object per line:
//   {"op": "webp_encode_q75", "size": 512, "ms": 12.3, "bytes": 45678, "checksum": "..."}
// Usage: huabu-core-bench [--quick] [--styles-only [NAME]]
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "huabu/image.h"
#include "huabu/image_ops.h"
#include "huabu/stylize.h"
#include "huabu/webp.h"

namespace {

// Photo-like test pattern from integer math only, so tools/bench.mjs can build the very
// same pixels in JavaScript (make_test_image there) for the @jsquash/webp comparison.
huabu::Image make_test_image(int size) {
  huabu::Image img = huabu::Image::create(size, size, huabu::PixelFormat::kRgba8).value();
  for (int y = 0; y < size; ++y) {
    std::uint8_t* row = img.mutable_view().row(y);
    for (int x = 0; x < size; ++x) {
      std::uint32_t h = (std::uint32_t(x) * 0x9E3779B1u) ^ (std::uint32_t(y) * 0x85EBCA77u);
      h ^= h >> 15;
      h *= 0x2C1B3C6Du;
      h ^= h >> 12;
      const int noise = int(h & 15u);
      const bool checker = (((x / 32) + (y / 32)) & 1) != 0;
      row[4 * x + 0] = std::uint8_t(std::min(255, x * 240 / (size - 1) + noise));
      row[4 * x + 1] = std::uint8_t(std::min(255, y * 240 / (size - 1) + noise));
      row[4 * x + 2] = std::uint8_t((checker ? 200 : 40) + noise);
      row[4 * x + 3] = 255;
    }
  }
  return img;
}

// FNV-1a, to show native and wasm computed the same bytes.
std::uint32_t fnv1a(const std::uint8_t* data, std::size_t n) {
  std::uint32_t h = 2166136261u;
  for (std::size_t i = 0; i < n; ++i) h = (h ^ data[i]) * 16777619u;
  return h;
}

double now_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

// Fastest of `reps` timed runs after one warm-up run: on a shared machine other load only
// ever adds time, so the minimum is the steadiest estimate of the code's own cost.
double best_ms(int reps, const std::function<void()>& run) {
  run();
  std::vector<double> times;
  for (int i = 0; i < reps; ++i) {
    const double t0 = now_ms();
    run();
    times.push_back(now_ms() - t0);
  }
  return *std::min_element(times.begin(), times.end());
}

void report(const char* op, int size, double ms, std::size_t bytes, std::uint32_t checksum) {
  std::printf("{\"op\": \"%s\", \"size\": %d, \"ms\": %.3f, \"bytes\": %zu, \"checksum\": \"%08x\"}\n",
              op, size, ms, bytes, checksum);
  std::fflush(stdout);
}

void bench_size(int size, int reps) {
  const huabu::Image src = make_test_image(size);
  report("input", size, 0.0, src.size_bytes(), fnv1a(src.data(), src.size_bytes()));

  std::optional<huabu::Image> out;  // Image has no empty state
  auto resize_op = [&](const char* name, int w, huabu::ResizeFilter filter) {
    const double ms = best_ms(reps, [&] { out = huabu::resize(src.view(), w, w, filter).value(); });
    report(name, size, ms, out->size_bytes(), fnv1a(out->data(), out->size_bytes()));
  };
  resize_op("resize_lanczos3_half", size / 2, huabu::ResizeFilter::kLanczos3);
  resize_op("resize_bilinear_double", size * 2, huabu::ResizeFilter::kBilinear);
  out.reset();

  std::vector<std::uint8_t> webp;
  huabu::WebpEncodeOptions options;
  options.quality = 75;
  const double enc_ms = best_ms(reps, [&] { webp = huabu::encode_webp(src.view(), options).value(); });
  report("webp_encode_q75", size, enc_ms, webp.size(), fnv1a(webp.data(), webp.size()));

  std::optional<huabu::Image> decoded;
  const double dec_ms = best_ms(reps, [&] { decoded = huabu::decode_webp(webp).value(); });
  report("webp_decode", size, dec_ms, decoded->size_bytes(), fnv1a(decoded->data(), decoded->size_bytes()));
}

// Every stylize operation with its default parameters, plus the colour tools. Slow
// operations (over 2 s once) are timed from that single run, without a warm-up, so the whole
// benchmark stays within minutes on a shared 2-core machine.
void bench_styles(int size, int reps, const char* only) {
  const huabu::Image src = make_test_image(size);
  const huabu::Image reference = make_test_image(size / 2);  // different statistics (smaller checks)
  auto run = [&](const std::string& name, const std::function<huabu::Image()>& op) {
    if (only != nullptr && name.find(only) == std::string::npos) return;
    std::optional<huabu::Image> out;
    const double t0 = now_ms();
    out = op();
    double ms = now_ms() - t0;
    if (ms < 2000) ms = std::min(ms, best_ms(reps, [&] { out = op(); }));
    report(("style_" + name).c_str(), size, ms, out->size_bytes(), fnv1a(out->data(), out->size_bytes()));
  };
  for (const huabu::StyleOp& op : huabu::style_ops()) {
    run(std::string(op.name), [&] { return huabu::stylize(src.view(), op.name, {}).value(); });
  }
  run("colortransfer", [&] { return huabu::color_transfer(src.view(), reference.view(), 1.0).value(); });
  // The palette as a 1-pixel-high image so it gets a checksum like the others.
  run("palette16", [&] {
    const auto palette = huabu::extract_palette(src.view(), 16).value();
    huabu::Image img = huabu::Image::create(static_cast<int>(palette.size()), 1, huabu::PixelFormat::kRgb8).value();
    for (std::size_t i = 0; i < palette.size(); ++i) {
      img.data()[3 * i] = palette[i].r;
      img.data()[3 * i + 1] = palette[i].g;
      img.data()[3 * i + 2] = palette[i].b;
    }
    return img;
  });
}

}  // namespace

// Usage: huabu-core-bench [--quick] [--styles-only [NAME]]
int main(int argc, char** argv) {
  bool quick = false, styles_only = false;
  const char* only = nullptr;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) quick = true;
    else if (std::strcmp(argv[i], "--styles-only") == 0) styles_only = true;
    else only = argv[i];
  }
  if (!styles_only) {
    bench_size(512, quick ? 3 : 15);
    bench_size(2048, quick ? 1 : 5);
  }
  bench_styles(1024, quick ? 1 : 3, only);
  bench_styles(2048, quick ? 1 : 2, only);
  return 0;
}
