"""One resumable pix2pix training run (huabu-sketch, huabu-style): the generator, the PatchGAN,
the EMA of the generator, both optimisers, the counters and the RNG, checkpointed in one
folder, and the loop that trains them until a deadline.

    run = Pix2PixRun(G, D, out=args.out, lr=args.lr, seed=args.seed)
    if not run.resume():                      # <out>/ckpt.pt
        run.start_from(path, weights, state, d)  # or fresh
    run.train(batch, deadline, ...)           # batch(g, n) -> (input, target, style, l1 weight)

The loop: 64 px for the first low_res_fraction of total_images (pairs area-downsampled; the
U-Net is fully convolutional and learns colour ~2.7x faster per image there), then 128 px;
one pix2pix step (sketchlib.pix2pix_step), the EMA, a log line a minute, a checkpoint and a
sample grid (input, EMA output, target) every save_minutes and at the end. With decay_minutes,
both learning rates fall linearly to 10% over the chunk's last minutes (pix2pix's linear
decay); they are set from the base lr every step, so a resumed chunk starts at the base lr.
"""
import copy
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

import sketchlib as S
from training_clock import lr_decay_factor  # models/tools: the training scripts put it on the path


def open_log(out):
    """-> say(*parts): print and append to <out>/train.log."""
    os.makedirs(out, exist_ok=True)
    log = open(os.path.join(out, "train.log"), "a")

    def say(*a):
        s = " ".join(str(x) for x in a)
        print(s, flush=True)
        log.write(s + "\n")
        log.flush()
    return say


class Pix2PixRun:
    def __init__(self, G, D, out, lr, seed, say):
        self.G, self.D, self.out, self.say = G, D, out, say
        self.G_ema = copy.deepcopy(G).eval()
        for q in self.G_ema.parameters():
            q.requires_grad_(False)
        self.opt_g = torch.optim.Adam(G.parameters(), lr, betas=(0.5, 0.999))
        self.opt_d = torch.optim.Adam(D.parameters(), lr, betas=(0.5, 0.999))
        self.base_lr = lr
        self.state = {"step": 0, "images": 0, "train_seconds": 0.0}
        self.g = torch.Generator().manual_seed(seed)
        self.ckpt_path = os.path.join(out, "ckpt.pt")

    def resume(self):
        """Everything from <out>/ckpt.pt; False when there is none."""
        if not os.path.exists(self.ckpt_path):
            return False
        ck = torch.load(self.ckpt_path)
        d_state, widened = S.widen_d_input(ck["D"], self.D.net[0].in_channels)
        self.D.load_state_dict(d_state)
        for m, k in ((self.G, "G"), (self.G_ema, "G_ema"), (self.opt_g, "opt_g")) + (() if widened else ((self.opt_d, "opt_d"),)):
            m.load_state_dict(ck[k])
        if widened:
            self.say("D now also sees the requested style (new input channels at zero); D's optimiser starts fresh")
        self.state = ck["state"]
        self.g.set_state(ck["rng"])
        self.say(f"resumed step {self.state['step']} images {self.state['images']}")
        return True

    def start_from(self, source, g_weights, state=None, d_weights=None):
        """G and its EMA from a committed checkpoint (`source`, for the log), D too when given
        (exports keep it); the optimisers fresh."""
        self.G.load_state_dict(g_weights)
        self.G_ema.load_state_dict(g_weights)
        if state:
            self.state = dict(state)
        if d_weights is not None:
            d_state, _ = S.widen_d_input({k: v.float() for k, v in d_weights.items()}, self.D.net[0].in_channels)
            self.D.load_state_dict(d_state)
        self.say(f"started from {source} (step {self.state['step']}, images {self.state['images']}); "
                 f"{'D from it' if d_weights is not None else 'D fresh'}, optimisers fresh")

    def save(self, run_args, fixed):
        torch.save({"G": self.G.state_dict(), "D": self.D.state_dict(), "G_ema": self.G_ema.state_dict(),
                    "opt_g": self.opt_g.state_dict(), "opt_d": self.opt_d.state_dict(), "state": self.state,
                    "rng": self.g.get_state(), "args": run_args}, self.ckpt_path + ".tmp")
        os.replace(self.ckpt_path + ".tmp", self.ckpt_path)
        with torch.no_grad():
            out = self.G_ema(fixed[0], fixed[2])
        grid = [fixed[0].expand(-1, 3, -1, -1), out, fixed[1]]
        S.save_grid(S.to_uint8(torch.cat(grid)), 3, os.path.join(self.out, "last-samples.png"))

    def set_lr(self, deadline, decay_minutes):
        """-> the lr for this step: the base lr, falling to 10% over the last decay_minutes."""
        f = lr_decay_factor(deadline, decay_minutes)
        for opt in (self.opt_g, self.opt_d):
            for group in opt.param_groups:
                group["lr"] = self.base_lr * f
        return self.base_lr * f

    def train(self, batch, deadline, *, total_images, low_res_fraction, ema, save_minutes, run_args,
              decay_minutes=0):
        G = self.G.to(memory_format=torch.channels_last)
        D = self.D.to(memory_format=torch.channels_last)
        fixed = batch(torch.Generator().manual_seed(1234), 8)
        state = self.state
        last_save, t_log, seen_log = time.time(), time.time(), 0
        losses, last_res = [], None
        while time.time() < deadline:
            t0 = time.time()
            inp, tgt, sty, l1w = batch(self.g, run_args["batch"])
            lr = self.set_lr(deadline, decay_minutes)
            res = 64 if state["images"] < low_res_fraction * total_images else 128
            if res != last_res:
                self.say(f"resolution {res} px from image {state['images']}")
                last_res = res
            if res != 128:
                inp, tgt = F.avg_pool2d(inp, 128 // res), F.avg_pool2d(tgt, 128 // res)
            inp = inp.contiguous(memory_format=torch.channels_last)
            tgt = tgt.contiguous(memory_format=torch.channels_last)
            losses.append(S.pix2pix_step(G, D, self.opt_g, self.opt_d, inp, tgt, sty, l1w))
            S.ema_update(self.G_ema, G, ema)
            state["step"] += 1
            state["images"] += len(inp)
            state["train_seconds"] += time.time() - t0
            seen_log += len(inp)
            if time.time() - t_log > 60:
                m = np.mean(losses, 0)
                self.say(f"step {state['step']} images {state['images']} res {res} D {m[0]:.3f} G_gan {m[1]:.3f} "
                         f"L1 {m[2]:.4f} lr {lr:.1e} {seen_log / (time.time() - t_log):.1f} img/s")
                t_log, seen_log, losses = time.time(), 0, []
            if time.time() - last_save > save_minutes * 60:
                self.save(run_args, fixed)
                last_save = time.time()
        self.save(run_args, fixed)
        self.say(f"chunk done: step {state['step']} images {state['images']} "
                 f"({state['train_seconds'] / 60:.1f} train minutes in total)")
