#!/usr/bin/python3
"""Train huabu-tiny (text -> 32x32 emoji, rectified flow + CFG) in resumable chunks.

    nice -n 19 /usr/bin/python3 models/tiny/train_tiny.py --resume --minutes 60

Checkpoints to .cache/tiny-train/ckpt.pt every --save-minutes (model, EMA, optimiser, step,
data-sampler state), keeps ckpt-<step>.pt snapshots every --keep-minutes, and writes a
small sample grid at each save. --init PATH starts from a committed weights-only checkpoint
(models/huabu-tiny/checkpoint/huabu-tiny.pt) when .cache has nothing.
"""
import argparse
import copy
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../tools"))
import tinylib as T  # noqa: E402
from training_clock import deadline_from, lr_decay_factor  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--minutes", type=float, default=10)
p.add_argument("--max-steps", type=int, default=0)
p.add_argument("--resume", action="store_true")
p.add_argument("--init", default=os.path.join(T.ROOT, "models/huabu-tiny/checkpoint/huabu-tiny.pt"))
p.add_argument("--out", default=os.path.join(T.ROOT, ".cache/tiny-train"))
p.add_argument("--batch", type=int, default=64)
p.add_argument("--lr", type=float, default=1e-3)
p.add_argument("--decay-minutes", type=float, default=0,
               help="lower the lr linearly to 10%% over the last M minutes before the deadline")
p.add_argument("--tokens", type=int, default=None,
               help="token features per prompt position for cross-attention (0 = v0.2's pooled vector only); "
                    "default: what the checkpoint has. Changing it on --init adds zero-initialised blocks")
p.add_argument("--warmup", type=int, default=300)
p.add_argument("--ema", type=float, default=0.999)
p.add_argument("--p-drop-text", type=float, default=0.1)
p.add_argument("--p-drop-style", type=float, default=0.1)
p.add_argument("--save-minutes", type=float, default=5)
p.add_argument("--keep-minutes", type=float, default=20)
p.add_argument("--no-share-alike", action="store_true", help="drop openmoji + openmoji-outline (CC-BY-SA)")
p.add_argument("--threads", type=int, default=2)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--until", default="", help="UTC HH:MM wall-clock deadline (whichever of --minutes/--until comes first)")
p.add_argument("--pause-while", default="", help="pause (after a checkpoint) while a process whose command line contains this runs")
p.add_argument("--yield-to-sr", action="store_true", help="= --pause-while models/sr/train_sr (keeps that name out of our own command line)")
args = p.parse_args()
if args.yield_to_sr:
    args.pause_while = "models/sr/" + "train_" + "sr"

T.setup_torch(args.threads)
os.makedirs(args.out, exist_ok=True)
deadline = deadline_from(args.minutes, args.until)  # counted from start-up, data loading included
log = open(os.path.join(args.out, "train.log"), "a")


def say(*a):
    s = " ".join(str(x) for x in a)
    print(s, flush=True)
    log.write(s + "\n")
    log.flush()


# ---------------------------------------------------------------- data
tok = T.load_tokenizer()
concepts = T.load_concepts()
split = T.load_split()
manifest = T.load_manifest()
rows = T.split_rows(manifest, split)["train"]
labels = np.load(os.path.join(T.DATA, "labels.npy"))
if args.no_share_alike:
    rows = rows[~np.isin(labels[rows, 1], [2, 5])]
X = torch.from_numpy(T.rgba_to_rgb_white(np.asarray(T.load_images(32))[rows]))
C = torch.from_numpy(labels[rows, 0].astype(np.int64))
S = torch.from_numpy(labels[rows, 1].astype(np.int64))
# sample by concept weight (a gender/hair family counts once), spread over the concept's styles
w = np.array([concepts[c]["weight"] for c in labels[rows, 0]], dtype=np.float64)
per_concept = np.bincount(labels[rows, 0], minlength=len(concepts)).astype(np.float64)
w = w / per_concept[labels[rows, 0]]
W = torch.from_numpy(w / w.sum())
caps = torch.from_numpy(T.build_caption_table(concepts, tok, 32, seed=args.seed))
say(f"data: {len(rows)} train images, {len(set(C.tolist()))} concepts, captions {tuple(caps.shape)}")

