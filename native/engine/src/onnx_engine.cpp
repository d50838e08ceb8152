// OpenCV throws cv::Exception; every call into it is wrapped here and turned into a Status,
// so nothing throws past this file (the core and the CLI are built without exceptions).
#include "huabu/engine/onnx_engine.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/dnn.hpp>

namespace huabu::engine {
namespace {

// 2^24: the largest magnitude up to which every integer is exact in float32.
constexpr std::int64_t kExactFloatInt = 1 << 24;
// A single input above this many elements (1 GiB of float32) is refused before allocation.
constexpr std::int64_t kMaxInputElements = std::int64_t{1} << 28;

// OpenCV's messages span several lines ("OpenCV(4.6.0) file:line: error: (...) in function
// ...\n> Node [Op@domain]:(name) parse error: ..."). Keep the line that names the node when
// there is one, else the first line.
std::string condense(const std::string& what) {
  const auto node = what.find("Node [");
  std::string s = what.substr(node == std::string::npos ? 0 : node);
  const auto eol = s.find('\n');
  if (eol != std::string::npos) s.resize(eol);
  return s;
}

}  // namespace

struct OnnxEngine::Network {
  cv::dnn::Net net;
  std::vector<cv::String> output_names;
};

OnnxEngine::OnnxEngine(std::string label, OnnxSignature signature, std::unique_ptr<Network> network)
    : label_(std::move(label)), signature_(std::move(signature)), network_(std::move(network)) {}
OnnxEngine::OnnxEngine(OnnxEngine&&) noexcept = default;
OnnxEngine& OnnxEngine::operator=(OnnxEngine&&) noexcept = default;
OnnxEngine::~OnnxEngine() = default;

Result<OnnxEngine> OnnxEngine::load(const std::string& path, const PinnedDims& pinned) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return invalid_argument("cannot open model file '" + path + "' (not a file)");
  std::ifstream file(path, std::ios::binary);
  if (!file) return invalid_argument("cannot open model file '" + path + "'");
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  return load_from_bytes(bytes, path, pinned);
}

