#include "model_info.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <opencv2/core.hpp>
#include <set>
#include <sstream>

#include "huabu/engine/onnx_engine.h"
#include "image_files.h"

namespace huabu::cli {
namespace {

using engine::NamedTensors;
using engine::Tensor;
using engine::ValueSignature;

void print_values(const char* kind, const std::vector<ValueSignature>& values) {
  for (const ValueSignature& v : values) {
    std::printf("%s %s %s %s\n", kind, v.name.c_str(), engine::onnx_type_name(v.elem_type).c_str(),
                engine::dims_to_string(v.dims).c_str());
  }
}

// "B=2,H=128" -> {"B": 2, "H": 128}; false on a malformed entry.
bool parse_dims(const std::string& text, engine::PinnedDims& dims) {
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) return false;
    char* end = nullptr;
    const long long v = std::strtoll(item.c_str() + eq + 1, &end, 10);
    if (*end != '\0' || v < 1 || v > 65536) return false;
    dims[item.substr(0, eq)] = v;
  }
  return true;
}

Result<NamedTensors> make_inputs(const std::vector<ValueSignature>& declared,
                                 const engine::PinnedDims& dims) {
  NamedTensors inputs;
  for (const ValueSignature& v : declared) {
    std::vector<std::int64_t> shape;
    std::int64_t count = 1;
    for (const engine::Dim& d : v.dims) {
      if (d.fixed()) {
        shape.push_back(d.value);
      } else if (dims.count(d.symbol)) {
        shape.push_back(dims.at(d.symbol));
      } else {
        return invalid_argument("input '" + v.name + "' has dimension '" + d.symbol + "': give it with --dims " +
                                d.symbol + "=N");
      }
      count *= shape.back();
    }
    if (count > (std::int64_t{1} << 26)) return resource_exhausted("input '" + v.name + "' is too large to bench");
    const auto n = static_cast<std::size_t>(count);
    if (v.elem_type == engine::kOnnxInt64 || v.elem_type == engine::kOnnxInt32) {
      std::vector<std::int64_t> x(n);
      for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<std::int64_t>(i % 100);
      inputs.emplace(v.name, Tensor::int64(shape, std::move(x)));
    } else {
      std::vector<float> x(n);
      for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>((i * 37) % 251);
      inputs.emplace(v.name, Tensor::float32(shape, std::move(x)));
    }
  }
  return inputs;
}

int fail(const Status& s) {
  std::fprintf(stderr, "huabu-cli: %s\n", s.to_string().c_str());
  return 1;
}

}  // namespace

int model_info(const std::string& path, const std::map<std::string, std::string>& options) {
  auto read = read_bytes(path);
  if (!read.ok()) return fail(read.status());
  const std::vector<std::uint8_t>& bytes = *read;
  // The declared signature first: it is known even when OpenCV cannot import the graph.
  auto sig = engine::read_onnx_signature(bytes);
  if (!sig.ok()) return fail(Status(sig.status().code(), path + ": " + sig.status().message()));
  std::printf("opset %lld\n", static_cast<long long>(sig->opset));
  print_values("input", sig->inputs);
  print_values("output", sig->outputs);
  const std::set<std::string> ops(sig->op_types.begin(), sig->op_types.end());
  std::string op_list;
  for (const std::string& op : ops) op_list += (op_list.empty() ? "" : " ") + op;
  std::printf("operators %s\n", op_list.c_str());
  // --dims values are pinned at import: OpenCV 4.6 imports some graphs only with fixed sizes.
  engine::PinnedDims dims;
  if (options.count("--dims") && !parse_dims(options.at("--dims"), dims)) {
    return fail(invalid_argument("--dims must look like B=2,H=128"));
  }
  auto loaded = engine::OnnxEngine::load_from_bytes(bytes, path, dims);
  if (!loaded.ok()) return fail(loaded.status());
  engine::OnnxEngine& e = *loaded;
  std::printf("engine: OpenCV dnn %s imports it\n", CV_VERSION);

  if (!options.count("--bench")) return 0;
  const int runs = std::atoi(options.at("--bench").c_str());
  if (runs < 1 || runs > 10000) return fail(invalid_argument("--bench takes a run count 1..10000"));
  if (options.count("--threads")) cv::setNumThreads(std::atoi(options.at("--threads").c_str()));
  auto inputs = make_inputs(e.inputs(), dims);
  if (!inputs.ok()) return fail(inputs.status());
  auto warm = e.run(*inputs);  // the first run allocates and plans; not timed
  if (!warm.ok()) return fail(warm.status());
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < runs; ++i) {
    auto out = e.run(*inputs);
    if (!out.ok()) return fail(out.status());
  }
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / runs;
  std::printf("{\"model\": \"%s\", \"runs\": %d, \"threads\": %d, \"mean_ms\": %.3f}\n", path.c_str(), runs,
              cv::getNumThreads(), ms);
  return 0;
}

}  // namespace huabu::cli
