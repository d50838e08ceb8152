#!/usr/bin/python3
"""Convert a TF.js *layers* model (Keras topology JSON + weight shards) to ONNX.

Usage (Debian's python, not the pyenv one first on PATH):
  nice -n 19 /usr/bin/python3 models/tools/tfjs_layers_to_onnx.py \
      node_modules/@upscalerjs/esrgan-slim/models/x2/model.json models/esrgan-slim-x2/model.onnx

The Keras functional graph is rebuilt generically in torch (NCHW inside), the
weights are loaded (HWIO -> OIHW) and the module is exported with opset 17.
The ONNX graph takes `input` [1,3,H,W] float32 and returns `output`
[1,3,sH,sW]; the value range is whatever the source model uses (0..255 here).
Supported layers: InputLayer, Conv2D (stride 1, same/valid), Activation
(relu/linear), Concatenate, Add, UpSampling2D (nearest). Anything else raises,
so an unsupported model fails loudly instead of converting wrongly.
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn.functional as F

# Keras NHWC axis -> our NCHW axis (batch stays 0).
NHWC_TO_NCHW_AXIS = {0: 0, 1: 2, 2: 3, 3: 1, -1: 1}
ACTIVATIONS = {"linear": None, "relu": torch.relu}


def read_weights(model_dir, manifest):
    """Return {weight name: np.ndarray}, reading shards in manifest order."""
    out = {}
    for group in manifest:
        buf = b"".join(open(os.path.join(model_dir, p), "rb").read() for p in group["paths"])
        off = 0
        for w in group["weights"]:
            n = int(np.prod(w["shape"])) if w["shape"] else 1
            q = w.get("quantization")
            if q:  # uint8/uint16/float16 storage, see tfjs io weight quantization
                qdt = {"uint8": np.uint8, "uint16": np.uint16, "float16": np.float16}[q["dtype"]]
                raw = np.frombuffer(buf, qdt, n, off)
                off += raw.nbytes
                arr = raw.astype(np.float32) if q["dtype"] == "float16" else raw * q["scale"] + q["min"]
            else:
                if w["dtype"] != "float32":
                    raise ValueError(f"unsupported weight dtype {w['dtype']} for {w['name']}")
                arr = np.frombuffer(buf, "<f4", n, off)
                off += arr.nbytes
            out[w["name"]] = np.asarray(arr, np.float32).reshape(w["shape"])
        if off != len(buf):
            raise ValueError(f"weight group uses {off} bytes but shards hold {len(buf)}")
    return out


class KerasGraph(torch.nn.Module):
    """Executes the layer list of a Keras functional model in NCHW."""

    def __init__(self, config, weights):
        super().__init__()
        self.layers = {l["name"]: l for l in config["layers"]}
        self.order = self._topo_order(config["layers"])
        self.inputs = [i[0] for i in config["input_layers"]]
        self.outputs = [o[0] for o in config["output_layers"]]
        if len(self.inputs) != 1 or len(self.outputs) != 1:
            raise ValueError("only single-input single-output models are supported")
        self.convs = torch.nn.ModuleDict()
        for name in self.order:
            layer = self.layers[name]
            if layer["class_name"] == "Conv2D":
                self.convs[name] = self._make_conv(layer["config"], weights)

    @staticmethod
    def _sources(layer):
        nodes = layer["inbound_nodes"]
        if len(nodes) > 1:
            raise ValueError(f"layer {layer['name']} is shared (called {len(nodes)} times)")
        return [src[0] for src in nodes[0]] if nodes else []

    def _topo_order(self, layers):
        done, order = set(), []

        def visit(name, stack=()):
            if name in done:
                return
            if name in stack:
                raise ValueError(f"cycle at {name}")
            for src in self._sources(self.layers[name]):
                visit(src, stack + (name,))
            done.add(name)
            order.append(name)

        for l in layers:
            visit(l["name"])
        return order

    @staticmethod
    def _make_conv(cfg, weights):
        k = cfg["kernel_size"]
        if cfg["strides"] != [1, 1] or cfg["dilation_rate"] != [1, 1] or cfg.get("groups", 1) != 1:
            raise ValueError(f"{cfg['name']}: only stride 1, dilation 1, groups 1 supported")
        if cfg["data_format"] != "channels_last":
            raise ValueError(f"{cfg['name']}: expected channels_last")
        if cfg["padding"] == "same":
            if k[0] % 2 == 0 or k[1] % 2 == 0:
                raise ValueError(f"{cfg['name']}: even kernel with same padding is asymmetric")
            pad = (k[0] // 2, k[1] // 2)  # Keras same padding, stride 1, odd kernel
        elif cfg["padding"] == "valid":
            pad = (0, 0)
        else:
            raise ValueError(f"{cfg['name']}: padding {cfg['padding']}")
        kernel = weights[cfg["name"] + "/kernel"]  # HWIO
        conv = torch.nn.Conv2d(kernel.shape[2], kernel.shape[3], tuple(k), padding=pad,
                               bias=cfg["use_bias"])
        with torch.no_grad():
            conv.weight.copy_(torch.from_numpy(kernel.transpose(3, 2, 0, 1).copy()))
            if cfg["use_bias"]:
                conv.bias.copy_(torch.from_numpy(weights[cfg["name"] + "/bias"]))
        conv.keras_activation = cfg["activation"]
        if cfg["activation"] not in ACTIVATIONS:
            raise ValueError(f"{cfg['name']}: activation {cfg['activation']}")
        return conv

    def _apply(self, layer, xs):
        cls, cfg, name = layer["class_name"], layer["config"], layer["name"]
        if cls == "Conv2D":
            conv = self.convs[name]
            y = conv(xs[0])
            act = ACTIVATIONS[conv.keras_activation]
            return act(y) if act else y
        if cls == "Activation":
            if cfg["activation"] not in ACTIVATIONS:
                raise ValueError(f"{name}: activation {cfg['activation']}")
            act = ACTIVATIONS[cfg["activation"]]
            return act(xs[0]) if act else xs[0]
        if cls == "Concatenate":
            return torch.cat(xs, dim=NHWC_TO_NCHW_AXIS[cfg["axis"]])
        if cls == "Add":
            y = xs[0]
            for x in xs[1:]:
                y = y + x
            return y
        if cls == "UpSampling2D":
            if cfg["interpolation"] != "nearest" or cfg["data_format"] != "channels_last":
                raise ValueError(f"{name}: only nearest channels_last upsampling")
            sh, sw = cfg["size"]
            return F.interpolate(xs[0], scale_factor=(float(sh), float(sw)), mode="nearest")
        raise ValueError(f"unsupported layer class {cls} ({name})")

    def forward(self, x):
        vals = {self.inputs[0]: x}
        for name in self.order:
            layer = self.layers[name]
            if layer["class_name"] == "InputLayer":
                continue
            vals[name] = self._apply(layer, [vals[s] for s in self._sources(layer)])
        return vals[self.outputs[0]]


def upscale_factor(config):
    """Product of UpSampling2D sizes: how much larger the output is than the input."""
    s = 1
    for l in config["layers"]:
        if l["class_name"] == "UpSampling2D":
            s *= l["config"]["size"][0]
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model_json")
    ap.add_argument("out_onnx")
    ap.add_argument("--opset", type=int, default=17)
    args = ap.parse_args()
    torch.set_num_threads(2)

    spec = json.load(open(args.model_json))
    if spec.get("format") != "layers-model":
        raise ValueError("not a TF.js layers model")
    model_cfg = spec["modelTopology"]["model_config"]
    if model_cfg["class_name"] not in ("Functional", "Model"):
        raise ValueError(f"unsupported model class {model_cfg['class_name']}")
    config = model_cfg["config"]
    weights = read_weights(os.path.dirname(os.path.abspath(args.model_json)), spec["weightsManifest"])
    net = KerasGraph(config, weights).eval()
    used = {n + s for n in net.convs for s in ("/kernel", "/bias")}
    unused = set(weights) - used
    if unused:
        raise ValueError(f"weights not used by any layer: {sorted(unused)}")

    s = upscale_factor(config)
    dummy = torch.rand(1, 3, 24, 32) * 255
    with torch.no_grad():
        y = net(dummy)
    assert tuple(y.shape) == (1, 3, 24 * s, 32 * s), y.shape
    os.makedirs(os.path.dirname(os.path.abspath(args.out_onnx)), exist_ok=True)
    torch.onnx.export(
        net, dummy, args.out_onnx, opset_version=args.opset, input_names=["input"],
        output_names=["output"], do_constant_folding=True,
        dynamic_axes={"input": {2: "H", 3: "W"}, "output": {2: f"H*{s}", 3: f"W*{s}"}})

    m = onnx.load(args.out_onnx)
    onnx.checker.check_model(m, full_check=True)
    ops = sorted({n.op_type for n in m.graph.node})
    print(json.dumps({"onnx": args.out_onnx, "scale": s, "ops": ops,
                      "params": int(sum(p.numel() for p in net.parameters())),
                      "bytes": os.path.getsize(args.out_onnx)}))


if __name__ == "__main__":
    sys.exit(main())
