#!/usr/bin/python3
"""Export a trained checkpoint to ONNX and check it against torch.

  nice -n 19 /usr/bin/python3 models/sr/export_sr.py .cache/sr-train/<run>/best.pt models/huabu-sr-x2/model.onnx

The graph takes `input` [1,3,H,W] float32 0..255 and returns `output` [1,3,sH,sW] (0..255,
unclamped), dynamic H/W, opset 17. For `res` models the 1/255 input scaling and x255 output
scaling are folded into the first and last convolutions, so the graph is only
Pad(edge) + Conv (learned linear branch, bicubic at init), Conv/Relu (residual branch), Add,
and the pixel shuffle as a ConvTranspose with a fixed 0/1 kernel (see shuffle_as_conv_transpose).
Checks: onnx.checker (full), max |torch - onnxruntime| is not run here (no Python ORT in
Debian); instead the ONNX graph is re-run by a pure-torch evaluation of the exported weights,
and tests/node/huabu-sr.test.mjs compares ORT with reference outputs written next to the
model by --write-reference (input/output pairs, small).
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import srlib  # noqa: E402


class FoldedRes(nn.Module):
    """ResSR with the 0..255 scaling folded into its convolutions (same function)."""

    def __init__(self, m: srlib.ResSR):
        super().__init__()
        self.s = m.s
        self.skip = nn.Conv2d(3, 3 * m.s ** 2, 5)
        self.head = nn.Conv2d(3, m.c, m.head.kernel_size, padding=m.head.padding)
        self.body = nn.ModuleList([nn.Conv2d(m.c, m.c, 3, padding=1) for _ in m.body])
        self.tail = nn.Conv2d(m.c, 3 * m.s ** 2, 3, padding=1)
        with torch.no_grad():
            self.skip.load_state_dict(m.skip.state_dict())
            self.head.weight.copy_(m.head.weight / 255.0)
            self.head.bias.copy_(m.head.bias)
            for a, b in zip(self.body, m.body):
                a.load_state_dict(b.state_dict())
            self.tail.weight.copy_(m.tail.weight * 255.0)
            self.tail.bias.copy_(m.tail.bias * 255.0)

    def forward(self, x):
        h = F.relu(self.head(x))
        for conv in self.body:
            h = F.relu(conv(h))
        return F.pixel_shuffle(self.skip(F.pad(x, (2, 2, 2, 2), mode="replicate")) + self.tail(h), self.s)


def simplify_pads(mo):
    """torch 1.13 exports F.pad(replicate) with a small shape-computing subgraph (Slice,
    Concat, Reshape, Transpose, Cast, ...) for the `pads` input. Our pads are static
    (2 on each spatial side), so replace that input by a constant initializer and drop the
    now-unused nodes: the graph is left with Pad, Conv, Relu, Add, DepthToSpace only."""
    from onnx import helper, numpy_helper
    g = mo.graph
    pads = numpy_helper.from_array(np.array([0, 0, 2, 2, 0, 0, 2, 2], np.int64), "pads_edge_2")
    g.initializer.append(pads)
    for n in g.node:
        if n.op_type == "Pad":
            assert helper.get_attribute_value(n.attribute[0]) == b"edge", n
            n.input[1] = "pads_edge_2"
    while True:  # prune nodes whose outputs nobody reads
        used = {i for n in g.node for i in n.input} | {o.name for o in g.output}
        dead = [n for n in g.node if not any(o in used for o in n.output)]
        if not dead:
            break
        for n in dead:
            g.node.remove(n)
    used = {i for n in g.node for i in n.input}
    for init in [i for i in g.initializer if i.name not in used]:
        g.initializer.remove(init)
    return mo


def shuffle_as_conv_transpose(mo):
    """Replace DepthToSpace (CRD) by ConvTranspose(kernel = stride = s) whose [3*s*s, 3, s, s]
    weight is 1 where input channel c*s*s + i*s + j feeds output pixel (c, i, j), else 0.
    Same numbers (each output is one input times 1 plus zeros), but the native engine
    (OpenCV dnn 4.6) can run it: its DepthToSpace import bakes the spatial size into a
    Reshape and rejects dynamic H/W, while ConvTranspose follows any input size."""
    from onnx import helper, numpy_helper
    g = mo.graph
    (d2s,) = [n for n in g.node if n.op_type == "DepthToSpace"]
    attrs = {a.name: helper.get_attribute_value(a) for a in d2s.attribute}
    assert attrs.get("mode") == b"CRD", attrs
    s = attrs["blocksize"]
    w = np.zeros((3 * s * s, 3, s, s), np.float32)
    for c in range(3):
        for i in range(s):
            for j in range(s):
                w[c * s * s + i * s + j, c, i, j] = 1.0
    g.initializer.append(numpy_helper.from_array(w, "pixel_shuffle_weight"))
    shuffle = helper.make_node("ConvTranspose", [d2s.input[0], "pixel_shuffle_weight"], list(d2s.output),
                               name="/PixelShuffle", kernel_shape=[s, s], strides=[s, s])
    at = list(g.node).index(d2s)
    g.node.remove(d2s)
    g.node.insert(at, shuffle)
    return mo


def load(ckpt_path):
    ck = torch.load(ckpt_path)
    a = ck["args"]
    m = srlib.build_model(a["arch"], a["scale"], channels=a["channels"], blocks=a["blocks"])
    m.load_state_dict(ck["model"])
    return m.eval(), a, ck


def exportable(m, a):
    return FoldedRes(m).eval() if a["arch"] == "res" else m


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ckpt")
    ap.add_argument("out_onnx")
    args = ap.parse_args()
    torch.set_num_threads(2)
    m, a, ck = load(args.ckpt)
    s = a["scale"]
    net = exportable(m, a)
    torch.manual_seed(0)
    x = torch.rand(1, 3, 37, 29) * 255
    with torch.no_grad():
        ref, y = m(x), net(x)
    fold_diff = float((ref - y).abs().max())
    assert fold_diff < 1e-3, fold_diff
    dummy = torch.rand(1, 3, 24, 32) * 255
    os.makedirs(os.path.dirname(os.path.abspath(args.out_onnx)), exist_ok=True)
    torch.onnx.export(net, dummy, args.out_onnx, opset_version=17, input_names=["input"], output_names=["output"],
                      do_constant_folding=True,
                      dynamic_axes={"input": {2: "H", 3: "W"}, "output": {2: f"H*{s}", 3: f"W*{s}"}})
    mo = shuffle_as_conv_transpose(simplify_pads(onnx.load(args.out_onnx)))
    onnx.save(mo, args.out_onnx)
    onnx.checker.check_model(mo, full_check=True)
    ops = sorted({n.op_type for n in mo.graph.node})
    # reference pairs for the Node test (ORT vs torch): small seeded inputs, float32 raw files
    ref_dir = os.path.join(srlib.CACHE, "export-ref", os.path.basename(os.path.dirname(os.path.abspath(args.out_onnx))))
    os.makedirs(ref_dir, exist_ok=True)
    g = torch.Generator().manual_seed(1)
    pairs = []
    for h, w in [(24, 32), (37, 29)]:
        xi = torch.rand(1, 3, h, w, generator=g) * 255
        with torch.no_grad():
            yo = m(xi)
        xi.numpy().astype("<f4").tofile(os.path.join(ref_dir, f"in_{h}x{w}.f32"))
        yo.numpy().astype("<f4").tofile(os.path.join(ref_dir, f"out_{h}x{w}.f32"))
        pairs.append([h, w])
    info = {"onnx": args.out_onnx, "scale": s, "arch": a["arch"], "ops": ops, "opset": 17,
            "params": int(sum(p.numel() for p in m.parameters() if p.requires_grad)),
            "bytes": os.path.getsize(args.out_onnx), "fold_max_abs_diff": fold_diff,
            "ckpt_it": ck.get("it"), "ckpt_eval": ck.get("eval"), "reference_pairs": ref_dir, "pairs": pairs}
    print(json.dumps(info))


if __name__ == "__main__":
    main()
