#!/usr/bin/python3
"""Packs .cache/data/png128/* into uint8 arrays so trainers load the set in one read.

Writes rgba128.npy, rgba64.npy, rgba32.npy (N, H, W, 4, uint8, RGBA, transparent background)
and labels.npy (N, 2, int32: concept index into concepts.json, style index into styles.json);
row i is line i of manifest.jsonl. Downscales are area averages in premultiplied alpha, so
transparent pixels' (undefined) colour does not bleed into edges. Cached: skipped when the
arrays are newer than the manifest.
"""
import json
import os
import sys

import numpy as np
from PIL import Image

OUT = os.environ.get("HUABU_DATA_DIR") or os.path.join(os.path.dirname(__file__), "../../.cache/data")


def area_down(rgba, f):
    """(N,H,W,4) uint8 -> (N,H/f,W/f,4) uint8, box filter on premultiplied colour."""
    x = rgba.astype(np.float32) / 255.0
    a = x[..., 3:4]
    pre = np.concatenate([x[..., :3] * a, a], axis=-1)
    n, h, w, c = pre.shape
    pre = pre.reshape(n, h // f, f, w // f, f, c).mean(axis=(2, 4))
    a = pre[..., 3:4]
    rgb = np.where(a > 0, pre[..., :3] / np.maximum(a, 1e-8), 0.0)
    out = np.concatenate([rgb, a], axis=-1)
    return np.clip(np.rint(out * 255.0), 0, 255).astype(np.uint8)


def main():
    manifest = os.path.join(OUT, "manifest.jsonl")
    target = os.path.join(OUT, "rgba32.npy")
    if "--force" not in sys.argv and os.path.exists(target) and os.path.getmtime(target) > os.path.getmtime(manifest):
        print("pack: arrays up to date")
        return
    rows = [json.loads(l) for l in open(manifest, encoding="utf-8") if l.strip()]
    n = len(rows)
    big = np.lib.format.open_memmap(os.path.join(OUT, "rgba128.npy"), mode="w+", dtype=np.uint8, shape=(n, 128, 128, 4))
    blank = []
    for r in rows:
        im = Image.open(os.path.join(OUT, r["png"])).convert("RGBA")
        if im.size != (128, 128):
            im = im.resize((128, 128), Image.BOX)
        big[r["i"]] = np.asarray(im)
        if big[r["i"], ..., 3].max() == 0:
            blank.append(f'{r["style"]}/{r["concept"]}')
    labels = np.array([[r["c"], r["s"]] for r in rows], dtype=np.int32)
    np.save(os.path.join(OUT, "labels.npy"), labels)
    for size in (64, 32):
        small = np.empty((n, size, size, 4), np.uint8)
        for i in range(0, n, 512):  # chunks keep the float32 copy small
            small[i:i + 512] = area_down(np.asarray(big[i:i + 512]), 128 // size)
        np.save(os.path.join(OUT, f"rgba{size}.npy"), small)
    big.flush()
    print(f"pack: {n} images -> rgba128/64/32.npy, labels.npy; blank renders: {len(blank)} {blank[:10]}")


if __name__ == "__main__":
    main()
