"""What the huabu-sketch and huabu-style exporters share: their arguments, loading the EMA
generator from a training checkpoint, and the files written after the ONNX graph (a manifest
from the recipe's template when there is none, the committed checkpoint: generator and
PatchGAN, no optimisers; a summary line)."""
import argparse
import json
import os

import torch

import sketchlib as S


def export_arguments(model_id, cache_name):
    p = argparse.ArgumentParser()
    p.add_argument("--ckpt", default=os.path.join(S.ROOT, f".cache/{cache_name}-train/ckpt.pt"))
    p.add_argument("--out", default=os.path.join(S.ROOT, f"models/{model_id}"))
    p.add_argument("--check-dir", default=os.path.join(S.ROOT, f".cache/{cache_name}-export"))
    p.add_argument("--checkpoint-out", default="",
                   help="also write the committed checkpoint here: the exported G and the PatchGAN (no optimisers)")
    p.add_argument("--weights", choices=["G_ema", "G"], default="G_ema",
                   help="the generator's EMA (default) or its raw weights: an EMA with decay 0.999 still "
                        "remembers the start of a run shorter than ~5,000 steps")
    return p


def load_generator(args, in_ch=1):
    """-> (G with the chosen weights (--weights), eval mode; the checkpoint). Makes the output folders."""
    S.setup_torch(2)
    os.makedirs(args.out, exist_ok=True)
    os.makedirs(args.check_dir, exist_ok=True)
    ck = torch.load(args.ckpt)
    G = S.Generator(ck["args"]["ngf"], ck["args"]["max_mult"], in_ch=in_ch)
    G.load_state_dict(ck[args.weights])
    return G.eval(), ck


def finish_export(args, ck, template_path, summary):
    manifest_path = os.path.join(args.out, "manifest.json")
    if not os.path.exists(manifest_path):  # hashes: node models/tools/write_manifest.mjs <out>
        m_t = json.load(open(template_path))
        if not args.checkpoint_out:
            m_t["provenance"]["files"] = [f for f in m_t["provenance"]["files"] if not f["path"].endswith(".pt")]
        json.dump(m_t, open(manifest_path, "w"), indent=2)
    if args.checkpoint_out:
        os.makedirs(os.path.dirname(os.path.abspath(args.checkpoint_out)), exist_ok=True)
        # the float32 weights as trained (fine-tuning starts from these, not the rounded ones); under
        # "G_ema", the key the trainers' --init reads, whichever weights were exported. The PatchGAN
        # too (float16, 1.3 MB): a new machine has no .cache, and a run resumed with a fresh D spends
        # its first minutes teaching D what this one knew
        d = {k: (v.half() if v.is_floating_point() else v) for k, v in ck["D"].items()}
        torch.save({"G_ema": ck[args.weights], "D": d, "exported_weights": args.weights, "args": ck["args"],
                    "state": ck["state"]}, args.checkpoint_out)
    print(json.dumps({**summary, "weights": args.weights, "step": ck["state"]["step"], "images": ck["state"]["images"]}))