# ---------------------------------------------------------------- model / state
ckpt_path = os.path.join(args.out, "ckpt.pt")


def load_start():
    """-> (where, checkpoint) this run starts from: "resume" (<out>/ckpt.pt), "init" (the
    --init weights) or "fresh" (None). Read once: it gives both the architecture and the weights."""
    if args.resume and os.path.exists(ckpt_path):
        return "resume", torch.load(ckpt_path, map_location="cpu")
    if args.resume and args.init and os.path.exists(args.init):
        return "init", torch.load(args.init, map_location="cpu")
    return "fresh", None


def init_cfg(start, ck):
    """Architecture: the resumed checkpoint's, else the --init checkpoint's (with --tokens
    applied), else the default with --tokens."""
    cfg = dict((ck or {}).get("cfg") or {})
    if start != "resume" and args.tokens is not None:
        cfg["tokens"] = args.tokens
    return cfg


start, ck = load_start()
model = T.HuabuTiny(tok.glove, init_cfg(start, ck)).to(memory_format=torch.channels_last)
ema = copy.deepcopy(model).eval()
for q in ema.parameters():
    q.requires_grad_(False)
opt = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.99), weight_decay=0.01)
state = {"step": 0, "images": 0, "train_seconds": 0.0}
gen = torch.Generator().manual_seed(args.seed)

if start == "resume":
    model.load_state_dict(ck["model"])
    ema.load_state_dict(ck["ema"])
    opt.load_state_dict(ck["opt"])
    state = ck["state"]
    gen.set_state(ck["gen"])
    say(f"resumed {ckpt_path}: step {state['step']}, {state['images']} images, {state['train_seconds']/60:.1f} min")
elif start == "init":
    # strict=False: blocks the committed weights lack (cross-attention) keep their
    # zero-initialised output, so the model starts as the committed one
    missing, unexpected = model.load_state_dict({k: v.float() for k, v in ck.get("model", ck["ema"]).items()}, strict=False)
    if unexpected or any(".x" not in k and "tok_out" not in k for k in missing):
        sys.exit(f"{args.init} does not fit this architecture: missing {missing}, unexpected {unexpected}")
    ema.load_state_dict(model.state_dict())
    if missing:
        say(f"new blocks (zero-initialised output): {sorted({k.rsplit('.', 2)[0] for k in missing})}")
    state = ck["state"]
    gen.manual_seed(args.seed + state["step"])
    say(f"initialised from committed {args.init}: step {state['step']} (fresh optimiser, re-warmup)")
    state["rewarm_from"] = state["step"]
else:
    say("fresh start")
del ck  # the optimiser and models hold copies; free the file's tensors before training

say(f"params: text {T.count_params(model.text)}, unet {T.count_params(model.unet)}")


def save(tag=None):
    ck = {"model": model.state_dict(), "ema": ema.state_dict(), "opt": opt.state_dict(), "state": state,
          "gen": gen.get_state(), "cfg": model.cfg, "args": vars(args)}
    tmp = ckpt_path + ".tmp"
    torch.save(ck, tmp)
    os.replace(tmp, ckpt_path)
    if tag:
        torch.save({"ema": ema.state_dict(), "state": state, "cfg": model.cfg}, os.path.join(args.out, f"ema-{tag}.pt"))
    # quick look
    prompts = ["a red apple", "画一只狐狸", "a smiling face", "a cat", "a rocket", "pizza", "a house", "a blue whale"]
    ids = torch.tensor([tok.encode(p) for p in prompts])
    st = torch.tensor([i % 6 for i in range(len(prompts))])
    img = T.sample(ema, ids, st, T.seed_noise(7, len(prompts)), steps=12, guidance=4.0)
    T.save_grid(T.to_uint8(img), 1, os.path.join(args.out, "last-samples.png"), scale=3)


