#!/usr/bin/python3
"""Train huabu-style (picture + target style -> that picture in the target style) in resumable
chunks. pix2pix on pairs of one concept drawn by two emoji sets.

    nohup nice -n 5 /usr/bin/python3 models/style/train_style.py --resume --until 10:30 --threads 1 \
        > .cache/style-train/run.out 2>&1 &
    (--threads 2 only when nothing else runs: two OpenMP threads beside other work starve, see README)

Pairs (input image of style a -> the same concept's image of style b, asked for as b), per batch:
- aligned (--p-aligned): the two pixel-aligned pairings in the data, both directions:
  fluent-flat <-> fluent-3d (Microsoft draws both from one design) and openmoji <->
  openmoji-outline (OpenMoji's line art is its colour art's outline). These teach the
  transform itself: shading, flattening, outlining, colouring in.
- identity (--p-identity): a == b, so a picture asked for in its own style stays itself.
- cross (the rest): two different sets (noto -> twemoji ...). The drawings differ, so L1 can
  only ask for the average (blurry); these get a smaller L1 weight (--l1-cross) and the
  PatchGAN teaches the target set's look. The PatchGAN sees the requested style
  (--d-sees-style): without it, a picture returned unchanged in its own set looks real to it.
Rows are drawn by family weight; held-out concepts and images are never used (models/data/split.json).

Start: with --resume and no ckpt.pt in --out (a fresh machine), G starts from the committed
checkpoint --init, the optimisers fresh: by default huabu-style's (its step and image counters
carry on, and its PatchGAN when it holds one); given huabu-sketch's (how v0.1.0 began, D
fresh), the first conv's sketch filter is spread over R, G, B by luminance weights, so the
starting model is "huabu-sketch applied to the picture's luminance". Resolution: 64 px for
the first --low-res-fraction of --total-images, then 128 px.
Checkpoints, sample grid and train.log go to --out every --save-minutes.
"""
import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../sketch"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../tools"))
import sketchlib as S  # noqa: E402
from training_clock import deadline_from  # noqa: E402
from pix2pix_run import Pix2PixRun, open_log  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--minutes", type=float, default=10)
p.add_argument("--until", default="", help="UTC HH:MM wall-clock deadline (whichever of --minutes/--until comes first)")
p.add_argument("--resume", action="store_true")
p.add_argument("--out", default=os.path.join(S.ROOT, ".cache/style-train"))
p.add_argument("--init", default=os.path.join(S.ROOT, "models/huabu-style/checkpoint/huabu-style.pt"),
               help="committed checkpoint (huabu-style's, or huabu-sketch's) G starts from when --out has no ckpt.pt")
p.add_argument("--threads", type=int, default=2)
p.add_argument("--batch", type=int, default=16)
p.add_argument("--ndf", type=int, default=32)
p.add_argument("--lr", type=float, default=2e-4)
p.add_argument("--l1", type=float, default=100.0, help="L1 weight for aligned and identity pairs")
p.add_argument("--l1-cross", type=float, default=25.0, help="L1 weight for cross-set pairs (different drawings)")
p.add_argument("--ema", type=float, default=0.999)
p.add_argument("--p-aligned", type=float, default=0.5)
p.add_argument("--p-identity", type=float, default=0.1)
p.add_argument("--total-images", type=int, default=120_000, help="planned length of the run (sets the 64/128 schedule)")
p.add_argument("--low-res-fraction", type=float, default=0.5)
p.add_argument("--decay-minutes", type=float, default=0,
               help="lower the lr linearly to 10%% over the chunk's last minutes")
p.add_argument("--save-minutes", type=float, default=5)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--d-sees-style", action=argparse.BooleanOptionalAction, default=True,
               help="condition the PatchGAN on the requested style (v0.1.0 was trained without; resuming widens D)")
args = p.parse_args()

S.setup_torch(args.threads)
deadline = deadline_from(args.minutes, args.until)
say = open_log(args.out)

