"""huabu-tiny: shared code for training, sampling, export and evaluation.

Text encoder (word ids + style id -> conditioning vector), a ~2 M-parameter pixel-space UNet
predicting the rectified-flow velocity at 32x32 RGB (composited on white), the dataset over
.cache/data, captions (English + Chinese templates), Philox4x32-10 noise (same words as the
core's huabu::Philox) and the Euler + classifier-free-guidance sampler used for evaluation.

Flow convention: x_t = (1 - t) * x0 + t * noise, t in [0, 1]; the UNet predicts
v = noise - x0; sampling integrates from t = 1 (pure noise) down to t = 0 with Euler steps
x <- x + (t_next - t) * v. Pixel range: [-1, 1] (white background = +1).
"""
import json
import math
import os
import random
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))
DATA = os.environ.get("HUABU_DATA_DIR") or os.path.join(ROOT, ".cache/data")
sys.path.insert(0, os.path.join(ROOT, "models/data/vocab"))
import huabu_tokenizer  # noqa: E402

MAX_LEN = 16
STYLES = ["noto", "twemoji", "openmoji", "fluent-flat", "fluent-3d", "openmoji-outline"]
STYLE_ANY = 6  # CFG-dropout / "any style"
N_STYLES = 7


def setup_torch(threads=2):
    torch.set_num_threads(threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass


# --------------------------------------------------------------------------- model


class TextEncoder(nn.Module):
    """ids int64 [B, L] (0 = pad) + style int64 [B] -> cond float32 [B, COND (+ (L+1) * TOKENS)].

    Word vectors: frozen GloVe-100 (int8 file) passed through a learned linear map; words
    without a GloVe vector (digits, "3d", "emoji", ...) get a learned vector instead. No free
    per-word vector for GloVe words: held-out concepts' words are never trained, so a
    per-word table would make their (untrained) rows behave differently from trained ones.
    A learned BOS token is always present, so an empty prompt (CFG null) is well defined.
    With tokens > 0 the pooled vector is followed by every position's features (BOS + L
    words, `tokens` floats each, pads included as in Stable Diffusion's text encoder), which
    the UNet reads by cross-attention: one flat vector keeps the graph interface
    "cond [B, cond_dim]" of v0.2.
    """

    def __init__(self, glove, d=128, cond=256, layers=2, heads=4, tokens=0):
        super().__init__()
        g = torch.as_tensor(glove, dtype=torch.float32)
        self.register_buffer("glove", g, persistent=False)
        has = (g.abs().sum(1) > 0)
        self.register_buffer("has_vec", has.float()[:, None], persistent=False)
        novec = (~has).nonzero().flatten()
        remap = torch.full((g.shape[0],), 0, dtype=torch.long)
        remap[novec] = torch.arange(1, len(novec) + 1)  # 0 = "has a GloVe vector"
        self.register_buffer("novec_index", remap, persistent=False)
        self.novec = nn.Embedding(len(novec) + 1, d)
        nn.init.normal_(self.novec.weight, std=0.3)
        self.glove_proj = nn.Linear(100, d)
        self.pos = nn.Parameter(torch.zeros(MAX_LEN + 1, d))
        nn.init.normal_(self.pos, std=0.02)
        self.bos = nn.Parameter(torch.randn(d) * 0.02)
        self.blocks = nn.ModuleList([Block(d, heads) for _ in range(layers)])
        self.norm = nn.LayerNorm(d)
        self.style = nn.Embedding(N_STYLES, cond)
        nn.init.normal_(self.style.weight, std=0.5)
        self.out = nn.Sequential(nn.Linear(2 * d, cond), nn.SiLU(), nn.Linear(cond, cond))
        self.tok_out = nn.Linear(d, tokens) if tokens else None
        self.d = d

    def word_vectors(self, ids):
        gv = self.glove_proj(self.glove[ids]) * self.has_vec[ids]
        nv = self.novec(self.novec_index[ids]) * (1.0 - self.has_vec[ids])
        return gv + nv

    def forward(self, ids, style):
        b, l = ids.shape
        x = self.word_vectors(ids)
        x = torch.cat([self.bos.expand(b, 1, self.d), x], 1) + self.pos[: l + 1]
        keep = torch.cat([torch.ones(b, 1, dtype=torch.bool), ids > 0], 1)  # [B, L+1]
        bias = (~keep).float()[:, None, None, :] * -1e4
        for blk in self.blocks:
            x = blk(x, bias)
        x = self.norm(x)
        m = keep.float()[..., None]
        mean = (x * m).sum(1) / m.sum(1)
        h = self.out(torch.cat([x[:, 0], mean], 1)) + self.style(style)
        if self.tok_out is None:
            return h
        return torch.cat([h, self.tok_out(x).reshape(b, -1)], 1)


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))
        self.h = heads

    def forward(self, x, bias):
        b, l, d = x.shape
        q, k, v = self.qkv(self.n1(x)).reshape(b, l, 3, self.h, d // self.h).permute(2, 0, 3, 1, 4)
        a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d // self.h) + bias, -1)
        x = x + self.proj((a @ v).transpose(1, 2).reshape(b, l, d))
        return x + self.ff(self.n2(x))


def timestep_embedding(t, dim):
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    a = (t * 1000.0)[:, None] * freqs[None]
    return torch.cat([torch.cos(a), torch.sin(a)], 1)


class ResBlock(nn.Module):
    def __init__(self, cin, cout, emb):
        super().__init__()
        self.n1 = nn.GroupNorm(8, cin)
        self.c1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.film = nn.Linear(emb, 2 * cout)
        self.n2 = nn.GroupNorm(8, cout)
        self.c2 = nn.Conv2d(cout, cout, 3, padding=1)
        nn.init.zeros_(self.c2.weight)
        nn.init.zeros_(self.c2.bias)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, e):
        h = self.c1(F.silu(self.n1(x)))
        s, b = self.film(e)[:, :, None, None].chunk(2, 1)
        h = self.n2(h) * (1 + s) + b
        h = self.c2(F.silu(h))
        return self.skip(x) + h


