#!/usr/bin/python3
"""Export huabu-sketch's generator (EMA weights) to ONNX opset 17, with the files the checks need.

    nice -n 19 /usr/bin/python3 models/sketch/export_sketch.py --ckpt .cache/sketch-train/ckpt.pt \
        --out models/huabu-sketch [--checkpoint-out models/huabu-sketch/checkpoint/huabu-sketch.pt]

Writes <out>/model.onnx (inputs `sketch` float32 [B,1,128,128] in [-1,1], white paper = +1,
ink = -1, and `style` float32 [B,7] style weights; output `image` float32 [B,3,128,128] in
[-1,1], RGB on white), <out>/reference-sketch.png + reference-output.png + reference.json
(a fixed held-out sketch and torch's output, for ./huabu eval and the CI test), a
manifest.json from manifest.template.json when there is none yet, and
.cache/sketch-export/check.json (raw float inputs/outputs for check_onnx.mjs).
"""
import json
import os
import sys

import numpy as np
import onnx
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sketchlib as S  # noqa: E402
from pix2pix_export import export_arguments, finish_export, load_generator  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../tools"))
from onnx_fp16 import fp16_storage, round_weights_to_fp16  # noqa: E402

p = export_arguments("huabu-sketch", "sketch")
p.add_argument("--fp32-weights", action="store_true", help="keep float32 weights (default: stored as float16)")
args = p.parse_args()
G, ck = load_generator(args)

# fixed inputs: held-out OpenMoji outlines (one clean, one freehand-style) + random ink
manifest, concepts, split = S.load_manifest(), S.load_concepts(), S.load_split()
outline_rows, _, _ = S.pairs(manifest, concepts, split, "heldout_image")
X = S.load_images(128)
rgb, _ = S.to_rgb_white(torch.from_numpy(np.asarray(X[outline_rows[:2]])))
ink = S.outline_ink(rgb)
ink[1:] = S.freehand(ink[1:], torch.Generator().manual_seed(5))
sketch = S.ink_to_input(ink)
style = S.style_onehot([S.OPENMOJI, S.ANY])
with torch.no_grad():
    out = G(sketch, style)
    fp16_effect = 0.0
    if not args.fp32_weights:
        # round the weights the ONNX file will store as float16 here too, so torch's reference
        # outputs are those of the shipped weights; record what the rounding changes
        round_weights_to_fp16(G)
        out16 = G(sketch, style)
        fp16_effect = float((out16 - out).abs().max())
        out = out16

path = os.path.join(args.out, "model.onnx")
torch.onnx.export(G, (sketch, style), path, opset_version=17, input_names=["sketch", "style"], output_names=["image"],
                  dynamic_axes={"sketch": {0: "B"}, "style": {0: "B"}, "image": {0: "B"}}, do_constant_folding=True)
m = onnx.load(path)
if not args.fp32_weights:
    fp16_storage(m)
    onnx.save(m, path)
onnx.checker.check_model(m, full_check=True)

json.dump({"sketch": sketch.flatten().tolist(), "style": style.flatten().tolist(), "image": out.flatten().tolist(),
           "batch": 2}, open(os.path.join(args.check_dir, "check.json"), "w"))
# the reference pair as 8-bit PNGs: the ORT output must round to the same bytes (+-1)
sk_u8 = ((sketch[0, 0] + 1) * 127.5).round().byte().numpy()
Image.fromarray(sk_u8, "L").save(os.path.join(args.out, "reference-sketch.png"))
sk_back = torch.from_numpy(sk_u8.astype(np.float32) / 127.5 - 1)[None, None]
with torch.no_grad():
    ref_out = G(sk_back, style[:1])
Image.fromarray(S.to_uint8(ref_out)[0]).save(os.path.join(args.out, "reference-output.png"))
json.dump({"style": style[0].tolist(), "sketch": "reference-sketch.png (grey: value / 127.5 - 1)",
           "output": "reference-output.png (RGB: (x + 1) * 127.5 rounded)", "tolerance_u8": 2},
          open(os.path.join(args.out, "reference.json"), "w"), indent=1)
finish_export(args, ck, os.path.join(os.path.dirname(os.path.abspath(__file__)), "manifest.template.json"),
              {"onnx": path, "bytes": os.path.getsize(path), "params": S.count_params(G),
               "ops": sorted({n.op_type for n in m.graph.node}), "fp16_weights_max_abs_output_change": fp16_effect})
