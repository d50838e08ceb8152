#!/usr/bin/python3
"""Secondary evaluations of a trained checkpoint (the primary one is models/eval/sr-eval.mjs
on the exported ONNX, box protocol, written to models/<id>/metrics.json):

  nice -n 19 /usr/bin/python3 models/sr/report_sr.py .cache/sr-train/<run>/best.pt models/sr/results/<id>.json

1. held-out photos (six python3-skimage colour photos, whole images), *antialiased bicubic*
   degradation: LR = Pillow BICUBIC downscale (antialiased, a = -0.5), 8-bit; otherwise the
   same protocol as sr-eval.mjs (Keys bicubic baseline, 8-bit outputs, shave s, PSNR RGB/Y,
   SSIM Y). A second, clearly separate report: the app's case is the box protocol.
2. held-out emoji (.cache/sr-train/data/emoji_heldout.npy: 8 images of held-out concepts per
   style, 6 styles, 128 px composited on white), box protocol.
3. the same box protocol on the photos (cross-check of sr-eval.mjs, computed in torch).
"""
import json
import os
import sys

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import srlib  # noqa: E402
from export_sr import load  # noqa: E402


def r4(d):
    if isinstance(d, dict):
        return {k: r4(v) for k, v in d.items()}
    if isinstance(d, list):
        return [r4(v) for v in d]
    return round(d, 4) if isinstance(d, float) else d


@torch.no_grad()
def eval_aa(model, images, s):
    rows = []
    for name, hr in images:
        im = Image.fromarray(hr.permute(1, 2, 0).numpy().astype(np.uint8))
        lr_im = im.resize((im.width // s, im.height // s), Image.BICUBIC)
        lr = torch.from_numpy(np.asarray(lr_im).copy()).permute(2, 0, 1).float()[None]
        sr = srlib.to8(model(lr))[0]
        bic = srlib.to8(srlib.BicubicUp(s)(lr))[0]
        q, b = srlib.quality(sr, hr, s), srlib.quality(bic, hr, s)
        rows.append({"image": name, "sr": q, "bicubic": b, "gain_db_rgb": q["psnr_rgb"] - b["psnr_rgb"],
                     "gain_db_y": q["psnr_y"] - b["psnr_y"]})
    sr, bic = srlib.mean_rows([r["sr"] for r in rows]), srlib.mean_rows([r["bicubic"] for r in rows])
    return {"images": rows, "mean": {"sr": sr, "bicubic": bic, "gain_db_rgb": sr["psnr_rgb"] - bic["psnr_rgb"],
                                     "gain_db_y": sr["psnr_y"] - bic["psnr_y"]}}


def main():
    torch.set_num_threads(2)
    model, a, ck = load(sys.argv[1])
    s = a["scale"]
    photos = srlib.heldout_photos(s)
    em = np.load(os.path.join(srlib.CACHE, "data", "emoji_heldout.npy"))
    names = json.load(open(os.path.join(srlib.CACHE, "data", "sources.json")))["emoji_heldout"]
    emoji = [(names[i], torch.from_numpy(em[i]).permute(2, 0, 1).float()) for i in range(len(em))]
    res = {"checkpoint": {"run": a["run"], "it": ck.get("it"), "arch": a["arch"], "channels": a["channels"],
                          "blocks": a["blocks"], "scale": s},
           "photos_box": srlib.eval_set(model, photos, s),
           "photos_aa_bicubic": eval_aa(model, photos, s),
           "emoji_box": srlib.eval_set(model, emoji, s)}
    per_style = {}
    for r in res["emoji_box"]["images"]:
        st = r["image"].split("/")[0]
        per_style.setdefault(st, []).append(r)
    res["emoji_box"]["per_style"] = {st: {"gain_db_rgb": float(np.mean([r["gain_db_rgb"] for r in rows])),
                                          "sr_psnr_rgb": float(np.mean([r["sr"]["psnr_rgb"] for r in rows])),
                                          "bicubic_psnr_rgb": float(np.mean([r["bicubic"]["psnr_rgb"] for r in rows]))}
                                     for st, rows in per_style.items()}
    res["emoji_box"]["images"] = []  # 48 rows: keep the file short, means and per style suffice
    os.makedirs(os.path.dirname(os.path.abspath(sys.argv[2])), exist_ok=True)
    json.dump(r4(res), open(sys.argv[2], "w"), indent=1)
    for k in ["photos_box", "photos_aa_bicubic", "emoji_box"]:
        m = res[k]["mean"]
        print(f"{k}: SR {m['sr']['psnr_rgb']:.2f}/{m['sr']['psnr_y']:.2f} SSIM {m['sr']['ssim_y']:.4f}  bicubic "
              f"{m['bicubic']['psnr_rgb']:.2f}/{m['bicubic']['psnr_y']:.2f} SSIM {m['bicubic']['ssim_y']:.4f}  "
              f"gain {m['gain_db_rgb']:+.2f} dB RGB {m['gain_db_y']:+.2f} dB Y")


if __name__ == "__main__":
    main()
