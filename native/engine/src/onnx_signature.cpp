// Reads the graph signature from an ONNX ModelProto (protobuf wire format). Fields used
// (onnx/onnx.proto): ModelProto{ir_version=1, opset_import=8, graph=7};
// OperatorSetIdProto{domain=1, version=2}; GraphProto{node=1, initializer=5, input=11,
// output=12}; NodeProto{op_type=4}; TensorProto{name=8}; ValueInfoProto{name=1, type=2};
// TypeProto{tensor_type=1}; TypeProto.Tensor{elem_type=1, shape=2};
// TensorShapeProto{dim=1}; Dimension{dim_value=1, dim_param=2}.
#include "huabu/engine/onnx_signature.h"

#include <array>

#include "protobuf_wire.h"

#include <set>

namespace huabu::engine {
namespace {

std::string as_string(Bytes b) { return {b.begin(), b.end()}; }

bool read_dim(Bytes b, Dim& d) {
  return for_each_field(b, [&](const Field& f) {
    if (f.number == 1 && f.wire == 0) d.value = static_cast<std::int64_t>(f.varint);
    if (f.number == 2 && f.wire == 2) d.symbol = as_string(f.body);
    return true;
  });
}

bool read_tensor_type(Bytes b, ValueSignature& v) {
  return for_each_field(b, [&](const Field& f) {
    if (f.number == 1 && f.wire == 0) v.elem_type = static_cast<int>(f.varint);
    if (f.number == 2 && f.wire == 2) {
      return for_each_field(f.body, [&](const Field& d) {
        if (d.number != 1 || d.wire != 2) return true;
        Dim dim;
        if (!read_dim(d.body, dim)) return false;
        v.dims.push_back(std::move(dim));
        return true;
      });
    }
    return true;
  });
}

bool read_value_info(Bytes b, ValueSignature& v) {
  return for_each_field(b, [&](const Field& f) {
    if (f.number == 1 && f.wire == 2) v.name = as_string(f.body);
    if (f.number == 2 && f.wire == 2) {
      return for_each_field(f.body, [&](const Field& t) {
        return !(t.number == 1 && t.wire == 2) || read_tensor_type(t.body, v);
      });
    }
    return true;
  });
}

bool read_graph(Bytes b, OnnxSignature& sig) {
  std::set<std::string> initializers;
  std::vector<ValueSignature> inputs;
  const bool ok = for_each_field(b, [&](const Field& f) {
    if (f.wire != 2) return true;
    if (f.number == 1) {
      return for_each_field(f.body, [&](const Field& n) {
        if (n.number == 4 && n.wire == 2) sig.op_types.push_back(as_string(n.body));
        return true;
      });
    }
    if (f.number == 5) {
      return for_each_field(f.body, [&](const Field& t) {
        if (t.number == 8 && t.wire == 2) initializers.insert(as_string(t.body));
        return true;
      });
    }
    if (f.number == 11 || f.number == 12) {
      ValueSignature v;
      if (!read_value_info(f.body, v) || v.name.empty()) return false;
      (f.number == 11 ? inputs : sig.outputs).push_back(std::move(v));
    }
    return true;
  });
  // Models written with old exporters list their weights as graph inputs too.
  for (auto& v : inputs) {
    if (initializers.count(v.name) == 0) sig.inputs.push_back(std::move(v));
  }
  return ok;
}

}  // namespace

Result<OnnxSignature> read_onnx_signature(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return corrupt_data("not an ONNX model: the file is empty");
  OnnxSignature sig;
  bool has_graph = false;
  bool graph_ok = true;
  const bool ok = for_each_field(bytes, [&](const Field& f) {
    if (f.number == 1 && f.wire == 0) sig.ir_version = static_cast<std::int64_t>(f.varint);
    if (f.number == 8 && f.wire == 2) {
      std::string domain;
      std::int64_t version = 0;
      if (!for_each_field(f.body, [&](const Field& o) {
            if (o.number == 1 && o.wire == 2) domain = as_string(o.body);
            if (o.number == 2 && o.wire == 0) version = static_cast<std::int64_t>(o.varint);
            return true;
          })) {
        return false;
      }
      if (domain.empty() || domain == "ai.onnx") sig.opset = version;
    }
    if (f.number == 7 && f.wire == 2) {
      has_graph = true;
      graph_ok = read_graph(f.body, sig);
    }
    return true;
  });
  if (!ok || !graph_ok) return corrupt_data("not an ONNX model: the protobuf encoding is malformed");
  if (sig.ir_version <= 0 || !has_graph) return corrupt_data("not an ONNX model: no ir_version or no graph");
  if (sig.inputs.empty() || sig.outputs.empty()) {
    return corrupt_data("ONNX model has no graph inputs or no graph outputs");
  }
  return sig;
}

std::string onnx_type_name(int elem_type) {
  // ONNX TensorProto.DataType codes, named as ONNX Runtime names them.
  static constexpr std::array<const char*, 12> kNames = {"undefined", "float32", "uint8",  "int8",
                                                         "uint16",    "int16",   "int32",  "int64",
                                                         "string",    "bool",    "float16", "float64"};
  if (elem_type >= 0 && elem_type < static_cast<int>(kNames.size())) return kNames[static_cast<std::size_t>(elem_type)];
  return "onnx type " + std::to_string(elem_type);
}

std::string dims_to_string(const std::vector<Dim>& dims) {
  std::string s = "[";
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (i) s += ", ";
    s += dims[i].fixed() ? std::to_string(dims[i].value) : (dims[i].symbol.empty() ? "?" : dims[i].symbol);
  }
  return s + "]";
}

}  // namespace huabu::engine
