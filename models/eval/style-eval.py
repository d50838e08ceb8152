#!/usr/bin/python3
"""Evaluate huabu-style (picture + target style -> that picture in the target style) on held-out data.

    nice -n 19 /usr/bin/python3 models/eval/style-eval.py --ckpt .cache/style-train/ckpt.pt \
        --write-metrics models/huabu-style/metrics.json --grid docs/images/huabu-style-samples.png

Inputs are the judge-eval images (models/eval/judge.py): one image per held-out concept, a
concept huabu-style never saw in any style and an image the concept judge never saw. Each is
restyled into every other style. Metrics:
- concept kept: the concept judge's top-1/top-5 family accuracy on the outputs (downsampled
  to 32 px) next to the same on the inputs; "concept_kept_top5" = output / input.
  Target (issue #3): the classifier's concept accuracy preserved.
- target style: a style classifier (6 emoji sets, trained here on the training split's real
  images at 64 px, committed as models/eval/judges/style-judge.pt) says the
  output is in the asked-for style; next to its accuracy on real held-out images of those
  styles ("real") and on the unchanged inputs ("input": how often the input already looks
  like the target, i.e. what doing nothing scores).
- aligned pairs (fluent-flat <-> fluent-3d, openmoji <-> openmoji-outline) of held-out
  concepts: L1/PSNR/SSIM against the real target, next to the input itself against the
  target (doing nothing).
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "../sketch"))
sys.path.insert(0, HERE)
import sketchlib as S  # noqa: E402
from judge import JUDGES, FamilyJudge, judge_eval_rows, judge_record, load_judge, save_judge  # noqa: E402
from eval_record import record_eval  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--ckpt", default=os.path.join(S.ROOT, ".cache/style-train/ckpt.pt"))
p.add_argument("--weights", choices=["G_ema", "G"], default="G_ema", help="the generator's EMA or raw weights (as export_style.py --weights)")
p.add_argument("--train-style-judge", action="store_true",
               help="retrain the committed style judge (then re-record huabu-style's metrics with it)")
p.add_argument("--style-judge-steps", type=int, default=800, help="with --train-style-judge")
p.add_argument("--limit", type=int, default=0, help="input images (0 = all)")
p.add_argument("--write-metrics", default="")
p.add_argument("--json", default="")
p.add_argument("--grid", default="")
p.add_argument("--threads", type=int, default=2)
args = p.parse_args()
S.setup_torch(args.threads)
STYLES6 = S.STYLES[:6]  # "any" is not a target here

data = S.EvalData()
manifest, concepts, split, labels, load = data.manifest, data.concepts, data.split, data.labels, data.load
where = np.array(S.split_of(manifest, split))
judge = FamilyJudge(concepts)


class StyleJudge(nn.Module):
    """Which emoji set drew this? 64 px RGB on white -> 6 logits."""

    def __init__(self, w=32):
        super().__init__()
        layers, ci = [], 3
        for co in (w, 2 * w, 4 * w, 4 * w):
            layers += [nn.Conv2d(ci, co, 3, padding=1, bias=False), nn.BatchNorm2d(co), nn.ReLU(True), nn.MaxPool2d(2)]
            ci = co
        self.net = nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(ci, len(STYLES6)))

    def forward(self, x):
        return self.net(x)


def train_style_judge(path):
    """A new style judge in `path` (--train-style-judge): afterwards re-record huabu-style's metrics."""
    net = StyleJudge()
    rows = np.flatnonzero(where == "train")
    Y = torch.from_numpy(labels[rows, 1].astype(np.int64))
    opt = torch.optim.AdamW(net.parameters(), 2e-3, weight_decay=5e-4)
    g = torch.Generator().manual_seed(0)
    t0 = time.time()
    net.train()
    for step in range(args.style_judge_steps):
        for q in opt.param_groups:
            q["lr"] = 2e-3 * 0.5 * (1 + np.cos(np.pi * step / args.style_judge_steps))
        idx = torch.randint(0, len(rows), (64,), generator=g)
        xb = F.avg_pool2d(load(np.sort(rows[idx.numpy()])), 2)
        yb = Y[idx.sort().values]
        loss = F.cross_entropy(net(xb), yb, label_smoothing=0.1)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 100 == 0:
            print(f"style judge step {step} loss {loss.item():.3f}", flush=True)
    save_judge(net, path, steps=args.style_judge_steps, seconds=time.time() - t0)


STYLE_JUDGE_PATH = os.path.join(JUDGES, "style-judge.pt")
if args.train_style_judge:
    train_style_judge(STYLE_JUDGE_PATH)
