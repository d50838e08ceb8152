// `huabu-cli model-info MODEL.onnx [--dims B=2,H=128,W=128 --bench N --threads T]`: what the
// native engine sees in an ONNX file (inputs, outputs, operators), whether OpenCV dnn
// imports it (else the node and operator it rejects), and optionally the mean time of N runs
// on deterministic inputs ((37 i) mod 251, ids mod 100) with symbolic dimensions set by --dims.
#pragma once

#include <map>
#include <string>

namespace huabu::cli {

// Returns the process exit status (0 ok, 1 failed); prints to stdout/stderr.
int model_info(const std::string& path, const std::map<std::string, std::string>& options);

}  // namespace huabu::cli