# ---------------------------------------------------------------- data
FLAT, THREE_D = S.STYLES.index("fluent-flat"), S.STYLES.index("fluent-3d")
ALIGNED = [(FLAT, THREE_D), (THREE_D, FLAT), (S.OPENMOJI, S.OUTLINE), (S.OUTLINE, S.OPENMOJI)]
manifest, concepts, split = S.load_manifest(), S.load_concepts(), S.load_split()
style_rows = S.style_rows(manifest, concepts, split, "train")  # concept id -> {style: row}
aligned, cross, identity = [], [], []  # (input row, target row, target style)
for st in style_rows.values():
    for a, ra in st.items():
        identity.append((ra, ra, a))
        for b, rb in st.items():
            if a != b:
                (aligned if (a, b) in ALIGNED else cross).append((ra, rb, b))
aligned, cross, identity = (np.array(x, np.int64) for x in (aligned, cross, identity))
labels = np.load(os.path.join(S.DATA, "labels.npy"))
needed = np.unique(np.concatenate([aligned[:, :2].ravel(), cross[:, :2].ravel(), identity[:, 0]]))
row_pos = {int(r): i for i, r in enumerate(needed)}
RGBA = torch.from_numpy(np.ascontiguousarray(S.load_images(128)[needed]))


def family_weights(pairs):
    """A concept counts by its family weight, spread over its pairs in this list."""
    c = labels[pairs[:, 0], 0]
    per_concept = np.bincount(c, minlength=len(concepts)).astype(np.float64)
    w = np.array([concepts[k]["weight"] for k in c]) / per_concept[c]
    return torch.from_numpy(w / w.sum())


W = [family_weights(x) for x in (aligned, identity, cross)]
say(f"data: {len(aligned)} aligned, {len(identity)} identity, {len(cross)} cross pairs, {len(needed)} rows in memory")


def batch(g, n):
    """-> input [n,3,128,128], target [n,3,128,128], style one-hot [n,7], L1 weight [n]."""
    n_al = int(round(n * args.p_aligned))
    n_id = int(round(n * args.p_identity))
    counts = [n_al, n_id, n - n_al - n_id]
    chosen = torch.cat([torch.from_numpy(pairs[torch.multinomial(w, k, True, generator=g).numpy()])
                        for pairs, w, k in zip((aligned, identity, cross), W, counts) if k])
    inp, _ = S.to_rgb_white(RGBA[[row_pos[int(r)] for r in chosen[:, 0]]])
    tgt, _ = S.to_rgb_white(RGBA[[row_pos[int(r)] for r in chosen[:, 1]]])
    l1 = torch.tensor([args.l1] * (n_al + n_id) + [args.l1_cross] * counts[2])
    return inp, tgt, S.style_onehot(chosen[:, 2]), l1


# ---------------------------------------------------------------- models
run = Pix2PixRun(S.Generator(32, 4, in_ch=3), S.PatchD(args.ndf, in_ch=3, style_ch=S.N_STYLES if args.d_sees_style else 0), args.out, args.lr, args.seed, say)
if not (args.resume and run.resume()):
    if args.resume:
        ck = torch.load(args.init)
        sd = dict(ck["G_ema"])
        if sd["inc.weight"].shape[1] == 1:  # a sketch model: [C,1,3,3] -> [C,3,3,3], the sketch filter on luminance
            sd["inc.weight"] = sd["inc.weight"] * torch.tensor([0.299, 0.587, 0.114])[None, :, None, None]
            run.start_from(f"{args.init} (huabu-sketch on luminance)", sd)
        else:
            run.start_from(args.init, sd, ck["state"], ck.get("D"))
    else:
        say(f"fresh: G {S.count_params(run.G)/1e6:.2f} M params, D {S.count_params(run.D)/1e6:.2f} M")
say("args", vars(args))
run.train(batch, deadline, total_images=args.total_images, low_res_fraction=args.low_res_fraction, ema=args.ema,
          save_minutes=args.save_minutes, run_args={**vars(args), "ngf": 32, "max_mult": 4, "in_ch": 3},
          decay_minutes=args.decay_minutes)
