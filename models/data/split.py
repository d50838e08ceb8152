#!/usr/bin/python3
"""Writes the fixed train/held-out split, models/data/split.json, from .cache/data/concepts.json.

Deterministic, no random state:
- held-out concepts: a family (a concept plus its gender/hair variants, see lib/hex.mjs) is held
  out when sha256("huabu-split-v1|" + family id) read as a fraction is < HELD_OUT; the whole family
  goes, so no variant of a held-out concept is seen in training.
- held-out images: for each training concept with images in at least two styles, one style is
  held out: styles[sha256("huabu-style-v1|" + concept id) mod len(styles)]. openmoji and
  openmoji-outline count as one style (a pair), so held-out sketch pairs are complete.
`--check` recomputes and fails if split.json differs (run after a data rebuild).
"""
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.environ.get("HUABU_DATA_DIR") or os.path.join(HERE, "../../.cache/data")
HELD_OUT = 0.10
PAIRED = {"openmoji-outline": "openmoji"}


def frac(s):
    return int.from_bytes(hashlib.sha256(s.encode()).digest()[:8], "big") / 2.0**64


def make_split(concepts):
    held, train, held_images = [], [], {}
    for c in concepts:
        if frac("huabu-split-v1|" + c["family"]) < HELD_OUT:
            held.append(c)
            continue
        train.append(c["id"])
        units = sorted({PAIRED.get(s, s) for s in c["styles"]})
        if len(units) < 2:
            continue
        h = int(hashlib.sha256(("huabu-style-v1|" + c["id"]).encode()).hexdigest(), 16)
        unit = units[h % len(units)]
        held_images[c["id"]] = sorted(s for s in c["styles"] if PAIRED.get(s, s) == unit)
    n_img = sum(len(c["styles"]) for c in concepts)
    n_held_img = sum(len(c["styles"]) for c in held)
    n_held_style = sum(len(v) for v in held_images.values())
    per_style, held_ids = {}, {c["id"] for c in held}
    for c in concepts:
        for s in c["styles"]:
            part = "heldout_concept" if c["id"] in held_ids else ("heldout_image" if s in held_images.get(c["id"], []) else "train")
            per_style.setdefault(s, {"train": 0, "heldout_image": 0, "heldout_concept": 0})[part] += 1
    return {
        "version": 1,
        "rule": "family held out if sha256('huabu-split-v1|'+family) < 0.10; one style per training concept "
                "held out by sha256('huabu-style-v1|'+id) mod #styles (openmoji+outline as one)",
        "counts": {
            "concepts": len(concepts), "train_concepts": len(train), "heldout_concepts": len(held),
            "heldout_families": len({c["family"] for c in held}), "images": n_img,
            "train_images": n_img - n_held_img - n_held_style, "heldout_image_images": n_held_style,
            "heldout_concept_images": n_held_img, "per_style": per_style,
        },
        "train_concepts": train,
        "heldout_concepts": [c["id"] for c in held],
        "heldout_images": held_images,
        # the text side of the held-out concepts, so prompt evaluations need no dataset build
        "heldout_prompts": {c["id"]: {"en": c["name"], "zh": c["name_zh"], "group": c["group"]} for c in held},
    }


def dump(split):
    # one top-level key per line keeps diffs readable and the file small
    body = ",\n".join(f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in split.items())
    return "{\n" + body + "\n}\n"


def main():
    concepts = json.load(open(os.path.join(DATA, "concepts.json"), encoding="utf-8"))
    text = dump(make_split(concepts))
    path = os.path.join(HERE, "split.json")
    if "--check" in sys.argv:
        same = os.path.exists(path) and open(path, encoding="utf-8").read() == text
        print("split.json " + ("matches the data" if same else "DIFFERS from the data: rerun split.py"))
        sys.exit(0 if same else 1)
    open(path, "w", encoding="utf-8").write(text)
    print("split.json:", json.dumps(make_split(concepts)["counts"]))


if __name__ == "__main__":
    main()
