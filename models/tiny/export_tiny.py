#!/usr/bin/python3
"""Export huabu-tiny to two ONNX graphs (opset 17) in a diffusers-like layout and check them
against torch with onnxruntime (run in Node by check_onnx.mjs; Python here has no ORT).

    nice -n 19 /usr/bin/python3 models/tiny/export_tiny.py [--ckpt models/huabu-tiny/checkpoint/huabu-tiny.pt]
        [--out models/huabu-tiny] [--checkpoint-out models/huabu-tiny/checkpoint/huabu-tiny.pt]

Both graphs are traced from opencv_compat.py's rewrites (the same function from the same
weights in operators OpenCV dnn 4.6 imports), so the browser (onnxruntime-web) and the native
engine (huabu_engine, docs/native-engine.md) load the same files; torch's reference outputs
below come from the original modules, so check_onnx.mjs checks the rewrite too.

Writes <out>/text_encoder/model.onnx   input_ids int64 [B,16], style_id int64 [B] -> cond float32 [B,D]
       <out>/unet/model.onnx           sample float32 [B,3,32,32], timestep float32 [B], cond [B,D]
                                       -> velocity float32 [B,3,32,32]
       <out>/tokenizer/ (vocab.json + zh.json: the app tokenises with models/data/vocab/tokenizer.mjs)
       .cache/tiny-export/check.json   torch reference in/outputs for check_onnx.mjs
--ckpt defaults to the committed weights; after training give .cache/tiny-train/ckpt.pt,
and optionally write a weights-only resumable checkpoint (EMA fp32, no optimiser state, <= 15 MB).
D = 256 (pooled vector; cfg tokens = 0) or 256 + 17 * tokens (pooled + token features for the
UNet's cross-attention): the manifest's text.cond_dim must say the same.
"""
import argparse
import json
import os
import shutil
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../tools"))
import opencv_compat  # noqa: E402
import tinylib as T  # noqa: E402
from onnx_fp16 import fp16_storage, round_weights_to_fp16  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--ckpt", default=os.path.join(T.ROOT, "models/huabu-tiny/checkpoint/huabu-tiny.pt"))
p.add_argument("--out", default=os.path.join(T.ROOT, "models/huabu-tiny"))
p.add_argument("--checkpoint-out", default="")
p.add_argument("--check", default=os.path.join(T.ROOT, ".cache/tiny-export/check.json"))
p.add_argument("--fp32-weights", action="store_true", help="keep float32 weights (default: stored as float16)")
args = p.parse_args()
T.setup_torch()

tok = T.load_tokenizer()
model, ck = T.load_model(args.ckpt, tok)
model = model.float().eval()
if not args.fp32_weights:
    # the graphs store weights as float16 (half the download); torch's references below are
    # then those of the rounded weights, as the shipped files compute them
    round_weights_to_fp16(model)


os.makedirs(os.path.join(args.out, "text_encoder"), exist_ok=True)
os.makedirs(os.path.join(args.out, "unet"), exist_ok=True)
ids = torch.tensor([tok.encode("draw a red fox"), tok.encode("画一只猫"), tok.encode(""), tok.encode("a rocket in space")])
style = torch.tensor([0, 3, 6, 4])
te_path = os.path.join(args.out, "text_encoder/model.onnx")
torch.onnx.export(opencv_compat.text_encoder_for_export(model.text), (ids, style), te_path, opset_version=17,
                  input_names=["input_ids", "style_id"], output_names=["cond"],
                  dynamic_axes={"input_ids": {0: "B"}, "style_id": {0: "B"}, "cond": {0: "B"}}, do_constant_folding=True)
b = 8
x = T.seed_noise(1234, b)
t = torch.linspace(1.0, 0.05, b)
cond = model.text(ids.repeat(2, 1), style.repeat(2))
un_path = os.path.join(args.out, "unet/model.onnx")
torch.onnx.export(opencv_compat.unet_for_export(model.unet), (x, t, cond), un_path, opset_version=17,
                  input_names=["sample", "timestep", "cond"], output_names=["velocity"],
                  dynamic_axes={"sample": {0: "B"}, "timestep": {0: "B"}, "cond": {0: "B"}, "velocity": {0: "B"}},
                  do_constant_folding=True)

import onnx  # noqa: E402
for path in (te_path, un_path):
    m = opencv_compat.inline_constant_identities(onnx.load(path))
    if not args.fp32_weights:
        fp16_storage(m)
    onnx.save(m, path)
    onnx.checker.check_model(onnx.load(path))
    print(path, os.path.getsize(path), "bytes")

os.makedirs(os.path.join(args.out, "tokenizer"), exist_ok=True)
for f in ("vocab.json", "zh.json"):
    shutil.copyfile(os.path.join(T.ROOT, "models/data/vocab", f), os.path.join(args.out, "tokenizer", f))

with torch.no_grad():
    c_ref = model.text(ids, style)
    v_ref = model.unet(x, t, cond)
    # one full fixed-seed sample (Euler 12 steps, CFG 4) for the JS determinism test
    sids = torch.tensor([tok.encode("a red apple")])
    img = T.sample(model, sids, torch.tensor([1]), T.seed_noise(42, 1), steps=12, guidance=4.0)
os.makedirs(os.path.dirname(args.check), exist_ok=True)
json.dump({"ids": ids.tolist(), "style": style.tolist(), "cond": c_ref.flatten().tolist(),
           "x": x.flatten().tolist(), "t": t.tolist(), "cond_in": cond.flatten().tolist(),
           "v": v_ref.flatten().tolist(), "sample_prompt": "a red apple", "sample_ids": sids.tolist(),
           "sample_style": 1, "sample_seed": 42, "sample_noise": T.seed_noise(42, 1).flatten().tolist(),
           "sample_out": img.flatten().tolist()}, open(args.check, "w"))
print("reference written to", args.check)
# the CI determinism reference: one fixed-seed sample (8 steps, CFG 4, the manifest's guidance
# interval) from torch
ref_prompt, ref_style, ref_seed, ref_steps, ref_g = "a red apple", 1, 42, 8, 4.0
manifest_path = os.path.join(args.out, "manifest.json")
ref_above = json.load(open(manifest_path))["sampler"].get("guidance_above", 0.0) if os.path.exists(manifest_path) else 0.0
with torch.no_grad():
    rids = tok.encode(ref_prompt)
    rnoise = T.seed_noise(ref_seed, 1)
    rimg = T.sample(model, torch.tensor([rids]), torch.tensor([ref_style]), rnoise, steps=ref_steps, guidance=ref_g,
                    guidance_above=ref_above)
json.dump({"prompt": ref_prompt, "ids": rids, "style": ref_style, "seed": ref_seed, "steps": ref_steps, "guidance": ref_g,
           "guidance_above": ref_above,
           "noise_head": [round(float(v), 7) for v in rnoise.flatten()[:16]],
           "image": [round(float(v), 6) for v in rimg.flatten()]},
          open(os.path.join(args.out, "reference-sample.json"), "w"), separators=(",", ":"))

if args.checkpoint_out:
    os.makedirs(os.path.dirname(args.checkpoint_out), exist_ok=True)
    raw = torch.load(args.ckpt, map_location="cpu")
    lite = {"ema": raw["ema"], "state": raw["state"], "cfg": raw["cfg"],
            "note": "weights-only: EMA fp32 (13 MB); train_tiny.py --resume starts model = EMA with a fresh optimiser"}
    torch.save(lite, args.checkpoint_out)
    print(args.checkpoint_out, os.path.getsize(args.checkpoint_out), "bytes")
