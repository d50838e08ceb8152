#!/usr/bin/python3
"""Print the model-card tables (markdown) from models/<id>/metrics.json (box protocol, ONNX,
sr-eval.mjs) and models/sr/results/<id>.json (report_sr.py: AA-bicubic protocol, emoji).

  /usr/bin/python3 models/sr/card_tables.py huabu-sr-x2
"""
import json
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))


def table(rows, mean):
    out = ["| image | SR PSNR RGB | bicubic | gain dB | SR PSNR Y | bicubic | gain dB | SR SSIM Y | bicubic |",
           "|---|---|---|---|---|---|---|---|---|"]
    for r in rows + [dict(mean, image="**mean**")]:
        sr, b = r["sr"], r["bicubic"]
        name = r["image"] if r["image"].startswith("**") else f"`{r['image']}`"
        out.append(f"| {name} | {sr['psnr_rgb']:.2f} | {b['psnr_rgb']:.2f} | **{r['gain_db_rgb']:+.2f}** | "
                   f"{sr['psnr_y']:.2f} | {b['psnr_y']:.2f} | **{r['gain_db_y']:+.2f}** | {sr['ssim_y']:.4f} | {b['ssim_y']:.4f} |")
    return "\n".join(out)


def main():
    mid = sys.argv[1]
    m = json.load(open(os.path.join(ROOT, "models", mid, "metrics.json")))
    print("### box protocol (sr-eval.mjs, ONNX)\n")
    print(table(m["full"]["images"], m["full"]["mean"]))
    p = os.path.join(ROOT, "models/sr/results", mid + ".json")
    if os.path.exists(p):
        r = json.load(open(p))
        print("\n### antialiased-bicubic protocol (report_sr.py, torch)\n")
        print(table(r["photos_aa_bicubic"]["images"], r["photos_aa_bicubic"]["mean"]))
        e = r["emoji_box"]
        print("\n### emoji held-out (box)\n")
        print("| style | SR PSNR RGB | bicubic | gain dB |\n|---|---|---|---|")
        for st, v in e["per_style"].items():
            print(f"| {st} | {v['sr_psnr_rgb']:.2f} | {v['bicubic_psnr_rgb']:.2f} | **{v['gain_db_rgb']:+.2f}** |")
        mm = e["mean"]
        print(f"| **all 48** | {mm['sr']['psnr_rgb']:.2f} | {mm['bicubic']['psnr_rgb']:.2f} | **{mm['gain_db_rgb']:+.2f}** "
              f"(Y {mm['gain_db_y']:+.2f}; SSIM Y {mm['sr']['ssim_y']:.4f} vs {mm['bicubic']['ssim_y']:.4f}) |")
        print("\nbox cross-check in torch: gain", round(r["photos_box"]["mean"]["gain_db_rgb"], 3))


if __name__ == "__main__":
    main()
