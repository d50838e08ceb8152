#!/usr/bin/python3
"""Builds the super-resolution training set into .cache/sr-train/data/ (not committed).

  nice -n 19 /usr/bin/python3 models/sr/build_sr_data.py

Sources (install with scripts in models/sr/README.md; every file's sha256 goes into
.cache/sr-train/data/sources.json):
- photos and rendered wallpapers, GPL-2+: Debian `plasma-workspace-wallpapers` (largest size of
  each of its 30 wallpapers) and `mate-backgrounds` (nature/*, abstract/{Flow,Gulp,Silk,
  Spring,Waves,Elephants_3840x2160}, desktop/{GreenTraditional,Stripes}; files whose
  copyright entry is GPL-2+ only). Each is stored at 2-3 reduced sizes (Pillow Lanczos, i.e.
  antialiased), which removes the wallpapers' JPEG artefacts and gives detail at several
  scales: photos/<i>.png is not written, arrays go to photos.npz.
- emoji rasters, 128 px RGBA, from the colleague-built .cache/data (models/data/README.md):
  styles noto (Apache-2.0), twemoji (CC-BY-4.0), fluent-flat and fluent-3d (MIT); training
  split of models/data/split.json only. OpenMoji (CC-BY-SA-4.0) is not used for training.
- held-out emoji for evaluation: held-out *concepts* of split.json, first 8 per style in all
  six styles (openmoji included: evaluation only), composited on white.
The held-out photos (python3-skimage) are never read here.
"""
import glob
import hashlib
import json
import os
import sys

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from srlib import CACHE, ROOT  # noqa: E402

OUT = os.path.join(CACHE, "data")
EMOJI = os.environ.get("HUABU_DATA_DIR") or os.path.join(ROOT, ".cache/data")
TRAIN_STYLES = {"noto": "Apache-2.0", "twemoji": "CC-BY-4.0", "fluent-flat": "MIT", "fluent-3d": "MIT"}
MATE = "/usr/share/backgrounds/mate"
MATE_FILES = [f"{MATE}/nature/{n}.jpg" for n in ["Aqua", "Blinds", "Dune", "FreshFlower", "Garden", "GreenMeadow",
                                                "LadyBird", "RainDrops", "Storm", "TwoWings", "Wood", "YellowFlower"]]
MATE_FILES += [f"{MATE}/abstract/{n}" for n in ["Flow.png", "Gulp.png", "Silk.png", "Spring.png", "Waves.png",
                                                "Elephants_3840x2160.jpg"]]
MATE_FILES += [f"{MATE}/desktop/GreenTraditional.jpg", f"{MATE}/desktop/Stripes.png"]


def sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def kde_files():
    out = []
    for d in sorted(glob.glob("/usr/share/wallpapers/*/contents/images")):
        ims = glob.glob(d + "/*")
        out.append(max(ims, key=lambda f: Image.open(f).size[0] * Image.open(f).size[1]))
    return out


def reduced_sizes(im):
    """Short side targets: the image at ~1/2, ~1/3 (and 1/5 for 4K+ sources) of its size."""
    w, h = im.size
    short = min(w, h)
    targets = [short // 2, short // 3] + ([short // 5] if short >= 2000 else [])
    out = []
    for t in targets:
        if t < 200:
            continue
        f = t / short
        out.append(im.resize((round(w * f), round(h * f)), Image.LANCZOS, reducing_gap=3.0))
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    sources = {"photos": [], "emoji_train": {}, "emoji_heldout": []}
    arrays = {}
    files = [(f, "plasma-workspace-wallpapers", "GPL-2+") for f in kde_files()]
    files += [(f, "mate-backgrounds", "GPL-2+") for f in MATE_FILES]
    for f, pkg, lic in files:
        im = Image.open(f).convert("RGB")
        for k, r in enumerate(reduced_sizes(im)):
            key = f"p{len(arrays):03d}"
            arrays[key] = np.asarray(r)
        sources["photos"].append({"file": f, "package": pkg, "licence": lic, "sha256": sha(f), "size": list(im.size)})
        print(f"{f}: {im.size} -> {[a.shape[:2] for a in list(arrays.values())[-len(reduced_sizes(im)):]]}", flush=True)
    np.savez(os.path.join(OUT, "photos.npz"), **arrays)

    split = json.load(open(os.path.join(ROOT, "models/data/split.json")))
    train_c = set(split["train_concepts"])
    held_img = split["heldout_images"]
    rows = [json.loads(l) for l in open(os.path.join(EMOJI, "manifest.jsonl")) if l.strip()]
    train, held = [], []
    per_style_held = {}
    for r in rows:
        if r["concept"] in train_c and r["style"] in TRAIN_STYLES and r["style"] not in held_img.get(r["concept"], []):
            train.append(np.asarray(Image.open(os.path.join(EMOJI, r["png"])).convert("RGBA")))
            sources["emoji_train"][r["style"]] = sources["emoji_train"].get(r["style"], 0) + 1
    heldout_concepts = split["heldout_concepts"]
    for c in heldout_concepts:
        for r in (r for r in rows if r["concept"] == c):
            if per_style_held.get(r["style"], 0) >= 8:
                continue
            rgba = np.asarray(Image.open(os.path.join(EMOJI, r["png"])).convert("RGBA")).astype(np.float32)
            a = rgba[..., 3:4] / 255.0
            held.append(np.clip(np.rint(rgba[..., :3] * a + 255.0 * (1 - a)), 0, 255).astype(np.uint8))
            per_style_held[r["style"]] = per_style_held.get(r["style"], 0) + 1
            sources["emoji_heldout"].append(f'{r["style"]}/{r["concept"]}')
    np.save(os.path.join(OUT, "emoji_train.npy"), np.stack(train))
    np.save(os.path.join(OUT, "emoji_heldout.npy"), np.stack(held))
    sources["emoji_licences"] = TRAIN_STYLES
    sources["emoji_split"] = "models/data/split.json (train concepts, minus each concept's held-out style)"
    json.dump(sources, open(os.path.join(OUT, "sources.json"), "w"), indent=1)
    n_px = sum(a.shape[0] * a.shape[1] for a in arrays.values())
    print(json.dumps({"photo_files": len(files), "photo_arrays": len(arrays), "photo_megapixels": round(n_px / 1e6, 1),
                      "emoji_train": len(train), "emoji_heldout": len(held), "per_style_heldout": per_style_held}))


if __name__ == "__main__":
    main()