class Attn2d(nn.Module):
    def __init__(self, c, heads=4):
        super().__init__()
        self.n = nn.GroupNorm(8, c)
        self.qkv = nn.Conv2d(c, 3 * c, 1)
        self.proj = nn.Conv2d(c, c, 1)
        nn.init.zeros_(self.proj.weight)
        nn.init.zeros_(self.proj.bias)
        self.h = heads

    def forward(self, x):
        b, c, hh, ww = x.shape
        q, k, v = self.qkv(self.n(x)).reshape(b, 3, self.h, c // self.h, hh * ww).unbind(1)
        a = torch.softmax(q.transpose(-1, -2) @ k / math.sqrt(c // self.h), -1)  # [b,h,n,n]
        o = (v @ a.transpose(-1, -2)).reshape(b, c, hh, ww)
        return x + self.proj(o)


class CrossAttn2d(nn.Module):
    """Pixels attend to the prompt's token features [B, n, tokens] (queries from the image,
    keys and values from the words). Output projection starts at zero, so adding these
    blocks to a trained UNet leaves its function unchanged until they learn."""

    def __init__(self, c, tokens, heads=4):
        super().__init__()
        self.n = nn.GroupNorm(8, c)
        self.q = nn.Conv2d(c, c, 1)
        self.kv = nn.Linear(tokens, 2 * c)
        self.proj = nn.Conv2d(c, c, 1)
        nn.init.zeros_(self.proj.weight)
        nn.init.zeros_(self.proj.bias)
        self.h = heads

    def forward(self, x, tok):
        b, c, hh, ww = x.shape
        dh = c // self.h
        q = self.q(self.n(x)).reshape(b, self.h, dh, hh * ww)
        k, v = self.kv(tok).reshape(b, -1, 2, self.h, dh).permute(2, 0, 3, 1, 4)  # [b,h,n,dh] each
        a = torch.softmax(q.transpose(-1, -2) @ k.transpose(-1, -2) / math.sqrt(dh), -1)  # [b,h,N,n]
        o = (a @ v).transpose(-1, -2).reshape(b, c, hh, ww)
        return x + self.proj(o)


def cross_attend(block, x, tok):
    return x if block is None else block(x, tok)


class UNet(nn.Module):
    """sample [B,3,32,32], timestep [B] (t in [0,1]), cond [B,COND (+ (L+1) * TOKENS)] ->
    velocity [B,3,32,32]. The first COND floats of cond drive FiLM; with tokens > 0 the rest
    are (L+1) token vectors read by cross-attention at 16x16 and 8x8, down and up."""

    def __init__(self, ch=(32, 64, 128), cond=256, emb=256, tokens=0):
        super().__init__()
        c1, c2, c3 = ch
        self.cond, self.tokens = cond, tokens
        cross = (lambda c: CrossAttn2d(c, tokens)) if tokens else (lambda c: None)
        self.x2, self.x3, self.xu3, self.xu2 = cross(c2), cross(c3), cross(c3), cross(c2)
        self.temb = nn.Sequential(nn.Linear(128, emb), nn.SiLU(), nn.Linear(emb, emb))
        self.cemb = nn.Linear(cond, emb)
        self.inc = nn.Conv2d(3, c1, 3, padding=1)
        self.d1 = ResBlock(c1, c1, emb)
        self.down1 = nn.Conv2d(c1, c2, 3, stride=2, padding=1)
        self.d2 = ResBlock(c2, c2, emb)
        self.down2 = nn.Conv2d(c2, c3, 3, stride=2, padding=1)
        self.d3 = ResBlock(c3, c3, emb)
        self.mid_attn = Attn2d(c3)
        self.mid = ResBlock(c3, c3, emb)
        self.u3 = ResBlock(2 * c3, c3, emb)
        self.up2 = nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(c3, c2, 3, padding=1))
        self.u2 = ResBlock(2 * c2, c2, emb)
        self.up1 = nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(c2, c1, 3, padding=1))
        self.u1 = ResBlock(2 * c1, c1, emb)
        self.outn = nn.GroupNorm(8, c1)
        self.outc = nn.Conv2d(c1, 3, 3, padding=1)

    def forward(self, sample, timestep, cond):
        pooled = cond[:, : self.cond]
        e = F.silu(self.temb(timestep_embedding(timestep, 128)) + self.cemb(pooled))
        tok = cond[:, self.cond:].reshape(cond.shape[0], -1, self.tokens) if self.tokens else None
        h1 = self.d1(self.inc(sample), e)
        h2 = cross_attend(self.x2, self.d2(self.down1(h1), e), tok)
        h3 = self.d3(self.down2(h2), e)
        m = self.mid(cross_attend(self.x3, self.mid_attn(h3), tok), e)
        x = cross_attend(self.xu3, self.u3(torch.cat([m, h3], 1), e), tok)
        x = cross_attend(self.xu2, self.u2(torch.cat([self.up2(x), h2], 1), e), tok)
        x = self.u1(torch.cat([self.up1(x), h1], 1), e)
        return self.outc(F.silu(self.outn(x)))


class HuabuTiny(nn.Module):
    def __init__(self, glove, cfg=None):
        super().__init__()
        cfg = cfg or {}
        self.cfg = {"ch": list(cfg.get("ch", (32, 64, 128))), "cond": cfg.get("cond", 256), "d": cfg.get("d", 128),
                    "tokens": cfg.get("tokens", 0)}
        self.text = TextEncoder(glove, d=self.cfg["d"], cond=self.cfg["cond"], tokens=self.cfg["tokens"])
        self.unet = UNet(tuple(self.cfg["ch"]), cond=self.cfg["cond"], tokens=self.cfg["tokens"])

    def forward(self, x, t, ids, style):
        return self.unet(x, t, self.text(ids, style))


def count_params(m):
    return sum(p.numel() for p in m.parameters())


# --------------------------------------------------------------------------- data


def load_tokenizer():
    return huabu_tokenizer.load()


def load_split():
    return json.load(open(os.path.join(ROOT, "models/data/split.json"), encoding="utf-8"))


def load_concepts():
    return json.load(open(os.path.join(DATA, "concepts.json"), encoding="utf-8"))


def load_manifest():
    return [json.loads(l) for l in open(os.path.join(DATA, "manifest.jsonl"), encoding="utf-8") if l.strip()]


def split_rows(manifest, split):
    """-> dict name -> row indices: train, heldout_image, heldout_concept."""
    train_c = set(split["train_concepts"])
    held = split["heldout_images"]
    out = {"train": [], "heldout_image": [], "heldout_concept": []}
    for r in manifest:
        if r["concept"] not in train_c:
            out["heldout_concept"].append(r["i"])
        elif r["style"] in held.get(r["concept"], []):
            out["heldout_image"].append(r["i"])
        else:
            out["train"].append(r["i"])
    return {k: np.array(v, dtype=np.int64) for k, v in out.items()}


def rgba_to_rgb_white(rgba):
    """uint8 (N,H,W,4) straight alpha -> float32 (N,3,H,W) in [-1,1] composited on white."""
    x = rgba.astype(np.float32) / 255.0
    a = x[..., 3:4]
    rgb = x[..., :3] * a + (1.0 - a)
    return np.ascontiguousarray(rgb.transpose(0, 3, 1, 2) * 2.0 - 1.0)


def load_images(size=32):
    return np.load(os.path.join(DATA, f"rgba{size}.npy"), mmap_mode="r")


ZH_TEMPLATES = ["{}", "画一只{}", "画一个{}", "一个{}", "{}的表情", "画{}", "一只{}"]
EN_TEMPLATES = ["{}", "a {}", "an {}", "draw a {}", "a drawing of a {}", "{} emoji", "the {}", "a picture of {}", "{} icon"]


def captions_for(concept, rng, n):
    """n caption strings for one concept record (English name/tags/keywords, Chinese name/tags)."""
    name = concept["name"]
    words = list(dict.fromkeys([*concept.get("tags", []), *concept.get("keywords", [])]))
    zh_name = concept.get("name_zh") or ""
    zh_tags = list(dict.fromkeys([*(concept.get("tags_zh") or []), *(concept.get("tags_zh_hant") or [])]))
    out = []
    for _ in range(n):
        u = rng.random()
        if zh_name and u < 0.28:
            base = zh_name if (rng.random() < 0.8 or not zh_tags) else zh_name + " " + rng.choice(zh_tags)
            out.append(rng.choice(ZH_TEMPLATES).format(base))
        elif u < 0.75 or not words:
            base = name
            if words and rng.random() < 0.25:
                base = name + ", " + ", ".join(rng.sample(words, min(len(words), rng.randint(1, 2))))
            out.append(rng.choice(EN_TEMPLATES).format(base))
        elif u < 0.9:
            k = min(len(words), rng.randint(2, 4))
            out.append(" ".join([name] + rng.sample(words, k)) if rng.random() < 0.5 else " ".join(rng.sample(words, k)))
        else:
            out.append(rng.choice(words) + " " + name)
    return out


def build_caption_table(concepts, tok, per_concept=32, seed=0):
    """int64 [C, per_concept, MAX_LEN] token ids."""
    rng = random.Random(seed)
    table = np.zeros((len(concepts), per_concept, MAX_LEN), dtype=np.int64)
    for ci, c in enumerate(concepts):
        for j, cap in enumerate(captions_for(c, rng, per_concept)):
            table[ci, j] = tok.encode(cap, MAX_LEN)
    return table


# --------------------------------------------------------------------------- Philox noise

M0, M1 = 0xD2511F53, 0xCD9E8D57
W0, W1 = 0x9E3779B9, 0xBB67AE85
MASK = 0xFFFFFFFF


def philox4x32_10(ctr, key):
    """ctr uint64 array (...,4) of u32 values, key (k0, k1) ints -> (...,4) u32 (as uint64)."""
    c = [ctr[..., i].astype(np.uint64) for i in range(4)]
    k0, k1 = np.uint64(key[0]), np.uint64(key[1])
    for r in range(10):
        p0 = np.uint64(M0) * c[0]
        p1 = np.uint64(M1) * c[2]
        hi0, lo0 = p0 >> np.uint64(32), p0 & np.uint64(MASK)
        hi1, lo1 = p1 >> np.uint64(32), p1 & np.uint64(MASK)
        c = [hi1 ^ c[1] ^ k0, lo1, hi0 ^ c[3] ^ k1, lo0]
        k0 = np.uint64((int(k0) + W0) & MASK)
        k1 = np.uint64((int(k1) + W1) & MASK)
    return np.stack(c, -1)


def philox_u32(seed, stream, count):
    blocks = (count + 3) // 4
    n = np.arange(blocks, dtype=np.uint64)
    ctr = np.stack([n & np.uint64(MASK), n >> np.uint64(32),
                    np.full_like(n, stream & MASK), np.full_like(n, (stream >> 32) & MASK)], -1)
    return philox4x32_10(ctr, (seed & MASK, (seed >> 32) & MASK)).reshape(-1)[:count].astype(np.uint32)


def philox_normal(seed, stream, count):
    """Box-Muller as in core/include/huabu/rng.h, computed in float64 here (the core uses its
    own float ln/sin/cos: values agree to ~1e-6, not bit for bit; the app takes its noise from
    the core, this function is for Python-side evaluation)."""
    w = philox_u32(seed, stream, 2 * ((count + 1) // 2)).astype(np.float64)
    a, b = w[0::2], w[1::2]
    r = np.sqrt(-2.0 * np.log((np.floor(a / 256.0) + 1.0) * 2.0 ** -24))
    t = 2.0 * math.pi * np.floor(b / 256.0) * 2.0 ** -24
    out = np.stack([r * np.cos(t), r * np.sin(t)], -1).reshape(-1)[:count]
    return out.astype(np.float32)


def seed_noise(seed, n, stream0=0):
    """n images of [3,32,32] noise: image i = Philox(seed, stream0 + i) normals."""
    return torch.from_numpy(np.stack([philox_normal(seed, stream0 + i, 3 * 32 * 32).reshape(3, 32, 32) for i in range(n)]))


# --------------------------------------------------------------------------- sampling


def time_grid(steps, shift=1.0):
    """t from 1 to 0; shift > 1 spends more steps at high noise (SD3-style time shift)."""
    t = torch.linspace(1.0, 0.0, steps + 1)
    return shift * t / (1 + (shift - 1) * t)


@torch.no_grad()
def sample(model, ids, style, noise, steps=12, guidance=4.0, shift=1.0, null_style=None, guidance_above=0.0):
    """Euler + CFG. ids [B,L], style [B], noise [B,3,32,32] -> images [B,3,32,32] in [-1,1].
    Unconditional branch = empty prompt with the same style (or null_style if given).
    CFG is applied on steps starting at t > guidance_above; later (low-noise) steps run the
    conditional branch alone, at half the cost (guidance in a limited interval)."""
    b = ids.shape[0]
    cond = model.text(ids, style)
    ns = style if null_style is None else torch.full_like(style, null_style)
    unc = model.text(torch.zeros_like(ids), ns)
    cc = torch.cat([cond, unc], 0)
    x = noise.clone()
    ts = time_grid(steps, shift)
    for i in range(steps):
        t, tn = ts[i].item(), ts[i + 1].item()
        if t <= guidance_above:
            x = x + (tn - t) * model.unet(x, torch.full((b,), t), cond)
            continue
        tt = torch.full((2 * b,), t)
        v = model.unet(torch.cat([x, x], 0), tt, cc)
        vc, vu = v[:b], v[b:]
        x = x + (tn - t) * (vu + guidance * (vc - vu))
    return x.clamp(-1, 1)


def to_uint8(x):
    return ((x.clamp(-1, 1) + 1) * 127.5).round().byte().permute(0, 2, 3, 1).numpy()


def save_grid(imgs_u8, rows, path, scale=2, labels=None):
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


def load_model(path, tok=None, ema=True):
    tok = tok or load_tokenizer()
    ck = torch.load(path, map_location="cpu")
    m = HuabuTiny(tok.glove, ck.get("cfg"))
    sd = ck["ema"] if ema and "ema" in ck else ck["model"]
    m.load_state_dict({k: v.float() for k, v in sd.items()})
    return m.eval(), ck
