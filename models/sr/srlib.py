"""Shared pieces of Huabu's super-resolution training: models, resizers, metrics.

Everything here matches the evaluation protocol of models/eval/sr-eval.mjs:
- `box_down`: area (box) downscale by an integer factor;
- `BicubicUp`: Keys cubic (a = -0.5), half-pixel centres, replicated edges, written as one
  fixed 5x5 convolution to s*s*3 channels followed by pixel shuffle (exact, any s);
- `psnr`, `ssim_y`: PSNR on RGB / BT.601 luma and SSIM (11x11 Gaussian, sigma 1.5) on luma.

Models (all take and return float NCHW RGB on the 0..255 scale):
- `ResSR`: compact plain conv net on the low-resolution grid whose output, s*s*3 channels,
  is added to the bicubic branch before the pixel shuffle: it predicts the residual over
  bicubic, so with its last layer at zero it *is* bicubic.
- `RDNSR`: UpscalerJS esrgan-slim's RDN, rebuilt from its TF.js files by
  models/tools/tfjs_layers_to_onnx.py (imported, not copied), optionally plus the bicubic
  branch (the RDN output then becomes a residual).
"""
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "../.."))
CACHE = os.path.join(ROOT, ".cache/sr-train")
SKIMAGE_DIR = "/usr/lib/python3/dist-packages/skimage/data"
HELDOUT_PHOTOS = ["astronaut.png", "chelsea.png", "coffee.png", "ihc.png", "motorcycle_left.png", "rocket.jpg"]


# ----------------------------------------------------------------------------- resizers
def keys(t, a=-0.5):
    t = abs(t)
    if t <= 1:
        return ((a + 2) * t - (a + 3)) * t * t + 1
    if t < 2:
        return (((t - 5) * t + 8) * t - 4) * a
    return 0.0


def bicubic_kernel(s, a=-0.5):
    """[3*s*s, 3, 5, 5] conv weight: output channel c*s*s + py*s + px (pixel_shuffle order)
    is the bicubic value of sub-pixel (py, px) of colour c, from taps at offsets -2..2."""
    taps1d = np.zeros((s, 5))
    for p in range(s):
        d = (p + 0.5) / s - 0.5  # source position relative to the LR pixel
        f = math.floor(d)
        for j in range(f - 1, f + 3):
            taps1d[p, j + 2] = keys(d - j, a)
    w = np.zeros((3 * s * s, 3, 5, 5), np.float32)
    for c in range(3):
        for py in range(s):
            for px in range(s):
                w[c * s * s + py * s + px, c] = np.outer(taps1d[py], taps1d[px])
    return torch.from_numpy(w)


class BicubicUp(nn.Module):
    """Bicubic x s as edge-pad + fixed conv; `pre_shuffle` returns the s*s*3 channels."""

    def __init__(self, s):
        super().__init__()
        self.s = s
        self.register_buffer("weight", bicubic_kernel(s))

    def pre_shuffle(self, x):
        return F.conv2d(F.pad(x, (2, 2, 2, 2), mode="replicate"), self.weight)

    def forward(self, x):
        return F.pixel_shuffle(self.pre_shuffle(x), self.s)


def box_down(x, s):
    """NCHW float, H and W multiples of s."""
    return F.avg_pool2d(x, s)


