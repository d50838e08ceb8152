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
--resume and no ckpt.pt there, G starts from the committed weights-only checkpoint (--init)
if one exists. Rows are drawn by family weight (a gender/hair family counts once).
"""
import argparse
import copy
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sketchlib as S  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--minutes", type=float, default=10)
p.add_argument("--until", default="", help="UTC HH:MM wall-clock deadline (whichever of --minutes/--until comes first)")
p.add_argument("--resume", action="store_true")
p.add_argument("--out", default=os.path.join(S.ROOT, ".cache/sketch-train"))
p.add_argument("--init", default=os.path.join(S.ROOT, "models/huabu-sketch/checkpoint/huabu-sketch.pt"),
               help="weights-only checkpoint to start G from when --out has no ckpt.pt (D starts fresh)")
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
p.add_argument("--save-minutes", type=float, default=5)
p.add_argument("--no-share-alike", action="store_true", help="drop OpenMoji (CC-BY-SA): weights then need no CC-BY-SA")
p.add_argument("--seed", type=int, default=1)
args = p.parse_args()

S.setup_torch(args.threads)
os.makedirs(args.out, exist_ok=True)
t_start = time.time()
deadline = S.deadline_from(args.minutes, args.until)
log = open(os.path.join(args.out, "train.log"), "a")


def say(*a):
    s = " ".join(str(x) for x in a)
    print(s, flush=True)
    log.write(s + "\n")
    log.flush()


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
    """-> sketch [n,1,128,128], target [n,3,128,128], style one-hot [n,7]."""
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
    return S.ink_to_input(ink), target, S.style_onehot(style_ids)


# ---------------------------------------------------------------- models
G, D = S.Generator(args.ngf, args.max_mult), S.PatchD(args.ndf)
G_ema = copy.deepcopy(G).eval()
for q in G_ema.parameters():
    q.requires_grad_(False)
opt_g = torch.optim.Adam(G.parameters(), args.lr, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), args.lr, betas=(0.5, 0.999))
state = {"step": 0, "images": 0, "train_seconds": 0.0}
g = torch.Generator().manual_seed(args.seed)
ckpt_path = os.path.join(args.out, "ckpt.pt")
if args.resume and os.path.exists(ckpt_path):
    ck = torch.load(ckpt_path)
    G.load_state_dict(ck["G"])
    D.load_state_dict(ck["D"])
    G_ema.load_state_dict(ck["G_ema"])
    opt_g.load_state_dict(ck["opt_g"])
    opt_d.load_state_dict(ck["opt_d"])
    state = ck["state"]
    g.set_state(ck["rng"])
    say(f"resumed step {state['step']} images {state['images']}")
elif args.resume and os.path.exists(args.init):
    ck = torch.load(args.init)
    G.load_state_dict(ck["G_ema"])
    G_ema.load_state_dict(ck["G_ema"])
    state = ck["state"]
    say(f"started from {args.init} (step {state['step']}, images {state['images']}); D and optimisers fresh")
else:
    say(f"fresh: G {S.count_params(G)/1e6:.2f} M params, D {S.count_params(D)/1e6:.2f} M")
G = G.to(memory_format=torch.channels_last)
D = D.to(memory_format=torch.channels_last)
say("args", vars(args))

fixed = batch(torch.Generator().manual_seed(1234), 8)


def save():
    torch.save({"G": G.state_dict(), "D": D.state_dict(), "G_ema": G_ema.state_dict(), "opt_g": opt_g.state_dict(),
                "opt_d": opt_d.state_dict(), "state": state, "rng": g.get_state(), "args": vars(args)}, ckpt_path + ".tmp")
    os.replace(ckpt_path + ".tmp", ckpt_path)
    with torch.no_grad():
        out = G_ema(fixed[0], fixed[2])
    S.save_grid(S.to_uint8(torch.cat([fixed[0].expand(-1, 3, -1, -1), out, fixed[1]])), 3,
                os.path.join(args.out, "last-samples.png"))


def resolution():
    return 64 if state["images"] < args.low_res_fraction * args.total_images else 128


last_save, t_log, seen_log = time.time(), time.time(), 0
losses, last_res = [], None
while time.time() < deadline:
    t0 = time.time()
    sk, tgt, sty = batch(g, args.batch)
    res = resolution()
    if res != last_res:
        say(f"resolution {res} px from image {state['images']}")
        last_res = res
    if res != 128:
        sk, tgt = F.avg_pool2d(sk, 128 // res), F.avg_pool2d(tgt, 128 // res)
    sk = sk.contiguous(memory_format=torch.channels_last)
    tgt = tgt.contiguous(memory_format=torch.channels_last)
    ld, lg, l1 = S.pix2pix_step(G, D, opt_g, opt_d, sk, tgt, sty, args.l1)
    S.ema_update(G_ema, G, args.ema)
    state["step"] += 1
    state["images"] += args.batch
    state["train_seconds"] += time.time() - t0
    seen_log += args.batch
    losses.append((ld, lg, l1))
    if time.time() - t_log > 60:
        m = np.mean(losses, 0)
        say(f"step {state['step']} images {state['images']} res {res} D {m[0]:.3f} G_gan {m[1]:.3f} L1 {m[2]:.4f} "
            f"{seen_log / (time.time() - t_log):.1f} img/s")
        t_log, seen_log, losses = time.time(), 0, []
    if time.time() - last_save > args.save_minutes * 60:
        save()
        last_save = time.time()
save()
say(f"chunk done: step {state['step']} images {state['images']} ({state['train_seconds']/60:.1f} train minutes in total)")
