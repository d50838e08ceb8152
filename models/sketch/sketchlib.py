"""huabu-sketch: shared code for training, export and evaluation.

Sketch -> colour emoji at 128x128, pix2pix style: a U-Net generator conditioned on an
optional style mix, a PatchGAN discriminator, and the line-drawing synthesis that turns
every colour image of the data set into a sketch a person might draw.

Pixels: RGB composited on white in [-1, 1]. Sketch: one channel in [-1, 1], white paper =
+1, ink = -1 (what the app's canvas gives after greyscale conversion).
Style: float [B, 7] weights over noto, twemoji, openmoji, fluent-flat, fluent-3d,
openmoji-outline, any (one-hot normally; a mix blends styles; all weight on "any" = no
preference). Float rather than an id so the app can blend and so every input is float32.
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))
DATA = os.environ.get("HUABU_DATA_DIR") or os.path.join(ROOT, ".cache/data")
STYLES = ["noto", "twemoji", "openmoji", "fluent-flat", "fluent-3d", "openmoji-outline", "any"]
N_STYLES = len(STYLES)
OPENMOJI, OUTLINE, ANY = 2, 5, 6
COLOUR_STYLES = [0, 1, 2, 3, 4]


def setup_torch(threads=2):
    torch.set_num_threads(threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass


# --------------------------------------------------------------------------- models


class Down(nn.Module):
    def __init__(self, cin, cout, norm=True):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 4, 2, 1, bias=not norm)
        self.norm = nn.InstanceNorm2d(cout, affine=True) if norm else nn.Identity()

    def forward(self, x):
        return self.norm(self.conv(F.leaky_relu(x, 0.2)))


class Up(nn.Module):
    # nearest x2 + 3x3 conv instead of a transposed conv: no checkerboard artefacts
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, 1, 1, bias=False)
        self.norm = nn.InstanceNorm2d(cout, affine=True)

    def forward(self, x):
        return self.norm(self.conv(F.interpolate(F.relu(x), scale_factor=2.0, mode="nearest")))


class Generator(nn.Module):
    """U-Net, 5 stride-2 levels (128 -> 4 px), skip connections, style FiLM at the bottom.

    sketch [B,in_ch,H,W] in [-1,1] + style [B,7] -> image [B,3,H,W] in [-1,1] (tanh).
    H, W: any multiple of 32 (trained at 64 and 128). in_ch: 1 for a sketch (huabu-sketch),
    3 for an RGB picture (huabu-style, models/style/)."""

    def __init__(self, ngf=32, max_mult=4, in_ch=1):
        super().__init__()
        # channels per level, capped at max_mult * ngf: the 8x cap of pix2pix gives 5.3 M
        # parameters (21 MB), over the app's model budget; 4x gives 1.5 M
        c = [ngf * min(2 ** i, max_mult) for i in range(5)]
        self.inc = nn.Conv2d(in_ch, c[0], 3, 1, 1)
        self.downs = nn.ModuleList([Down(c[0], c[1]), Down(c[1], c[2]), Down(c[2], c[3]), Down(c[3], c[4]),
                                    Down(c[4], c[4], norm=False)])
        self.bottom = c[4]
        self.style = nn.Linear(N_STYLES, 2 * c[4])
        nn.init.zeros_(self.style.weight)
        nn.init.zeros_(self.style.bias)
        self.ups = nn.ModuleList([Up(c[4], c[4]), Up(2 * c[4], c[3]), Up(2 * c[3], c[2]), Up(2 * c[2], c[1]),
                                  Up(2 * c[1], c[0])])
        self.out = nn.Conv2d(2 * c[0], 3, 3, 1, 1)

    def forward(self, sketch, style):
        x = self.inc(sketch)
        skips = [x]
        for d in self.downs:
            x = d(x)
            skips.append(x)
        # constant slices, not chunk(): chunk exports as Shape/Gather arithmetic on the batch
        # size, which OpenCV's dnn importer (the native engine) cannot take
        film = self.style(style)[:, :, None, None]
        s, b = film[:, :self.bottom], film[:, self.bottom:]
        x = x * (1 + s) + b
        skips.pop()
        for u in self.ups:
            x = torch.cat([u(x), skips.pop()], 1)
        return torch.tanh(self.out(F.relu(x)))


class PatchD(nn.Module):
    """PatchGAN on (input, image[, requested style]): 3 stride-2 convs + 2 stride-1 -> a logit
    per ~70 px patch. With style_ch > 0 the style one-hot is fed as constant planes, so D judges
    "is this a real picture in the style that was asked for", not just "a real picture": without
    it, a generator that returns its input in its own style fools D on a cross-set request."""

    def __init__(self, ndf=32, in_ch=1, style_ch=0):
        super().__init__()
        self.style_ch = style_ch

        def blk(ci, co, stride, norm=True):
            return [nn.Conv2d(ci, co, 4, stride, 1), *([nn.InstanceNorm2d(co, affine=True)] if norm else []),
                    nn.LeakyReLU(0.2, True)]
        self.net = nn.Sequential(*blk(in_ch + 3 + style_ch, ndf, 2, False), *blk(ndf, 2 * ndf, 2),
                                 *blk(2 * ndf, 4 * ndf, 2), *blk(4 * ndf, 8 * ndf, 1), nn.Conv2d(8 * ndf, 1, 4, 1, 1))

    def forward(self, sketch, image, style=None):
        x = [sketch, image]
        if self.style_ch:
            x.append(style[:, :, None, None].expand(-1, -1, *image.shape[2:]).to(image.dtype))
        return self.net(torch.cat(x, 1))


def widen_d_input(d_state, in_channels):
    """PatchD weights saved with fewer input channels (before style conditioning) -> weights for
    in_channels: the added channels get zero weights, so D starts out judging exactly as before.
    -> (state, widened?)."""
    w = d_state["net.0.weight"]
    if w.shape[1] > in_channels:
        # narrowing would throw away what D learnt from the style planes: refuse with the reason
        raise SystemExit(f"the saved PatchGAN reads {w.shape[1]} input channels and this run's reads {in_channels}: "
                         "it was trained seeing the requested style; resume it with --d-sees-style")
    if w.shape[1] == in_channels:
        return d_state, False
    out = dict(d_state)
    out["net.0.weight"] = torch.cat([w, w.new_zeros(w.shape[0], in_channels - w.shape[1], *w.shape[2:])], 1)
    return out, True


def count_params(m):
    return sum(p.numel() for p in m.parameters())


# --------------------------------------------------------------------------- data


def load_split():
    return json.load(open(os.path.join(ROOT, "models/data/split.json"), encoding="utf-8"))


def load_concepts():
    return json.load(open(os.path.join(DATA, "concepts.json"), encoding="utf-8"))


def load_manifest():
    return [json.loads(l) for l in open(os.path.join(DATA, "manifest.jsonl"), encoding="utf-8") if l.strip()]


def split_of(manifest, split):
    """row -> 'train' | 'heldout_image' | 'heldout_concept' (the data set's fixed split)."""
    train_c = set(split["train_concepts"])
    held = split["heldout_images"]
    out = []
    for r in manifest:
        if r["concept"] not in train_c:
            out.append("heldout_concept")
        elif r["style"] in held.get(r["concept"], []):
            out.append("heldout_image")
        else:
            out.append("train")
    return out


def style_rows(manifest, concepts, split, part, drop_flags=False):
    """concept id -> {style index: row} for one split part ('train' | 'heldout_image' |
    'heldout_concept')."""
    by = {}
    for r, w in zip(manifest, split_of(manifest, split)):
        if w == part and not (drop_flags and concepts[r["c"]]["group"] == "flags"):
            by.setdefault(r["concept"], {})[r["s"]] = r["i"]
    return by


def pairs(manifest, concepts, split, part):
    """Training/evaluation pairs of one split part, flags dropped (bare rectangles as outlines).

    -> (outline_rows, colour_rows_of_outlines, colour_rows): OpenMoji outline -> colour pairs,
    and every colour image (synthetic sketches are drawn from it)."""
    by = style_rows(manifest, concepts, split, part, drop_flags=True)
    outline, colour_of, colour = [], [], []
    for cid in sorted(by):
        st = by[cid]
        if OUTLINE in st and OPENMOJI in st:
            outline.append(st[OUTLINE])
            colour_of.append(st[OPENMOJI])
        colour.extend(st[s] for s in sorted(st) if s in COLOUR_STYLES)
    return np.array(outline, np.int64), np.array(colour_of, np.int64), np.array(colour, np.int64)


def load_images(size=128):
    return np.load(os.path.join(DATA, f"rgba{size}.npy"), mmap_mode="r")


class EvalData:
    """What the sketch and style evaluators read: manifest, concepts, split, labels, the
    128-px images (memory-mapped); load(rows) -> RGB on white in [-1, 1], load_with_alpha(rows)
    -> (RGB, alpha) as to_rgb_white."""

    def __init__(self, size=128):
        self.manifest, self.concepts, self.split = load_manifest(), load_concepts(), load_split()
        self.labels = np.load(os.path.join(DATA, "labels.npy"))
        self.images = load_images(size)

    def load_with_alpha(self, rows):
        return to_rgb_white(torch.from_numpy(np.ascontiguousarray(self.images[rows])))

    def load(self, rows):
        return self.load_with_alpha(rows)[0]


def to_rgb_white(rgba_u8):
    """uint8 tensor [B,H,W,4] -> float [B,3,H,W] in [-1,1] on white, and alpha [B,1,H,W] in [0,1]."""
    x = rgba_u8.float().permute(0, 3, 1, 2) / 255.0
    a = x[:, 3:4]
    return (x[:, :3] * a + (1 - a)) * 2 - 1, a


def to_uint8(x):
    return ((x.clamp(-1, 1) + 1) * 127.5).round().byte().permute(0, 2, 3, 1).numpy()


def save_grid(imgs_u8, rows, path, scale=1):
    from PIL import Image
    n, h, w, _ = imgs_u8.shape
    cols = (n + rows - 1) // rows
    grid = np.full((rows * (h + 2), cols * (w + 2), 3), 255, np.uint8)
    for i in range(n):
        r, c = divmod(i, cols)
        grid[r * (h + 2) + 1: r * (h + 2) + 1 + h, c * (w + 2) + 1: c * (w + 2) + 1 + w] = imgs_u8[i]
    im = Image.fromarray(grid)
    if scale != 1:
        im = im.resize((im.width * scale, im.height * scale), Image.NEAREST)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    im.save(path)


# --------------------------------------------------------------------------- sketch synthesis
# Everything works on ink maps: float [B,1,H,W], 1 = ink, 0 = paper.


def gaussian_blur(x, sigma):
    """Separable Gaussian blur with a per-batch-item sigma (tensor [B]) or a float."""
    b = x.shape[0]
    sig = sigma.float().reshape(b) if torch.is_tensor(sigma) else torch.full((b,), float(sigma))
    r = int(math.ceil(3 * float(sig.max())))
    if r == 0:
        return x
    t = torch.arange(-r, r + 1, dtype=torch.float32)
    k = torch.exp(-t[None] ** 2 / (2 * sig[:, None].clamp_min(1e-3) ** 2))
    k = k / k.sum(1, keepdim=True)  # [B, K]
    c = x.shape[1]
    y = x.reshape(1, b * c, *x.shape[2:])
    kk = k.repeat_interleave(c, 0)
    y = F.conv2d(F.pad(y, (r, r, 0, 0), mode="replicate"), kk[:, None, None, :], groups=b * c)
    y = F.conv2d(F.pad(y, (0, 0, r, r), mode="replicate"), kk[:, None, :, None], groups=b * c)
    return y.reshape(x.shape)


def xdog(rgb, sigma, k=1.6, tau=0.98, eps=-0.02, phi=60.0):
    """Extended difference of Gaussians (Winnemoeller 2012) on luminance -> ink map.
    rgb in [-1,1]; sigma float tensor [B] (line scale)."""
    lum = ((rgb + 1) / 2 * torch.tensor([0.299, 0.587, 0.114])[None, :, None, None]).sum(1, keepdim=True)
    d = gaussian_blur(lum, sigma) - tau * gaussian_blur(lum, sigma * k)
    paper = torch.where(d >= eps, torch.ones_like(d), 1 + torch.tanh(phi * (d - eps)))
    return (1 - paper).clamp(0, 1)


def silhouette(alpha, width=1):
    """Outline of the opaque region (alpha > 0.5): dilation minus erosion."""
    m = (alpha > 0.5).float()
    k = 2 * width + 1
    return (F.max_pool2d(m, k, 1, width) - (-F.max_pool2d(-m, k, 1, width))).clamp(0, 1)


def smooth_noise(b, h, w, cells, g):
    """Low-frequency noise in [-1,1]: random values on a cells x cells grid, bicubic upsampled."""
    n = torch.rand(b, 1, cells, cells, generator=g) * 2 - 1
    return F.interpolate(n, size=(h, w), mode="bicubic", align_corners=False)


def freehand(ink, g, strength=1.0):
    """Make a clean ink map look drawn by hand: global affine jitter, a smooth wobble of the
    lines, stroke width change, gaps (dropped stroke pieces) and a little speckle.
    strength 0 = unchanged, 1 = the training distribution's strongest setting."""
    b, _, h, w = ink.shape
    # affine jitter (+-6 deg, scale 0.9-1.1, shift +-4%) plus a smooth displacement field (wobble)
    ang = (torch.rand(b, generator=g) - 0.5) * 2 * math.radians(6) * strength
    sc = 1 + (torch.rand(b, generator=g) - 0.5) * 0.2 * strength
    sh = (torch.rand(2, b, generator=g) - 0.5) * 0.08 * strength
    theta = torch.zeros(b, 2, 3)
    theta[:, 0, 0] = torch.cos(ang) / sc
    theta[:, 0, 1] = -torch.sin(ang) / sc
    theta[:, 1, 0] = torch.sin(ang) / sc
    theta[:, 1, 1] = torch.cos(ang) / sc
    theta[:, 0, 2], theta[:, 1, 2] = sh[0], sh[1]
    grid = F.affine_grid(theta, ink.shape, align_corners=False)
    amp = (torch.rand(b, 1, 1, 1, generator=g) * 3.0 * strength) * 2 / w  # up to ~3 px
    wob = torch.cat([smooth_noise(b, h, w, 6, g), smooth_noise(b, h, w, 6, g)], 1).permute(0, 2, 3, 1)
    y = F.grid_sample(ink, grid + wob * amp.view(b, 1, 1, 1), align_corners=False, padding_mode="zeros")
    # stroke width: binarise, then thin (erode) / keep / thicken (dilate) per image
    y = (y > 0.35).float()
    choice = torch.randint(0, 4, (b,), generator=g) if strength > 0 else torch.ones(b, dtype=torch.long)
    thick = F.max_pool2d(y, 3, 1, 1)
    thicker = F.max_pool2d(y, 5, 1, 2)
    thin = y * (F.avg_pool2d(y, 3, 1, 1) > 0.5).float()  # drops pixels at stroke borders only
    y = torch.stack([thin, y, thick, thicker], 1)[torch.arange(b), choice]
    # gaps: remove ink where a smooth noise field is high (0-25% of the area)
    gap = smooth_noise(b, h, w, 12, g) > (1 - torch.rand(b, 1, 1, 1, generator=g) * 0.5 * strength)
    y = y * (~gap).float()
    # speckle of stray dots, then soften edges like an anti-aliased brush
    dots = (torch.rand(b, 1, h, w, generator=g) < 0.0002 * strength).float()
    y = torch.maximum(y, F.max_pool2d(dots, 3, 1, 1))
    return gaussian_blur(y, 0.6).clamp(0, 1)


def colour_edges(rgb, threshold):
    """Ink where the colour changes: Sobel gradient magnitude of the blurred RGB (max over
    channels) above `threshold` ([B] tensor, [0,1] scale). Catches edges between colours of
    equal luminance that XDoG misses (a white glyph on a light-blue key)."""
    x = gaussian_blur((rgb + 1) / 2, 0.7)
    kx = torch.tensor([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]]) / 4
    k = torch.stack([kx, kx.t()])[:, None].repeat(3, 1, 1, 1)  # [6,1,3,3]: x/y per channel
    gxy = F.conv2d(F.pad(x, (1, 1, 1, 1), mode="replicate"), k, groups=3)
    mag = (gxy[:, 0::2] ** 2 + gxy[:, 1::2] ** 2).sqrt().amax(1, keepdim=True)
    return (mag > threshold.view(-1, 1, 1, 1)).float()


