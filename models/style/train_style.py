#!/usr/bin/python3
"""Train huabu-style (picture + target style -> that picture in the target style) in resumable
chunks. pix2pix on pairs of one concept drawn by two emoji sets.

    nohup nice -n 19 /usr/bin/python3 models/style/train_style.py --resume --until 10:30 --threads 2 \
        > .cache/style-train/run.out 2>&1 &

Pairs (input image of style a -> the same concept's image of style b, asked for as b), per batch:
- aligned (--p-aligned): the two pixel-aligned pairings in the data, both directions:
  fluent-flat <-> fluent-3d (Microsoft draws both from one design) and openmoji <->
  openmoji-outline (OpenMoji's line art is its colour art's outline). These teach the
  transform itself: shading, flattening, outlining, colouring in.
- identity (--p-identity): a == b, so a picture asked for in its own style stays itself.
- cross (the rest): two different sets (noto -> twemoji ...). The drawings differ, so L1 can
  only ask for the average (blurry); these get a smaller L1 weight (--l1-cross) and the
  PatchGAN teaches the target set's look.
Rows are drawn by family weight; held-out concepts and images are never used (models/data/split.json).

Start: with --resume and no ckpt.pt in --out, G starts from huabu-sketch's committed weights
(the first conv's sketch filter spread over R, G, B by luminance weights, so the starting
model is "huabu-sketch applied to the picture's luminance"); D starts fresh. Resolution: 64 px
for the first --low-res-fraction of --total-images, then 128 px.
Checkpoints, sample grid and train.log go to --out every --save-minutes.
"""
import argparse
import copy
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../sketch"))
import sketchlib as S  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--minutes", type=float, default=10)
p.add_argument("--until", default="", help="UTC HH:MM wall-clock deadline (whichever of --minutes/--until comes first)")
p.add_argument("--resume", action="store_true")
p.add_argument("--out", default=os.path.join(S.ROOT, ".cache/style-train"))
p.add_argument("--init", default=os.path.join(S.ROOT, "models/huabu-sketch/checkpoint/huabu-sketch.pt"),
               help="huabu-sketch weights-only checkpoint G starts from when --out has no ckpt.pt")
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
p.add_argument("--save-minutes", type=float, default=5)
p.add_argument("--seed", type=int, default=1)
args = p.parse_args()

S.setup_torch(args.threads)
os.makedirs(args.out, exist_ok=True)
deadline = S.deadline_from(args.minutes, args.until)
log = open(os.path.join(args.out, "train.log"), "a")


def say(*a):
    s = " ".join(str(x) for x in a)
    print(s, flush=True)
    log.write(s + "\n")
    log.flush()


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
G, D = S.Generator(32, 4, in_ch=3), S.PatchD(args.ndf, in_ch=3)
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
    for m, k in ((G, "G"), (D, "D"), (G_ema, "G_ema"), (opt_g, "opt_g"), (opt_d, "opt_d")):
        m.load_state_dict(ck[k])
    state = ck["state"]
    g.set_state(ck["rng"])
    say(f"resumed step {state['step']} images {state['images']}")
elif args.resume:
    sd = dict(torch.load(args.init)["G_ema"])
    lum = torch.tensor([0.299, 0.587, 0.114])[None, :, None, None]
    sd["inc.weight"] = sd["inc.weight"] * lum  # [C,1,3,3] -> [C,3,3,3]: the sketch filter on luminance
    G.load_state_dict(sd)
    G_ema.load_state_dict(sd)
    say(f"started from {args.init} (huabu-sketch on luminance); D and optimisers fresh")
else:
    say(f"fresh: G {S.count_params(G)/1e6:.2f} M params, D {S.count_params(D)/1e6:.2f} M")
G = G.to(memory_format=torch.channels_last)
D = D.to(memory_format=torch.channels_last)
say("args", vars(args))

fixed = batch(torch.Generator().manual_seed(1234), 8)


def save():
    torch.save({"G": G.state_dict(), "D": D.state_dict(), "G_ema": G_ema.state_dict(), "opt_g": opt_g.state_dict(),
                "opt_d": opt_d.state_dict(), "state": state, "rng": g.get_state(),
                "args": {**vars(args), "ngf": 32, "max_mult": 4, "in_ch": 3}}, ckpt_path + ".tmp")
    os.replace(ckpt_path + ".tmp", ckpt_path)
    with torch.no_grad():
        out = G_ema(fixed[0], fixed[2])
    S.save_grid(S.to_uint8(torch.cat([fixed[0], out, fixed[1]])), 3, os.path.join(args.out, "last-samples.png"))


last_save, t_log, seen_log = time.time(), time.time(), 0
losses, last_res = [], None
while time.time() < deadline:
    t0 = time.time()
    inp, tgt, sty, l1w = batch(g, args.batch)
    res = 64 if state["images"] < args.low_res_fraction * args.total_images else 128
    if res != last_res:
        say(f"resolution {res} px from image {state['images']}")
        last_res = res
    if res != 128:
        inp, tgt = F.avg_pool2d(inp, 128 // res), F.avg_pool2d(tgt, 128 // res)
    inp = inp.contiguous(memory_format=torch.channels_last)
    tgt = tgt.contiguous(memory_format=torch.channels_last)
    losses.append(S.pix2pix_step(G, D, opt_g, opt_d, inp, tgt, sty, l1w))
    S.ema_update(G_ema, G, args.ema)
    state["step"] += 1
    state["images"] += args.batch
    state["train_seconds"] += time.time() - t0
    seen_log += args.batch
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