def lr_at(step):
    base = state.get("rewarm_from", 0)
    lr = args.lr * min(1.0, (step - base + 1) / args.warmup)
    return lr * lr_decay_factor(deadline, args.decay_minutes)


# ---------------------------------------------------------------- loop
import signal  # noqa: E402
stop = {"now": False}
signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))  # kill <pid>: checkpoint, then exit


def other_running(pattern):
    """True while a python process runs a script whose path contains `pattern` (shell loops
    and tools that merely mention the name do not count)."""
    if not pattern:
        return False
    me = os.getpid()
    for pid in os.listdir("/proc"):
        if pid.isdigit() and int(pid) != me:
            try:
                argv = open(f"/proc/{pid}/cmdline", "rb").read().decode(errors="ignore").split("\0")
            except OSError:
                continue
            if argv and "python" in os.path.basename(argv[0]) and any(pattern in a and a.endswith(".py") for a in argv[1:3]):
                return True
    return False


last_save = time.time()
last_keep = time.time()
t_chunk = time.time()
run_loss, run_n = 0.0, 0
model.train()
while not stop["now"] and time.time() < deadline and (not args.max_steps or state["step"] < args.max_steps):
    b = args.batch
    idx = torch.multinomial(W, b, replacement=True, generator=gen)
    x0 = X[idx]
    ids = caps[C[idx], torch.randint(0, caps.shape[1], (b,), generator=gen)]
    style = S[idx].clone()
    drop_t = torch.rand(b, generator=gen) < args.p_drop_text
    ids[drop_t] = 0
    style[torch.rand(b, generator=gen) < args.p_drop_style] = T.STYLE_ANY
    # logit-normal t (more weight mid-way), as in SD3 / rectified-flow practice
    t = torch.sigmoid(torch.randn(b, generator=gen))
    noise = torch.randn(x0.shape, generator=gen)
    xt = ((1 - t)[:, None, None, None] * x0 + t[:, None, None, None] * noise).contiguous(memory_format=torch.channels_last)
    target = noise - x0
    for g in opt.param_groups:
        g["lr"] = lr_at(state["step"])
    v = model(xt, t, ids, style)
    loss = (v.float() - target).square().mean()
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    d = min(args.ema, (1 + state["step"]) / (10 + state["step"]))
    with torch.no_grad():
        for pe, pm in zip(ema.parameters(), model.parameters()):
            pe.mul_(d).add_(pm.detach(), alpha=1 - d)
    state["step"] += 1
    state["images"] += b
    run_loss += loss.item()
    run_n += 1
    if state["step"] % 50 == 0:
        now = time.time()
        state["train_seconds"] += now - t_chunk
        rate = run_n * b / (now - t_chunk)
        t_chunk = now
        say(f"step {state['step']} epoch {state['images']/len(rows):.2f} loss {run_loss/run_n:.4f} lr {lr_at(state['step']):.2e} {rate:.1f} img/s")
        run_loss, run_n = 0.0, 0
    if args.pause_while and state["step"] % 25 == 0 and other_running(args.pause_while):
        state["train_seconds"] += time.time() - t_chunk
        save()
        say(f"paused at step {state['step']}: '{args.pause_while}' is running")
        while other_running(args.pause_while) and time.time() < deadline and not stop["now"]:
            time.sleep(20)
        say("resumed")
        t_chunk = last_save = time.time()
    if time.time() - last_save > args.save_minutes * 60:
        keep = time.time() - last_keep > args.keep_minutes * 60
        save(f"{state['step']}" if keep else None)
        if keep:
            last_keep = time.time()
        last_save = time.time()
        t_chunk = time.time()
        say(f"saved step {state['step']}")

state["train_seconds"] += time.time() - t_chunk
save(f"{state['step']}")
say(f"chunk done: step {state['step']}, {state['images']} images = {state['images']/len(rows):.2f} epochs, "
    f"{state['train_seconds']/60:.1f} train-min total")