# ----------------------------------------------------------------------------- models
class ResSR(nn.Module):
    """skip: edge-pad + 5x5 conv (3 -> 3 s^2), initialised to bicubic and trained (a learned
    linear upsampler); residual: conv(3->c) relu, n x [conv(c->c) relu], conv(c->3 s^2), last
    layer initialised to zero. Sum, then pixel shuffle. At initialisation it *is* bicubic.
    The residual branch sees inputs / 255 (folded into its first conv at export)."""

    def __init__(self, s, c=48, n=6, k_first=3):
        super().__init__()
        self.s, self.c, self.n = s, c, n
        self.skip = nn.Conv2d(3, 3 * s * s, 5)
        with torch.no_grad():
            self.skip.weight.copy_(bicubic_kernel(s))
            self.skip.bias.zero_()
        self.head = nn.Conv2d(3, c, k_first, padding=k_first // 2)
        self.body = nn.ModuleList([nn.Conv2d(c, c, 3, padding=1) for _ in range(n)])
        self.tail = nn.Conv2d(c, 3 * s * s, 3, padding=1)
        nn.init.zeros_(self.tail.weight)
        nn.init.zeros_(self.tail.bias)
        for m in [self.head, *self.body]:
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            nn.init.zeros_(m.bias)

    def residual(self, x):
        h = F.relu(self.head(x / 255.0))
        for conv in self.body:
            h = F.relu(conv(h))
        return self.tail(h) * 255.0

    def forward(self, x):
        return F.pixel_shuffle(self.skip(F.pad(x, (2, 2, 2, 2), mode="replicate")) + self.residual(x), self.s)


def load_converter():
    sys.path.insert(0, os.path.join(ROOT, "models/tools"))
    import tfjs_layers_to_onnx as conv  # noqa: E402
    return conv


def esrgan_slim_json(s):
    return os.path.join(ROOT, f"node_modules/@upscalerjs/esrgan-slim/models/x{s}/model.json")


class RDNSR(nn.Module):
    """esrgan-slim's RDN (graph and weights from the TF.js files via the converter)."""

    def __init__(self, s, residual=False):
        super().__init__()
        import json
        conv = load_converter()
        path = esrgan_slim_json(s)
        spec = json.load(open(path))
        cfg = spec["modelTopology"]["model_config"]["config"]
        weights = conv.read_weights(os.path.dirname(path), spec["weightsManifest"])
        self.net = conv.KerasGraph(cfg, weights)
        self.s, self.residual_mode = s, residual
        if residual:
            self.bic = BicubicUp(s)
            last = self.net.convs[self.net.outputs[0]]
            nn.init.zeros_(last.weight)
            nn.init.zeros_(last.bias)

    def forward(self, x):
        y = self.net(x)
        return y + self.bic(x) if self.residual_mode else y


def build_model(arch, s, **kw):
    if arch == "res":
        return ResSR(s, c=kw.get("channels", 48), n=kw.get("blocks", 6))
    if arch == "rdn":
        return RDNSR(s, residual=False)
    if arch == "rdnres":
        return RDNSR(s, residual=True)
    raise ValueError(arch)


# ----------------------------------------------------------------------------- metrics
def luma(x):
    """x: [..., 3, H, W] 0..255 -> BT.601 Y, 16..235 (as models/eval/metrics.mjs)."""
    x = x.double()
    return 16 + (65.481 * x[..., 0, :, :] + 128.553 * x[..., 1, :, :] + 24.966 * x[..., 2, :, :]) / 255


def to8(x):
    return x.clamp(0, 255).round()


def psnr(a, b):
    mse = float(((a.double() - b.double()) ** 2).mean())
    return 99.0 if mse == 0 else 10 * math.log10(255.0 ** 2 / mse)


def _gauss(size=11, sigma=1.5):
    g = torch.tensor([math.exp(-((i - size // 2) ** 2) / (2 * sigma ** 2)) for i in range(size)], dtype=torch.float64)
    g = g / g.sum()
    return torch.outer(g, g)[None, None]


def ssim_plane(a, b):
    """a, b: [H, W] float 0..255; valid-window SSIM mean (11x11 Gaussian, sigma 1.5)."""
    w = _gauss()
    a, b = a.double()[None, None], b.double()[None, None]
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    mu_a, mu_b = F.conv2d(a, w), F.conv2d(b, w)
    saa = F.conv2d(a * a, w) - mu_a ** 2
    sbb = F.conv2d(b * b, w) - mu_b ** 2
    sab = F.conv2d(a * b, w) - mu_a * mu_b
    m = ((2 * mu_a * mu_b + c1) * (2 * sab + c2)) / ((mu_a ** 2 + mu_b ** 2 + c1) * (saa + sbb + c2))
    return float(m.mean())


def quality(out, hr, s):
    """out, hr: [3, H, W] 8-bit valued floats; shave s px per border like sr-eval.mjs."""
    o, h = out[:, s:-s, s:-s], hr[:, s:-s, s:-s]
    yo, yh = luma(o), luma(h)
    return {"psnr_rgb": psnr(o, h), "psnr_y": psnr(yo, yh), "ssim_y": ssim_plane(yo, yh)}


def load_rgb(path):
    from PIL import Image
    im = Image.open(path).convert("RGB")
    return torch.from_numpy(np.asarray(im).copy()).permute(2, 0, 1).float()


@torch.no_grad()
def eval_pair(model, hr, s):
    """hr: [3, H, W] 0..255 (multiple of s). Returns (sr quality, bicubic quality)."""
    lr = to8(box_down(hr[None], s))
    sr = to8(model(lr))[0] if model is not None else None
    bic = to8(BicubicUp(s)(lr))[0]
    return (quality(sr, hr, s) if sr is not None else None), quality(bic, hr, s)


def heldout_photos(s, crop=None):
    """The six held-out skimage photos (crop: centre crop size in HR px, or whole image)."""
    out = []
    for f in HELDOUT_PHOTOS:
        x = load_rgb(os.path.join(SKIMAGE_DIR, f))
        _, H, W = x.shape
        if crop:
            y0, x0 = (H - crop) // 2, (W - crop) // 2
            x = x[:, y0:y0 + crop, x0:x0 + crop]
        else:
            x = x[:, : H - H % s, : W - W % s]
        out.append((f, x))
    return out


def mean_rows(rows):
    keys_ = ["psnr_rgb", "psnr_y", "ssim_y"]
    return {k: sum(r[k] for r in rows) / len(rows) for k in keys_}


@torch.no_grad()
def eval_set(model, images, s):
    """images: list of (name, [3,H,W]); returns dict with per-image and mean gains."""
    rows = []
    for name, hr in images:
        q, b = eval_pair(model, hr, s)
        rows.append({"image": name, "sr": q, "bicubic": b,
                     "gain_db_rgb": q["psnr_rgb"] - b["psnr_rgb"], "gain_db_y": q["psnr_y"] - b["psnr_y"]})
    sr, bic = mean_rows([r["sr"] for r in rows]), mean_rows([r["bicubic"] for r in rows])
    return {"images": rows, "mean": {"sr": sr, "bicubic": bic, "gain_db_rgb": sr["psnr_rgb"] - bic["psnr_rgb"],
                                     "gain_db_y": sr["psnr_y"] - bic["psnr_y"]}}
