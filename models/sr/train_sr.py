#!/usr/bin/python3
"""Train a Huabu super-resolution model in resumable, time-boxed chunks (CPU, 2 threads).

  nice -n 19 /usr/bin/python3 models/sr/train_sr.py --run x2-res --scale 2 --arch res \
      --minutes 10 --total-minutes 40            # first chunk
  nice -n 19 /usr/bin/python3 models/sr/train_sr.py --run x2-res --resume --minutes 10   # next chunks

State lives in .cache/sr-train/<run>/ (ckpt.pt = last, best.pt = best held-out-crop gain,
log.jsonl = one line per chunk and per eval). The learning rate follows a cosine over
--total-minutes of *training* time, so chunks can be any length. Data: built by
build_sr_data.py; LR made on the fly from random HR crops:
  box (area) downscale 70 %, antialiased bicubic 15 %, Gaussian blur (sigma 0.3-0.9) + box 15 %,
  always rounded to 8 bits; flips / 90-degree turns; a fraction of emoji crops (composited on
  white, a random flat colour, or a random photo crop).
Eval every --eval-minutes: centre crops (240 px) of the six held-out skimage photos + 48
held-out emoji, box protocol (monitoring only; the shipped numbers come from sr-eval.mjs).
"""
import argparse
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import srlib  # noqa: E402


