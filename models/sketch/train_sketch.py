#!/usr/bin/python3
"""Train huabu-sketch (sketch -> 128 px colour emoji, pix2pix) in resumable chunks.

    nice -n 19 /usr/bin/python3 models/sketch/train_sketch.py --resume --minutes 60 --threads 2

Each batch mixes (a) OpenMoji outline -> OpenMoji colour pairs and (b) synthetic line
drawings of every colour style's images (XDoG + colour edges + silhouette) -> that image;
both kinds pass through `freehand()` (wobble, width, gaps) with probability --p-freehand.
The target style is given as a one-hot (replaced by "any" with probability --p-any).

Resolution schedule: the first --low-res-fraction of --total-images run at 64 px (pairs
area-downsampled), the rest at 128 px. The U-Net is fully convolutional, so the 64-px
phase learns colours and region filling ~2.7x faster per image (pix2pix ngf 32 measured
~59 img/s at 64 vs ~22 at 128 with 2 threads) and the 128-px phase adds detail.

Checkpoints (G, D, EMA of G, optimisers, counters, RNG) go to .cache/sketch-train/ckpt.pt
every --save-minutes, with a sample grid (last-samples.png) and a line in train.log. With
--resume and no ckpt.pt there, G (and D, when it holds one) starts from the committed
checkpoint (--init) if one exists. Rows are drawn by family weight (a gender/hair family
counts once).
"""
import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../tools"))
import sketchlib as S  # noqa: E402
from training_clock import deadline_from  # noqa: E402
from pix2pix_run import Pix2PixRun, open_log  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--minutes", type=float, default=10)
p.add_argument("--until", default="", help="UTC HH:MM wall-clock deadline (whichever of --minutes/--until comes first)")
p.add_argument("--resume", action="store_true")
p.add_argument("--out", default=os.path.join(S.ROOT, ".cache/sketch-train"))
p.add_argument("--init", default=os.path.join(S.ROOT, "models/huabu-sketch/checkpoint/huabu-sketch.pt"),
               help="committed checkpoint to start G (and D, when it holds one) from when --out has no ckpt.pt")
p.add_argument("--threads", type=int, default=2)
p.add_argument("--batch", type=int, default=16)
p.add_argument("--ngf", type=int, default=32)
p.add_argument("--max-mult", type=int, default=4, help="generator channels capped at max_mult * ngf")
p.add_argument("--ndf", type=int, default=32)
p.add_argument("--lr", type=float, default=2e-4)
p.add_argument("--l1", type=float, default=100.0, help="weight of the L1 loss (pix2pix: 100)")
p.add_argument("--ema", type=float, default=0.999)
p.add_argument("--p-outline", type=float, default=0.35, help="share of OpenMoji outline pairs per batch")
p.add_argument("--p-freehand", type=float, default=0.6)
p.add_argument("--p-any", type=float, default=0.15)
p.add_argument("--total-images", type=int, default=240_000, help="planned length of the whole run (sets the 64/128 schedule)")
p.add_argument("--low-res-fraction", type=float, default=0.4)
p.add_argument("--decay-minutes", type=float, default=0,
               help="lower the lr linearly to 10%% over the chunk's last minutes")
p.add_argument("--save-minutes", type=float, default=5)
p.add_argument("--no-share-alike", action="store_true", help="drop OpenMoji (CC-BY-SA): weights then need no CC-BY-SA")
p.add_argument("--seed", type=int, default=1)
args = p.parse_args()

S.setup_torch(args.threads)
deadline = deadline_from(args.minutes, args.until)
say = open_log(args.out)


# ---------------------------------------------------------------- data
manifest, concepts, split = S.load_manifest(), S.load_concepts(), S.load_split()
outline_rows, outline_targets, colour_rows = S.pairs(manifest, concepts, split, "train")
labels = np.load(os.path.join(S.DATA, "labels.npy"))
if args.no_share_alike:
    outline_rows, outline_targets = outline_rows[:0], outline_targets[:0]
    colour_rows = colour_rows[labels[colour_rows, 1] != S.OPENMOJI]
    args.p_outline = 0.0
X = S.load_images(128)
needed = np.unique(np.concatenate([outline_rows, outline_targets, colour_rows]))
# only the rows used here, in memory (~5 k x 64 KB = 0.4 GB as uint8)
row_pos = {int(r): i for i, r in enumerate(needed)}
RGBA = torch.from_numpy(np.ascontiguousarray(X[needed]))


def family_weights(rows):
    """Sampling weights: a concept counts by its family weight (gender/hair variants of one
    concept share one unit), spread over that concept's rows in this list."""
    c = labels[rows, 0]
    per_concept = np.bincount(c, minlength=len(concepts)).astype(np.float64)
    w = np.array([concepts[k]["weight"] for k in c]) / per_concept[c]
    return torch.from_numpy(w / w.sum()) if len(w) else torch.ones(0)


W_outline, W_colour = family_weights(outline_rows), family_weights(colour_rows)
say(f"data: {len(outline_rows)} outline pairs, {len(colour_rows)} colour images, {len(needed)} rows in memory")


def batch(g, n):
    """-> sketch [n,1,128,128], target [n,3,128,128], style one-hot [n,7], L1 weight."""
    n_out = int(round(n * args.p_outline)) if len(outline_rows) else 0
    i = torch.multinomial(W_outline, n_out, True, generator=g) if n_out else torch.zeros(0, dtype=torch.long)
    j = torch.multinomial(W_colour, n - n_out, True, generator=g)
    pos_o = [row_pos[int(outline_rows[k])] for k in i]
    pos_t = [row_pos[int(outline_targets[k])] for k in i] + [row_pos[int(colour_rows[k])] for k in j]
    target, alpha = S.to_rgb_white(RGBA[pos_t])
    ink_parts = []
    if n_out:
        ink_parts.append(S.outline_ink(S.to_rgb_white(RGBA[pos_o])[0]))
    if n - n_out:
        ink_parts.append(S.sketch_from_colour(target[n_out:], alpha[n_out:], g))
    ink = torch.cat(ink_parts)
    hand = torch.rand(n, generator=g) < args.p_freehand
    if hand.any():
        ink[hand] = S.freehand(ink[hand], g)
    style_ids = torch.tensor([int(labels[needed[k], 1]) for k in pos_t])
    style_ids[torch.rand(n, generator=g) < args.p_any] = S.ANY
    return S.ink_to_input(ink), target, S.style_onehot(style_ids), args.l1


# ---------------------------------------------------------------- models
run = Pix2PixRun(S.Generator(args.ngf, args.max_mult), S.PatchD(args.ndf), args.out, args.lr, args.seed, say)
if not (args.resume and run.resume()):
    if args.resume and os.path.exists(args.init):
        ck = torch.load(args.init)
        run.start_from(args.init, ck["G_ema"], ck["state"], ck.get("D"))
    else:
        say(f"fresh: G {S.count_params(run.G)/1e6:.2f} M params, D {S.count_params(run.D)/1e6:.2f} M")
say("args", vars(args))
run.train(batch, deadline, total_images=args.total_images, low_res_fraction=args.low_res_fraction, ema=args.ema,
          save_minutes=args.save_minutes, run_args=vars(args), decay_minutes=args.decay_minutes)
