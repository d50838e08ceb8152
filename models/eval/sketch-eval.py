#!/usr/bin/python3
"""Evaluate huabu-sketch (sketch -> 128 px image) on held-out data.

    nice -n 19 /usr/bin/python3 models/eval/sketch-eval.py --ckpt .cache/sketch-train/ckpt.pt \
        --write-metrics models/huabu-sketch/metrics.json --grid docs/images/huabu-sketch-samples.png

Sets (the data set's fixed split, flags dropped):
- outline: OpenMoji outline -> OpenMoji colour pairs of held-out IMAGES (the concept was
  trained in other styles, never this pair), clean outlines;
- freehand: the same outlines through freehand() at full strength (wobble, stroke width,
  gaps, specks; fixed seed), i.e. what a person's quick drawing looks like;
- synthetic: line drawings (XDoG + colour edges + silhouette, fixed seed) of held-out images
  of the other colour styles -> that image, asked for in that style;
- outline_heldout_concepts: outline pairs of concepts never trained (pixel metrics only: the
  judge saw most of those real images, so its accuracy there would flatter the real side).
Metrics: L1 (on [0,1]), PSNR, SSIM against the real image; the judge's (models/eval/judge.py,
trained on real images only, never on these held-out images) top-1/top-5 family accuracy on
outputs downsampled to 32 px, among all 2,162 families and among the set's own families
("in_set"), next to the same judge on the real targets ("real") and on the sketch itself
("sketch": what the input alone tells the judge). Target: output top-5 >= 70% of real.
The judge is weak (3 minutes of training: top-5 over all families ~17-20% even on real
OpenMoji images), so use whole sets, not --limit, for these ratios.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "../sketch"))
sys.path.insert(0, HERE)
import sketchlib as S  # noqa: E402
from judge import FamilyJudge  # noqa: E402
from eval_record import record_eval  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--ckpt", default=os.path.join(S.ROOT, ".cache/sketch-train/ckpt.pt"))
p.add_argument("--limit", type=int, default=0, help="images per set (0 = all)")
p.add_argument("--write-metrics", default="")
p.add_argument("--json", default="")
p.add_argument("--grid", default="")
p.add_argument("--threads", type=int, default=2)
args = p.parse_args()
S.setup_torch(args.threads)

ck = torch.load(args.ckpt)
G = S.Generator(ck["args"]["ngf"], ck["args"].get("max_mult", 4))
G.load_state_dict(ck["G_ema"])
G.eval()
data = S.EvalData()
manifest, concepts, split, labels, load = data.manifest, data.concepts, data.split, data.labels, data.load_with_alpha
judge = FamilyJudge(concepts)


def lim(a):
    return a[:args.limit] if args.limit else a


@torch.no_grad()
def run(sketch, style):
    return torch.cat([G(sketch[i:i + 32], style[i:i + 32]) for i in range(0, len(sketch), 32)])


def judge_scores(x, fam_true):
    fp = judge(F.avg_pool2d(x, 4))  # 128 -> 32 px area average, as the judge's real images
    cand = np.unique(fam_true)
    return {"top1": judge.topk(fp, fam_true, 1), "top5": judge.topk(fp, fam_true, 5),
            "top1_in_set": judge.topk(fp, fam_true, 1, cand), "top5_in_set": judge.topk(fp, fam_true, 5, cand)}


def evaluate(name, sketch_ink, target, style_ids, rows, with_judge=True):
    t0 = time.time()
    sk = S.ink_to_input(sketch_ink)
    out = run(sk, S.style_onehot(style_ids))
    r = {"images": len(rows), "seconds": round(time.time() - t0, 1),
         "l1": float(((out - target).abs() / 2).mean()), "psnr_db": float(S.psnr(out, target).mean()),
         "ssim": float(S.ssim(out, target).mean())}
    blank = torch.ones_like(target)  # the trivial answer "white paper", for scale
    r["white_baseline"] = {"l1": float(((blank - target).abs() / 2).mean()), "psnr_db": float(S.psnr(blank, target).mean()),
                           "ssim": float(S.ssim(blank, target).mean())}
    if with_judge:
        fam_true = judge.fam_of[labels[rows, 0]]
        r["judge_output"] = judge_scores(out, fam_true)
        r["judge_real"] = judge_scores(target, fam_true)
        r["judge_sketch"] = judge_scores(sk.expand(-1, 3, -1, -1), fam_true)
        r["concept_accuracy_vs_real_top5"] = r["judge_output"]["top5"] / max(r["judge_real"]["top5"], 1e-9)
        r["concept_accuracy_vs_real_top1"] = r["judge_output"]["top1"] / max(r["judge_real"]["top1"], 1e-9)
        r["concept_accuracy_vs_real_top5_in_set"] = r["judge_output"]["top5_in_set"] / max(r["judge_real"]["top5_in_set"], 1e-9)
    print(name, json.dumps(r), flush=True)
    return r, sk, out


res, grid = {}, []
o_rows, o_tgt, c_rows = S.pairs(manifest, concepts, split, "heldout_image")
o_rows, o_tgt = lim(o_rows), lim(o_tgt)
tgt, _ = load(o_tgt)
ink = S.outline_ink(load(o_rows)[0])
res["outline"], sk, out = evaluate("outline", ink, tgt, [S.OPENMOJI] * len(o_rows), o_tgt)
grid += [sk[:8], out[:8], tgt[:8]]
ink_fh = S.freehand(ink, torch.Generator().manual_seed(2024), strength=1.0)
res["freehand"], sk, out = evaluate("freehand", ink_fh, tgt, [S.OPENMOJI] * len(o_rows), o_tgt)
grid += [sk[:8], out[:8]]
c_rows = lim(c_rows[labels[c_rows, 1] != S.OPENMOJI])
tgt_c, a_c = load(c_rows)
ink_c = S.sketch_from_colour(tgt_c, a_c, torch.Generator().manual_seed(7))
res["synthetic"], sk, out = evaluate("synthetic", ink_c, tgt_c, labels[c_rows, 1].tolist(), c_rows)
grid += [sk[:8], out[:8], tgt_c[:8]]
h_rows, h_tgt, _ = S.pairs(manifest, concepts, split, "heldout_concept")
h_rows, h_tgt = lim(h_rows), lim(h_tgt)
res["outline_heldout_concepts"], _, _ = evaluate("outline_heldout_concepts", S.outline_ink(load(h_rows)[0]), load(h_tgt)[0],
                                                 [S.OPENMOJI] * len(h_rows), h_tgt, with_judge=False)

state = ck["state"]
out = {"model": "huabu-sketch", "checkpoint_step": state["step"], "train_images_seen": state["images"],
       "train_minutes": round(state["train_seconds"] / 60, 1), "judge": judge.info,
       "command": "nice -n 19 /usr/bin/python3 models/eval/sketch-eval.py " + " ".join(sys.argv[1:]),
       "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **res}
record_eval(out, args.json, args.write_metrics)
if args.grid:
    # rows: outline, output, target | freehand sketch, output | synthetic sketch, output, target
    g = torch.cat([x if x.shape[1] == 3 else x.expand(-1, 3, -1, -1) for x in grid])
    S.save_grid(S.to_uint8(g), len(grid), args.grid)
    print("grid:", args.grid)