Result<OnnxEngine> OnnxEngine::load_from_bytes(std::span<const std::uint8_t> original, const std::string& label,
                                               const PinnedDims& pinned) {
  if (original.empty()) return corrupt_data(label + ": not an ONNX model: the file is empty");
  auto adapted = adapt_for_opencv(original, pinned);
  if (!adapted.ok()) return Status(adapted.status().code(), label + ": " + adapted.status().message());
  const std::span<const std::uint8_t> bytes(*adapted);
  auto signature = read_onnx_signature(bytes);
  if (!signature.ok()) return Status(signature.status().code(), label + ": " + signature.status().message());
  HUABU_RETURN_IF_ERROR(check_signature_types(*signature, label));
  // The importer logs each failure to stderr before throwing; the thrown message is what we
  // report, so OpenCV's own log stays quiet.
  cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
  auto network = std::make_unique<Network>();
  try {
    network->net = cv::dnn::readNetFromONNX(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    network->net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    network->net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
  } catch (const cv::Exception& e) {
    return unsupported(label + ": OpenCV dnn 4.6 cannot import this graph: " + condense(e.what()));
  }
  for (const ValueSignature& out : signature->outputs) network->output_names.push_back(out.name);
  return OnnxEngine(label, std::move(signature).value(), std::move(network));
}

Status check_signature_types(const OnnxSignature& signature, const std::string& label) {
  for (const auto* list : {&signature.inputs, &signature.outputs}) {
    for (const ValueSignature& v : *list) {
      const bool int_input = list == &signature.inputs && v.elem_type == kOnnxInt32;
      if (v.elem_type != kOnnxFloat && v.elem_type != kOnnxInt64 && !int_input) {
        return unsupported(label + ": '" + v.name + "' is " + onnx_type_name(v.elem_type) +
                           "; the native engine handles float32 and int64 (and int32 inputs) only");
      }
    }
  }
  return ok_status();
}

Status check_inputs_against(const std::vector<ValueSignature>& declared, const NamedTensors& inputs) {
  std::string expected;
  for (const ValueSignature& v : declared) expected += (expected.empty() ? "" : ", ") + v.name;
  for (const auto& [name, tensor] : inputs) {
    const bool known = std::any_of(declared.begin(), declared.end(), [&](const auto& v) { return v.name == name; });
    if (!known) return invalid_argument("unknown input '" + name + "'; the model takes: " + expected);
  }
  std::map<std::string, std::int64_t> symbols;  // "B" -> the value the first input gave it
  for (const ValueSignature& v : declared) {
    const auto it = inputs.find(v.name);
    if (it == inputs.end()) return invalid_argument("missing input '" + v.name + "'; the model takes: " + expected);
    const Tensor& t = it->second;
    // int32 inputs (CLIP's input_ids in ONNX Runtime Web exports) take int64 tensors, as the
    // browser's runner narrows them; either way OpenCV receives the values as float32.
    const bool integer = v.elem_type == kOnnxInt64 || v.elem_type == kOnnxInt32;
    const DType want = integer ? DType::kInt64 : DType::kFloat32;
    if (t.dtype() != want) {
      return invalid_argument("input '" + v.name + "' must be " + std::string(dtype_name(want)) + ", got " +
                              std::string(dtype_name(t.dtype())));
    }
    const std::string shapes = "input '" + v.name + "' has shape " + shape_to_string(t.shape) +
                               ", the model declares " + dims_to_string(v.dims);
    if (t.shape.size() != v.dims.size()) return invalid_argument(shapes + " (rank differs)");
    for (std::size_t i = 0; i < v.dims.size(); ++i) {
      const Dim& d = v.dims[i];
      if (t.shape[i] < 1) return invalid_argument(shapes + " (dimensions must be >= 1)");
      if (d.fixed() && t.shape[i] != d.value) return invalid_argument(shapes);
      if (!d.fixed() && !d.symbol.empty()) {
        const auto [sym, inserted] = symbols.emplace(d.symbol, t.shape[i]);
        if (!inserted && sym->second != t.shape[i]) {
          return invalid_argument(shapes + " ('" + d.symbol + "' is " + std::to_string(sym->second) +
                                  " in another input)");
        }
      }
      if (t.shape[i] > kMaxInputElements) return resource_exhausted(shapes + " (too large)");
    }
    const std::int64_t count = t.element_count();
    if (count > kMaxInputElements) return resource_exhausted(shapes + " (too many elements)");
    if (static_cast<std::int64_t>(t.value_count()) != count) {
      return invalid_argument("input '" + v.name + "' has " + std::to_string(t.value_count()) +
                              " values for shape " + shape_to_string(t.shape));
    }
    if (t.dtype() == DType::kInt64) {
      for (std::int64_t x : t.int64s()) {
        if (x < -kExactFloatInt || x > kExactFloatInt) {
          return out_of_range("input '" + v.name + "' holds " + std::to_string(x) +
                              "; the native engine computes in float32 and takes int64 values within +-2^24");
        }
      }
    }
  }
  return ok_status();
}

Status OnnxEngine::check_inputs(const NamedTensors& inputs) const {
  const Status s = check_inputs_against(signature_.inputs, inputs);
  return s.ok() ? s : Status(s.code(), label_ + ": " + s.message());
}

Result<NamedTensors> OnnxEngine::run(const NamedTensors& inputs) {
  HUABU_RETURN_IF_ERROR(check_inputs(inputs));
  NamedTensors outputs;
  try {
    for (const ValueSignature& v : signature_.inputs) {
      const Tensor& t = inputs.find(v.name)->second;
      std::vector<int> sizes(t.shape.begin(), t.shape.end());
      if (sizes.empty()) sizes.push_back(1);
      cv::Mat blob(static_cast<int>(sizes.size()), sizes.data(), CV_32F);
      float* dst = blob.ptr<float>();
      if (t.dtype() == DType::kFloat32) {
        std::copy(t.floats().begin(), t.floats().end(), dst);
      } else {
        std::transform(t.int64s().begin(), t.int64s().end(), dst, [](std::int64_t x) { return static_cast<float>(x); });
      }
      network_->net.setInput(blob, v.name);
    }
    std::vector<cv::Mat> mats;
    network_->net.forward(mats, network_->output_names);
    if (mats.size() != signature_.outputs.size()) return internal_error(label_ + ": OpenCV returned the wrong number of outputs");
    for (std::size_t i = 0; i < mats.size(); ++i) {
      cv::Mat m = mats[i];
      if (m.depth() != CV_32F) m.convertTo(m, CV_32F);
      if (!m.isContinuous()) m = m.clone();
      std::vector<std::int64_t> shape(m.size.p, m.size.p + m.dims);
      const ValueSignature& declared = signature_.outputs[i];
      bool matches = shape.size() == declared.dims.size();
      for (std::size_t d = 0; matches && d < shape.size(); ++d) {
        matches = !declared.dims[d].fixed() || declared.dims[d].value == shape[d];
      }
      if (!matches) {
        return internal_error(label_ + ": OpenCV produced output '" + declared.name + "' with shape " +
                              shape_to_string(shape) + ", the model declares " + dims_to_string(declared.dims));
      }
      const float* p = m.ptr<float>();
      outputs.emplace(declared.name, Tensor::float32(std::move(shape), std::vector<float>(p, p + m.total())));
    }
  } catch (const cv::Exception& e) {
    return internal_error(label_ + ": OpenCV dnn failed while running: " + condense(e.what()));
  }
  return outputs;
}

}  // namespace huabu::engine
