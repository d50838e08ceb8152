#!/usr/bin/python3
"""Export huabu-style's generator (EMA weights) to ONNX opset 17, with the files the checks need.

    nice -n 19 /usr/bin/python3 models/style/export_style.py --ckpt .cache/style-train/ckpt.pt \
        --out models/huabu-style [--checkpoint-out models/huabu-style/checkpoint/huabu-style.pt]

Writes <out>/model.onnx (inputs `picture` float32 [B,3,128,128] RGB on white in [-1,1] and
`style` float32 [B,7] target-style weights; output `image` float32 [B,3,128,128] in [-1,1]),
<out>/reference-input.png + reference-output.png + reference.json (a held-out picture and
torch's output, for ./huabu eval and the CI test), a manifest.json from manifest.template.json
when there is none yet, and .cache/style-export/check.json (float inputs/outputs for
models/sketch/check_onnx.mjs --dir models/huabu-style --ref .cache/style-export/check.json).
"""
import json
import os
import sys

import numpy as np
import onnx
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "../sketch"))
sys.path.insert(0, os.path.join(HERE, "../tools"))
import sketchlib as S  # noqa: E402
from pix2pix_export import export_arguments, finish_export, load_generator  # noqa: E402
from onnx_fp16 import fp16_storage, round_weights_to_fp16  # noqa: E402

args = export_arguments("huabu-style", "style").parse_args()
G, ck = load_generator(args, in_ch=3)

# fixed inputs: two held-out-concept pictures (fluent-flat and openmoji) asked for as fluent-3d / outline
manifest, concepts, split = S.load_manifest(), S.load_concepts(), S.load_split()
held = S.style_rows(manifest, concepts, split, "heldout_concept")
FLAT, THREE_D = S.STYLES.index("fluent-flat"), S.STYLES.index("fluent-3d")
first = lambda s: next(st[s] for _, st in sorted(held.items()) if s in st)  # noqa: E731
rows = [first(FLAT), first(S.OPENMOJI)]
picture, _ = S.to_rgb_white(torch.from_numpy(np.asarray(S.load_images(128)[rows])))
# the 8-bit picture the PNG holds, so torch, ORT and the app all start from the same values
picture = torch.from_numpy(((picture + 1) * 127.5).round().numpy() / 127.5 - 1).float()
style = S.style_onehot([THREE_D, S.OUTLINE])
with torch.no_grad():
    out32 = G(picture, style)
    round_weights_to_fp16(G)  # torch's references are those of the float16-stored weights
    out = G(picture, style)
fp16_effect = float((out - out32).abs().max())

path = os.path.join(args.out, "model.onnx")
torch.onnx.export(G, (picture, style), path, opset_version=17, input_names=["picture", "style"], output_names=["image"],
                  dynamic_axes={"picture": {0: "B"}, "style": {0: "B"}, "image": {0: "B"}}, do_constant_folding=True)
m = onnx.load(path)
fp16_storage(m)
onnx.save(m, path)
onnx.checker.check_model(m, full_check=True)

json.dump({"picture": picture.flatten().tolist(), "style": style.flatten().tolist(), "image": out.flatten().tolist(),
           "batch": 2}, open(os.path.join(args.check_dir, "check.json"), "w"))
Image.fromarray(S.to_uint8(picture)[0]).save(os.path.join(args.out, "reference-input.png"))
Image.fromarray(S.to_uint8(out)[0]).save(os.path.join(args.out, "reference-output.png"))
json.dump({"style": style[0].tolist(), "input": "reference-input.png (RGB: value / 127.5 - 1)",
           "output": "reference-output.png (RGB: (x + 1) * 127.5 rounded)", "tolerance_u8": 2},
          open(os.path.join(args.out, "reference.json"), "w"), indent=1)
finish_export(args, ck, os.path.join(HERE, "manifest.template.json"),
              {"onnx": path, "bytes": os.path.getsize(path), "params": S.count_params(G),
               "ops": sorted({n.op_type for n in m.graph.node}), "fp16_weights_max_abs_output_change": fp16_effect})
