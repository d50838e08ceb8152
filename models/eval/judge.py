"""The concept classifier ("judge") trained by models/eval/tiny-eval.py on REAL 32x32 images
(committed: models/eval/judges/concept-judge.pt), for evaluators of other models to reuse.

The judges are committed, not retrained per machine: training the same 600 steps from the same
seed on another CPU gives a different network (float sums in another order), and every
recorded concept score moved with it (real held-out top-5 21.8% -> 19.3%, 2026-11-25).

Same architecture as tiny-eval.py's Judge (the state dict loads into either); predictions
are pooled per family (gender/hair variants of a concept count as one answer).
"""
import hashlib
import os

import numpy as np
import torch
import torch.nn as nn

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))
JUDGES = os.path.join(ROOT, "models/eval/judges")
JUDGE_PATH = os.path.join(JUDGES, "concept-judge.pt")


def load_judge(path):
    """The committed judge's checkpoint, or a clear exit naming what to do when it is missing."""
    if not os.path.exists(path):
        raise SystemExit(f"{path} missing: it is committed (restore it with git checkout); retraining it changes "
                         "every recorded score measured with it (models/eval/judges/README.md)")
    return torch.load(path)


def judge_record(path, ck, keys=("steps", "epochs", "seconds", "train_images")):
    """What a metrics file records about the judge that scored it: how it was trained, and the
    committed file's sha256, which tests/node/model-quality.test.mjs checks against the file
    (a retrained judge without re-recorded metrics then fails CI, which has no torch)."""
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    return {**{k: ck[k] for k in keys if k in ck}, "file": os.path.relpath(path, ROOT), "sha256": digest}


def save_judge(net, path, **info):
    """Weights stored as float16 (half the bytes in git); evaluators load them into float32
    modules, so the committed file is exactly what every recorded metric was measured with."""
    torch.save({"net": {k: (v.half() if v.is_floating_point() else v) for k, v in net.state_dict().items()}, **info}, path)


def judge_eval_rows(manifest, concepts, labels, heldout_concept_rows):
    """The one image per held-out concept the judge never trains on (its style picked by
    sha256 of the concept id): concept index -> row."""
    by_concept = {}
    for r in heldout_concept_rows:
        by_concept.setdefault(int(labels[r, 0]), []).append(int(r))
    out = {}
    for c, rs in by_concept.items():
        rs = sorted(rs, key=lambda r: manifest[r]["style"])
        out[c] = rs[int(hashlib.sha256(("huabu-judge-v1|" + concepts[c]["id"]).encode()).hexdigest(), 16) % len(rs)]
    return out


class Judge(nn.Module):
    def __init__(self, n_classes, w=32):
        super().__init__()

        def blk(ci, co):
            return nn.Sequential(nn.Conv2d(ci, co, 3, padding=1, bias=False), nn.BatchNorm2d(co), nn.ReLU(inplace=True),
                                 nn.Conv2d(co, co, 3, padding=1, bias=False), nn.BatchNorm2d(co), nn.ReLU(inplace=True))
        self.f = nn.Sequential(blk(3, w), nn.MaxPool2d(2), blk(w, 2 * w), nn.MaxPool2d(2), blk(2 * w, 4 * w),
                               nn.MaxPool2d(2), blk(4 * w, 4 * w), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(4 * w, n_classes)

    def features(self, x):
        return self.f(x)

    def forward(self, x):
        return self.head(self.features(x))


class FamilyJudge:
    """judge(x [N,3,32,32] in [-1,1] on white) -> family probabilities [N, families]."""

    def __init__(self, concepts, path=JUDGE_PATH):
        ck = load_judge(path)
        self.net = Judge(len(concepts))
        self.net.load_state_dict(ck["net"])
        self.net.eval()
        self.info = judge_record(path, ck)
        fams = sorted({c["family"] for c in concepts})
        self.fam_of = np.array([fams.index(c["family"]) for c in concepts])
        self.n_families = len(fams)

    @torch.no_grad()
    def __call__(self, x):
        probs = torch.cat([torch.softmax(self.net(x[i:i + 256]), 1) for i in range(0, len(x), 256)]).numpy()
        fam = np.zeros((len(probs), self.n_families), np.float32)
        np.add.at(fam.T, self.fam_of, probs.T)
        return fam

    def topk(self, fam_probs, fam_true, k, candidates=None):
        """Share of rows whose true family is among the k most likely, over all families or
        only among `candidates` (e.g. the families of the evaluated set)."""
        if candidates is not None:
            fam_probs = np.where(np.isin(np.arange(self.n_families), candidates)[None], fam_probs, -1)
        top = np.argsort(-fam_probs, 1)[:, :k]
        return float(np.mean([t in row for t, row in zip(fam_true, top)]))
