#!/usr/bin/python3
"""Seeded sample grid from a huabu-tiny checkpoint: one row per prompt, one column per seed
stream (noise = Philox4x32-10(seed, stream = column), as the core would draw it).

    nice -n 19 /usr/bin/python3 models/tiny/sample_tiny.py --ckpt .cache/tiny-train/ckpt.pt \
        --prompt "a red apple" --prompt "画一只狐狸" --style twemoji --seeds 6 --out /tmp/grid.png
    # --style: noto | twemoji | openmoji | fluent-flat | fluent-3d | openmoji-outline | any
    # --style-sweep: columns = the 6 styles (+ any) for one seed instead of seeds
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tinylib as T  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--ckpt", default=os.path.join(T.ROOT, ".cache/tiny-train/ckpt.pt"))
p.add_argument("--prompt", action="append", default=[])
p.add_argument("--style", default="twemoji")
p.add_argument("--style-sweep", action="store_true")
p.add_argument("--seed", type=int, default=42)
p.add_argument("--seeds", type=int, default=6)
p.add_argument("--steps", type=int, default=12)
p.add_argument("--guidance", type=float, default=4.0)
p.add_argument("--shift", type=float, default=1.0)
p.add_argument("--scale", type=int, default=3, help="nearest-neighbour zoom of the PNG")
p.add_argument("--out", default="/tmp/huabu-tiny-grid.png")
args = p.parse_args()
T.setup_torch()
prompts = args.prompt or ["a red apple", "画一只狐狸", "a smiling face with sunglasses", "a rocket", "a slice of pizza", "a blue whale"]
names = T.STYLES + ["any"]
tok = T.load_tokenizer()
model, ck = T.load_model(args.ckpt, tok)
cols = len(names) if args.style_sweep else args.seeds
ids, st, noise = [], [], []
for q in prompts:
    for j in range(cols):
        ids.append(tok.encode(q))
        st.append(j if args.style_sweep else names.index(args.style))
        noise.append(T.seed_noise(args.seed, 1, 0 if args.style_sweep else j))
img = T.sample(model, torch.tensor(ids), torch.tensor(st), torch.cat(noise), steps=args.steps, guidance=args.guidance, shift=args.shift)
T.save_grid(T.to_uint8(img), len(prompts), args.out, scale=args.scale)
print(f"{args.out}: {len(prompts)} prompts x {cols} ({'styles ' + ','.join(names) if args.style_sweep else 'seeds'}), "
      f"step {ck.get('state', {}).get('step')}")