def sketch_from_colour(rgb, alpha, g):
    """Line drawing of a colour image: XDoG lines at a random scale, colour edges, silhouette."""
    b = rgb.shape[0]
    sigma = 0.6 + torch.rand(b, generator=g) * 1.2
    lines = (xdog(rgb, sigma) > 0.5).float()
    edges = colour_edges(rgb, 0.12 + torch.rand(b, generator=g) * 0.15)
    return torch.maximum(torch.maximum(lines, edges), silhouette(alpha, 1))


def ink_to_input(ink):
    return 1 - 2 * ink  # paper +1, ink -1


def outline_ink(rgb):
    """OpenMoji outline images are black lines on white: ink = darkness."""
    lum = ((rgb + 1) / 2).mean(1, keepdim=True)
    return (1 - lum).clamp(0, 1)


def style_onehot(ids):
    return F.one_hot(torch.as_tensor(ids), N_STYLES).float()


# --------------------------------------------------------------------------- metrics


def psnr(a, b):
    """a, b in [-1,1] -> PSNR per image in dB on the [0,1] scale."""
    mse = (((a - b) / 2) ** 2).flatten(1).mean(1)
    return 10 * torch.log10(1 / mse.clamp_min(1e-10))


def ssim(a, b):
    """Mean SSIM per image (Gaussian window 11, sigma 1.5, per channel, [0,1] scale)."""
    x, y = (a + 1) / 2, (b + 1) / 2
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    t = torch.arange(11, dtype=torch.float32) - 5
    k = torch.exp(-t ** 2 / (2 * 1.5 ** 2))
    k = (k / k.sum())
    w = (k[:, None] * k[None]).expand(3, 1, 11, 11)

    def f(z):
        return F.conv2d(z, w, groups=3)
    mx, my = f(x), f(y)
    sxx, syy, sxy = f(x * x) - mx ** 2, f(y * y) - my ** 2, f(x * y) - mx * my
    s = ((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx ** 2 + my ** 2 + c1) * (sxx + syy + c2))
    return s.flatten(1).mean(1)