class Sampler:
    def __init__(self, s, patch, emoji_frac, seed):
        d = os.path.join(srlib.CACHE, "data")
        z = np.load(os.path.join(d, "photos.npz"))
        self.photos = [z[k] for k in sorted(z.files)]
        area = np.array([p.shape[0] * p.shape[1] for p in self.photos], np.float64)
        self.p_w = area / area.sum()
        self.emoji = np.load(os.path.join(d, "emoji_train.npy"))
        self.s, self.patch, self.emoji_frac = s, patch, emoji_frac
        self.rng = np.random.default_rng(seed)
        self.hr = patch * s

    def photo_crop(self, size):
        p = self.photos[self.rng.choice(len(self.photos), p=self.p_w)]
        y = self.rng.integers(0, p.shape[0] - size + 1)
        x = self.rng.integers(0, p.shape[1] - size + 1)
        return p[y:y + size, x:x + size].astype(np.float32)

    def emoji_crop(self):
        e = self.emoji[self.rng.integers(len(self.emoji))].astype(np.float32)
        u = self.rng.random()
        if u < 0.7:
            bg = np.full((128, 128, 3), 255.0, np.float32)
        elif u < 0.9:
            bg = np.broadcast_to(self.rng.integers(0, 256, 3).astype(np.float32), (128, 128, 3))
        else:
            bg = self.photo_crop(128)
        a = e[..., 3:4] / 255.0
        img = np.rint(e[..., :3] * a + bg * (1 - a))
        size = min(self.hr, 128)
        y, x = self.rng.integers(0, 129 - size, 2)
        img = img[y:y + size, x:x + size]
        if size < self.hr:  # pad with the background colour at the edge (rare: only if hr > 128)
            img = np.pad(img, ((0, self.hr - size), (0, self.hr - size), (0, 0)), mode="edge")
        return img

    def batch(self, n):
        hr = []
        for _ in range(n):
            img = self.emoji_crop() if self.rng.random() < self.emoji_frac else self.photo_crop(self.hr)
            k = self.rng.integers(4)
            img = np.rot90(img, k)
            if self.rng.random() < 0.5:
                img = img[:, ::-1]
            hr.append(np.ascontiguousarray(img))
        hr = torch.from_numpy(np.stack(hr)).permute(0, 3, 1, 2).contiguous()
        return self.degrade(hr), hr

    def degrade(self, hr):
        """Per sample: box 70 %, antialiased bicubic 15 %, Gaussian blur + box 15 %; 8-bit."""
        s, n = self.s, hr.shape[0]
        kind = self.rng.choice(3, size=n, p=[0.70, 0.15, 0.15])
        lr = torch.empty(n, 3, hr.shape[2] // s, hr.shape[3] // s)
        i0 = np.flatnonzero(kind == 0)
        if len(i0):
            lr[i0] = F.avg_pool2d(hr[i0], s)
        i1 = np.flatnonzero(kind == 1)
        if len(i1):
            lr[i1] = F.interpolate(hr[i1], scale_factor=1 / s, mode="bicubic", align_corners=False, antialias=True)
        i2 = np.flatnonzero(kind == 2)
        if len(i2):
            sigma, r = self.rng.uniform(0.3, 0.9), 3
            g = torch.exp(-torch.arange(-r, r + 1, dtype=torch.float32) ** 2 / (2 * sigma ** 2))
            g = g / g.sum()
            k = (g[:, None] * g[None, :])[None, None].repeat(3, 1, 1, 1)
            lr[i2] = F.avg_pool2d(F.conv2d(F.pad(hr[i2], (r, r, r, r), mode="replicate"), k, groups=3), s)
        return srlib.to8(lr)


@torch.no_grad()
def fit_skip_ls(model, sampler, batches, batch):
    """Least-squares fit of the 5x5 linear skip conv (3 -> 3 s^2, with bias) on training crops."""
    s = model.s
    xtx, xty = torch.zeros(76, 76, dtype=torch.float64), torch.zeros(76, 3 * s * s, dtype=torch.float64)
    for _ in range(batches):
        lr, hr = sampler.batch(batch)
        p = F.unfold(F.pad(lr, (2, 2, 2, 2), mode="replicate"), 5).permute(0, 2, 1).reshape(-1, 75).double()
        x = torch.cat([p, torch.ones(len(p), 1, dtype=torch.float64)], 1)
        y = F.pixel_unshuffle(hr, s).flatten(2).permute(0, 2, 1).reshape(-1, 3 * s * s).double()
        xtx += x.T @ x
        xty += x.T @ y
    w = torch.linalg.solve(xtx + 1e-3 * torch.eye(76, dtype=torch.float64), xty)  # [76, 3 s^2]
    model.skip.weight.copy_(w[:75].T.reshape(3 * s * s, 3, 5, 5).float())
    model.skip.bias.copy_(w[75].float())


def eval_sets(s):
    photos = srlib.heldout_photos(s, crop=240)
    d = os.path.join(srlib.CACHE, "data")
    em = torch.from_numpy(np.load(os.path.join(d, "emoji_heldout.npy"))).permute(0, 3, 1, 2).float()
    return photos, [(f"emoji{i}", em[i]) for i in range(em.shape[0])]


def evaluate(model, sets, s):
    model.eval()
    with torch.no_grad():
        ph = srlib.eval_set(model, sets[0], s)["mean"]
        em = srlib.eval_set(model, sets[1], s)["mean"]
    model.train()
    return {"photo_gain_rgb": round(ph["gain_db_rgb"], 4), "photo_gain_y": round(ph["gain_db_y"], 4),
            "photo_psnr_rgb": round(ph["sr"]["psnr_rgb"], 4), "emoji_gain_rgb": round(em["gain_db_rgb"], 4),
            "emoji_psnr_rgb": round(em["sr"]["psnr_rgb"], 4)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", required=True)
    ap.add_argument("--scale", type=int, default=2)
    ap.add_argument("--arch", default="res", choices=["res", "rdn", "rdnres"])
    ap.add_argument("--channels", type=int, default=48)
    ap.add_argument("--blocks", type=int, default=6)
    ap.add_argument("--patch", type=int, default=48, help="LR patch size")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--emoji-frac", type=float, default=0.25)
    ap.add_argument("--emoji-weight", type=float, default=0.05,
                    help="weight of the held-out emoji gain in the best.pt score (photos weigh 1)")
    ap.add_argument("--minutes", type=float, default=10, help="training time of this chunk")
    ap.add_argument("--total-minutes", type=float, default=None,
                    help="training minutes of the whole run (cosine schedule); default 40, or the saved value on --resume")
    ap.add_argument("--eval-minutes", type=float, default=5)
    ap.add_argument("--init", help="checkpoint to start from (weights only)")
    ap.add_argument("--init-body", help="checkpoint (e.g. the x2 run) whose head/body convs start this run; "
                                        "skip (least squares) and tail (zero) start fresh")
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--bench", type=int, default=0, help="only time N iterations")
    args = ap.parse_args()
    torch.set_num_threads(2)
    rdir = os.path.join(srlib.CACHE, args.run)
    os.makedirs(rdir, exist_ok=True)
    ckpt_path = os.path.join(rdir, "ckpt.pt")
    state = None
    if args.resume:
        state = torch.load(ckpt_path)
        saved = state["args"]
        for k in ["scale", "arch", "channels", "blocks", "patch", "batch", "lr", "emoji_frac", "seed", "emoji_weight"]:
            if k in saved:
                setattr(args, k, saved[k])
    if not state:
        args.total_minutes = args.total_minutes or 40.0
    s = args.scale
    model = srlib.build_model(args.arch, s, channels=args.channels, blocks=args.blocks)
    if args.init and not state:
        model.load_state_dict(torch.load(args.init)["model"])
    if args.init_body and not state:
        src = torch.load(args.init_body)["model"]
        body = {k: v for k, v in src.items() if k.startswith(("head.", "body."))}
        missing = model.load_state_dict(body, strict=False)
        assert not missing.unexpected_keys, missing
    for prm in model.parameters():  # not model.to(): KerasGraph overrides nn.Module._apply
        if prm.dim() == 4:
            prm.data = prm.data.contiguous(memory_format=torch.channels_last)
    model.train()
    # The linear skip branch (res models) works on raw 0..255 values, so an Adam step of lr on
    # its weights moves outputs by ~lr*255*75: it gets a 50x smaller step. It starts from the
    # least-squares linear upsampler for the training degradations (fitted below), which is
    # already ~0.6 dB better than bicubic at x2 on held-out crops.
    skip = [p for n, p in model.named_parameters() if n.startswith("skip.")]
    rest = [p for n, p in model.named_parameters() if not n.startswith("skip.")]
    groups = [{"params": rest, "mult": 1.0}] + ([{"params": skip, "mult": 0.02}] if skip else [])
    opt = torch.optim.Adam(groups, lr=args.lr)
    it, train_s, best = 0, 0.0, -1e9
    if state:
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        it, train_s, best = state["it"], state["train_s"], state["best"]
        args.total_minutes = args.total_minutes or state["total_minutes"]
    sampler = Sampler(s, args.patch, args.emoji_frac, args.seed + it)
    log = open(os.path.join(rdir, "log.jsonl"), "a")
    nparams = sum(p.numel() for p in model.parameters())

    def write(rec):
        rec = {"time": time.strftime("%H:%M:%S"), **rec}
        print(json.dumps(rec), flush=True)
        log.write(json.dumps(rec) + "\n")
        log.flush()

    sets = eval_sets(s)
    if skip and not state and not args.init and not args.bench:
        fit_skip_ls(model, Sampler(s, args.patch, args.emoji_frac, args.seed + 12345), batches=12, batch=args.batch)
    if not state and not args.bench:
        write({"event": "start", "it": 0, "params": nparams, "args": vars(args), **evaluate(model, sets, s)})
    chunk_start, last_eval, losses = time.time(), time.time(), []
    t_total = args.total_minutes * 60
    while True:
        t0 = time.time()
        lr_img, hr_img = sampler.batch(args.batch)
        lr_img = lr_img.contiguous(memory_format=torch.channels_last)
        frac = min(1.0, train_s / t_total)
        for g in opt.param_groups:
            g["lr"] = g.get("mult", 1.0) * args.lr * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * frac)))
        out = model(lr_img)
        loss = (out - hr_img).abs().mean() / 255.0
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        it += 1
        train_s += time.time() - t0
        losses.append(float(loss))
        if args.bench and it >= args.bench:
            print(json.dumps({"arch": args.arch, "params": nparams, "it_per_s": round(it / train_s, 2),
                              "patches_per_s": round(it * args.batch / train_s, 1)}))
            return
        now = time.time()
        done = now - chunk_start >= args.minutes * 60 or train_s >= t_total
        if now - last_eval >= args.eval_minutes * 60 or done:
            ev = evaluate(model, sets, s)
            last_eval = time.time()
            rec = {"event": "eval", "it": it, "train_min": round(train_s / 60, 2), "loss": round(float(np.mean(losses)), 5),
                   "lr": round(opt.param_groups[0]["lr"], 7), **ev}
            losses = []
            score = ev["photo_gain_rgb"] + getattr(args, "emoji_weight", 0.05) * ev["emoji_gain_rgb"]
            if score > best:
                best = score
                torch.save({"model": model.state_dict(), "args": vars(args), "it": it, "eval": ev}, os.path.join(rdir, "best.pt"))
                rec["best"] = True
            write(rec)
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "it": it, "train_s": train_s, "best": best,
                        "args": vars(args), "total_minutes": args.total_minutes}, ckpt_path + ".tmp")
            os.replace(ckpt_path + ".tmp", ckpt_path)
        if done:
            write({"event": "chunk_end", "it": it, "train_min": round(train_s / 60, 2), "finished": train_s >= t_total})
            return


if __name__ == "__main__":
    main()
