#!/usr/bin/python3
"""Convert nsfwjs's MobileNetV2 (TF.js layers model, uint8-quantised weights) to ONNX.

    node models/safety/extract_nsfwjs.mjs            # -> .cache/nsfw/mobilenet_v2/
    nice -n 19 /usr/bin/python3 models/safety/convert_nsfwjs.py \
        .cache/nsfw/mobilenet_v2/model.json models/nsfw-mobilenet-v2/model.onnx

The ONNX graph is written directly with onnx.helper (no torch), one node group per Keras
layer, so the weights can stay uint8: each quantised tensor is stored as its uint8 codes
plus the same `q * scale + min` that TF.js applies at load time (Cast, Mul, Add; ORT folds
them into constants when the session is created). The file is ~2.7 MB instead of ~9 MB
of float32, and the dequantised values are the ones TF.js uses.

Graph: `input` [B,3,224,224] float32 RGB in 0..1 (NCHW; nsfwjs divides by 255 and resizes
to 224 with bilinear align_corners) -> `probabilities` [B,5] (softmax, classes Drawing,
Hentai, Neutral, Porn, Sexy). Keras layers handled: InputLayer, ZeroPadding2D, Conv2D,
DepthwiseConv2D, BatchNormalization, ReLU (max_value), Add, AveragePooling2D, Flatten,
Dense, Dropout (identity at inference). Anything else raises.
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "../tools"))
from tfjs_layers_to_onnx import read_weights  # noqa: E402  (shared shard reader)

CLASSES = ["Drawing", "Hentai", "Neutral", "Porn", "Sexy"]


class Builder:
    def __init__(self, spec, model_dir):
        self.nodes, self.inits = [], []
        self.specs = {w["name"]: w for g in spec["weightsManifest"] for w in g["weights"]}
        self.weights = read_weights(model_dir, spec["weightsManifest"])  # float32, for checks only
        self.raw = self._raw_codes(spec, model_dir)
        self.used = set()

    @staticmethod
    def _raw_codes(spec, model_dir):
        """uint8 codes of every quantised weight (the shard bytes, in manifest order)."""
        out = {}
        for g in spec["weightsManifest"]:
            buf = b"".join(open(os.path.join(model_dir, p), "rb").read() for p in g["paths"])
            off = 0
            for w in g["weights"]:
                n = int(np.prod(w["shape"]))
                q = w.get("quantization")
                if not q or q["dtype"] != "uint8":
                    raise ValueError(f"{w['name']}: only uint8-quantised weights are expected here")
                out[w["name"]] = np.frombuffer(buf, np.uint8, n, off).reshape(w["shape"])
                off += n
        return out

    def node(self, op, inputs, name, **attrs):
        self.nodes.append(helper.make_node(op, inputs, [name], name=name, **attrs))
        return name

    def const(self, name, arr):
        self.inits.append(numpy_helper.from_array(np.asarray(arr), name))
        return name

    def weight(self, key, perm=None, shape=None):
        """Dequantised weight `key` as a graph value: Cast(uint8 codes) * scale + min,
        with the layout change (transpose/reshape) done on the codes, which is exact."""
        self.used.add(key)
        codes = self.raw[key]
        if perm is not None:
            codes = codes.transpose(perm)
        if shape is not None:
            codes = codes.reshape(shape)
        q = self.specs[key]["quantization"]
        base = key.replace("/", "_").replace(":", "_")
        c = self.const(base + "_q", np.ascontiguousarray(codes))
        f = self.node("Cast", [c], base + "_f", to=TensorProto.FLOAT)
        s = self.node("Mul", [f, self.const(base + "_scale", np.float32(q["scale"]))], base + "_scaled")
        return self.node("Add", [s, self.const(base + "_min", np.float32(q["min"]))], base)

    def check_float(self, key):
        # the graph's dequantisation must equal read_weights' (the reference decoder)
        q = self.specs[key]["quantization"]
        ref = self.weights[key]
        mine = self.raw[key].astype(np.float32) * np.float32(q["scale"]) + np.float32(q["min"])
        assert np.abs(ref - mine).max() <= 1e-6 * max(1.0, np.abs(ref).max()), key


def conv_pads(cfg, k):
    if cfg["padding"] == "valid":
        return [0, 0, 0, 0]
    if cfg["padding"] == "same" and cfg["strides"] == [1, 1] and k[0] % 2 and k[1] % 2:
        return [k[0] // 2, k[1] // 2, k[0] // 2, k[1] // 2]
    raise ValueError(f"{cfg['name']}: padding {cfg['padding']} with strides {cfg['strides']}")


def convert(spec, model_dir):
    b = Builder(spec, model_dir)
    cfg_all = spec["modelTopology"]["model_config"]["config"]
    layers = cfg_all["layers"]
    vals = {}
    for layer in layers:  # Keras lists layers in a valid topological order
        cls, cfg, name = layer["class_name"], layer["config"], layer["name"]
        nodes = layer["inbound_nodes"]
        if len(nodes) > 1:
            raise ValueError(f"shared layer {name}")
        xs = [vals[s[0]] for s in nodes[0]] if nodes else []
        if cls == "InputLayer":
            if cfg["batch_input_shape"][1:] != [224, 224, 3]:
                raise ValueError(f"input shape {cfg['batch_input_shape']}")
            vals[name] = "input"
        elif cls == "ZeroPadding2D":
            (t, bo), (l, r) = cfg["padding"]
            vals[name] = b.node("Pad", [xs[0], b.const(name + "_pads", np.array([0, 0, t, l, 0, 0, bo, r], np.int64))],
                                name, mode="constant")
        elif cls in ("Conv2D", "DepthwiseConv2D"):
            k = cfg["kernel_size"]
            if cfg["dilation_rate"] != [1, 1] or cfg["data_format"] != "channels_last" or cfg["activation"] != "linear":
                raise ValueError(f"{name}: unsupported conv config")
            key = name + ("/kernel" if cls == "Conv2D" else "/depthwise_kernel")
            b.check_float(key)
            kh, kw, cin, cout = b.raw[key].shape
            if cls == "Conv2D":
                w, group = b.weight(key, perm=(3, 2, 0, 1)), 1  # HWIO -> OIHW
            else:
                if cfg["depth_multiplier"] != 1:
                    raise ValueError(f"{name}: depth_multiplier {cfg['depth_multiplier']}")
                w, group = b.weight(key, perm=(2, 3, 0, 1), shape=(cin, 1, kh, kw)), cin  # HW C 1 -> C 1 H W
            ins = [xs[0], w] + ([b.weight(name + "/bias")] if cfg["use_bias"] else [])
            vals[name] = b.node("Conv", ins, name, kernel_shape=k, strides=cfg["strides"], pads=conv_pads(cfg, k),
                                group=group)
        elif cls == "BatchNormalization":
            if cfg["axis"] not in (-1, 3) or not cfg["center"] or not cfg["scale"]:
                raise ValueError(f"{name}: unsupported batch norm config")
            p = [b.weight(f"{name}/{s}") for s in ("gamma", "beta", "moving_mean", "moving_variance")]
            vals[name] = b.node("BatchNormalization", [xs[0], *p], name, epsilon=float(cfg["epsilon"]))
        elif cls == "ReLU":
            if cfg.get("negative_slope", 0) != 0 or cfg.get("threshold", 0) != 0:
                raise ValueError(f"{name}: leaky/thresholded ReLU")
            mx = cfg.get("max_value")
            if mx is None:
                vals[name] = b.node("Relu", [xs[0]], name)
            else:
                vals[name] = b.node("Clip", [xs[0], b.const(name + "_lo", np.float32(0)),
                                             b.const(name + "_hi", np.float32(mx))], name)
        elif cls == "Add":
            vals[name] = b.node("Add", xs, name)
        elif cls == "AveragePooling2D":
            if cfg["padding"] != "valid":
                raise ValueError(f"{name}: padding {cfg['padding']}")
            vals[name] = b.node("AveragePool", [xs[0]], name, kernel_shape=cfg["pool_size"], strides=cfg["strides"])
        elif cls == "Flatten":
            # Keras flattens NHWC: transpose first so the order of features matches Dense's kernel
            t = b.node("Transpose", [xs[0]], name + "_nhwc", perm=[0, 2, 3, 1])
            vals[name] = b.node("Flatten", [t], name, axis=1)
        elif cls == "Dense":
            act = cfg["activation"]
            y = b.node("MatMul", [xs[0], b.weight(name + "/kernel")], name + "_mm")
            y = b.node("Add", [y, b.weight(name + "/bias")], name + "_lin" if act != "linear" else name)
            if act == "relu":
                y = b.node("Relu", [y], name)
            elif act == "softmax":
                y = b.node("Softmax", [y], name, axis=-1)
            elif act != "linear":
                raise ValueError(f"{name}: activation {act}")
            vals[name] = y
        elif cls == "Dropout":
            vals[name] = xs[0]
        else:
            raise ValueError(f"unsupported layer class {cls} ({name})")
    out = vals[cfg_all["output_layers"][0][0]]
    b.nodes.append(helper.make_node("Identity", [out], ["probabilities"], name="probabilities"))
    unused = set(b.raw) - b.used
    if unused:
        raise ValueError(f"weights not used by any layer: {sorted(unused)}")
    graph = helper.make_graph(
        b.nodes, "nsfwjs_mobilenet_v2",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["B", 3, 224, 224])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["B", len(CLASSES)])],
        b.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="huabu convert_nsfwjs.py")
    model.ir_version = 8
    helper.set_model_props(model, {"classes": ",".join(CLASSES), "source": "nsfwjs@4.4.0 MobileNetV2 (MIT)"})
    return model, sum(int(np.prod(a.shape)) for a in b.raw.values())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model_json")
    ap.add_argument("out_onnx")
    args = ap.parse_args()
    spec = json.load(open(args.model_json))
    if spec.get("format") != "layers-model":
        raise ValueError("not a TF.js layers model")
    model, params = convert(spec, os.path.dirname(os.path.abspath(args.model_json)))
    onnx.checker.check_model(model, full_check=True)
    os.makedirs(os.path.dirname(os.path.abspath(args.out_onnx)), exist_ok=True)
    onnx.save(model, args.out_onnx)
    print(json.dumps({"onnx": args.out_onnx, "params": params, "bytes": os.path.getsize(args.out_onnx),
                      "ops": sorted({n.op_type for n in model.graph.node})}))


if __name__ == "__main__":
    sys.exit(main())