# --------------------------------------------------------------------------- training (shared with models/style)


@torch.no_grad()
def ema_update(G_ema, G, decay):
    for pe, pm in zip(G_ema.parameters(), G.parameters()):
        pe.mul_(decay).add_(pm.detach(), alpha=1 - decay)
    for be, bm in zip(G_ema.buffers(), G.buffers()):
        be.copy_(bm)


def pix2pix_step(G, D, opt_g, opt_d, inp, tgt, sty, l1_weight):
    """One pix2pix step: LSGAN PatchGAN on (input, image[, style]) + L1 to the target.
    l1_weight: a float or a per-image tensor [B]. -> (loss_d, loss_gan, loss_l1) floats."""
    fake = G(inp, sty)
    d_real, d_fake = D(inp, tgt, sty), D(inp, fake.detach(), sty)
    loss_d = 0.5 * (((d_real - 1) ** 2).mean() + (d_fake ** 2).mean())
    opt_d.zero_grad(set_to_none=True)
    loss_d.backward()
    opt_d.step()
    loss_gan = ((D(inp, fake, sty) - 1) ** 2).mean()
    l1 = (fake - tgt).abs().flatten(1).mean(1)
    w = l1_weight if torch.is_tensor(l1_weight) else torch.full_like(l1, float(l1_weight))
    loss_g = loss_gan + (w * l1).mean()
    opt_g.zero_grad(set_to_none=True)
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_gan.item(), l1.mean().item()