# scored with the committed file's float16-stored weights, also right after training one
sk = load_judge(STYLE_JUDGE_PATH)
sj = StyleJudge()
sj.load_state_dict(sk["net"])
sj.eval()
ck = torch.load(args.ckpt)
G = S.Generator(ck["args"]["ngf"], ck["args"]["max_mult"], in_ch=3)
G.load_state_dict(ck[args.weights])
G.eval()


@torch.no_grad()
def run(x, style_ids):
    sty = S.style_onehot(style_ids)
    return torch.cat([G(x[i:i + 32], sty[i:i + 32]) for i in range(0, len(x), 32)])


@torch.no_grad()
def style_acc(x, style_ids):
    pred = torch.cat([sj(F.avg_pool2d(x[i:i + 128], 2)).argmax(1) for i in range(0, len(x), 128)])
    return float((pred == torch.as_tensor(style_ids)).float().mean())


def concept_scores(x, rows):
    fp = judge(F.avg_pool2d(x, 4))  # 128 -> 32 px, as the judge's real images
    fam_true = judge.fam_of[labels[rows, 0]]
    return {"top1": judge.topk(fp, fam_true, 1), "top5": judge.topk(fp, fam_true, 5)}


t0 = time.time()
in_rows = np.array(sorted(judge_eval_rows(manifest, concepts, labels, np.flatnonzero(where == "heldout_concept")).values()))
if args.limit:
    in_rows = in_rows[:args.limit]
src, tgt_style = [], []
for r in in_rows:
    for s in range(len(STYLES6)):
        if s != labels[r, 1]:
            src.append(r)
            tgt_style.append(s)
src = np.array(src)
inp = load(src)
out = run(inp, tgt_style)
res = {"inputs": len(in_rows), "outputs": len(src)}
res["concept_output"] = concept_scores(out, src)
res["concept_input"] = concept_scores(load(in_rows), in_rows)
res["concept_kept_top5"] = res["concept_output"]["top5"] / max(res["concept_input"]["top5"], 1e-9)
res["concept_kept_top1"] = res["concept_output"]["top1"] / max(res["concept_input"]["top1"], 1e-9)
real_rows = np.flatnonzero(where == "heldout_concept")
res["style_accuracy"] = {"output": style_acc(out, tgt_style), "input_unchanged": style_acc(inp, tgt_style),
                         "real": style_acc(load(real_rows), labels[real_rows, 1])}
res["style_accuracy_per_target"] = {
    STYLES6[s]: style_acc(out[np.array(tgt_style) == s], [s] * int((np.array(tgt_style) == s).sum()))
    for s in range(len(STYLES6))}
print(json.dumps(res), flush=True)

# aligned pairs of held-out concepts: the real target exists and is drawn on the same design
FLAT, THREE_D = S.STYLES.index("fluent-flat"), S.STYLES.index("fluent-3d")
held = S.style_rows(manifest, concepts, split, "heldout_concept")
grid = []
for a, b in ((FLAT, THREE_D), (THREE_D, FLAT), (S.OPENMOJI, S.OUTLINE), (S.OUTLINE, S.OPENMOJI)):
    pr = np.array([(st[a], st[b]) for _, st in sorted(held.items()) if a in st and b in st], np.int64)
    if args.limit:
        pr = pr[:args.limit]
    x, y = load(pr[:, 0]), load(pr[:, 1])
    o = run(x, [b] * len(pr))
    res[f"{S.STYLES[a]}_to_{S.STYLES[b]}"] = {
        "pairs": len(pr), "l1": float(((o - y).abs() / 2).mean()), "psnr_db": float(S.psnr(o, y).mean()),
        "ssim": float(S.ssim(o, y).mean()),
        "input_unchanged": {"l1": float(((x - y).abs() / 2).mean()), "psnr_db": float(S.psnr(x, y).mean()),
                            "ssim": float(S.ssim(x, y).mean())}}
    grid += [x[:8], o[:8], y[:8]]
res["seconds"] = round(time.time() - t0, 1)

state = ck["state"]
out_json = {"model": "huabu-style", "weights": args.weights, "checkpoint_step": state["step"], "train_images_seen": state["images"],
            "train_minutes": round(state["train_seconds"] / 60, 1), "judge": judge.info,
            "style_judge": judge_record(STYLE_JUDGE_PATH, sk),
            "command": "nice -n 19 /usr/bin/python3 models/eval/style-eval.py " + " ".join(sys.argv[1:]),
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **res}
record_eval(out_json, args.json, args.write_metrics)
if args.grid:
    # per aligned direction: input, output, real target
    S.save_grid(S.to_uint8(torch.cat(grid)), len(grid), args.grid)
    print("grid:", args.grid)
