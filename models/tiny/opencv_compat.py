"""Export-time rewrites that let the native engine (OpenCV dnn 4.6, docs/native-engine.md)
import huabu-tiny's graphs as well as onnxruntime does; export_tiny.py traces both graphs
through them, so the browser and the native engine load the same files. Each replacement
computes the same function as the module it replaces (same weights, same float operations
up to summation order); only the ONNX it traces to differs.

UNet (unet_for_export):
- no Shape/Gather/ConstantOfShape on the dynamic batch: OpenCV's importer needs every
  Reshape target at import time, so reshapes use -1 for the batch and constants elsewhere
  (the UNet works at fixed 32x32, so every spatial size is known after one dry run);
- GroupNorm as Reshape + InstanceNormalization + Reshape with constant shapes, the affine
  weight/bias as [C,1,1] constants (OpenCV 4.6 mis-broadcasts [1,C,1,1] when B > 1);
- FiLM's scale and shift spread to full size by a nearest-neighbour Resize with constant
  scales (exact copies) before the Mul and Add: OpenCV 4.6 fails on Add of a dynamic
  [B,C,1,1] to [B,C,H,W] when B > 1, and with a dynamic batch also on that Mul;
- the timestep embedding's outer product as a MatMul with a constant [1, 64] row;
- attention with heads folded into a 3-D batch, q/k/v taken by Gather (not unbind's
  Squeeze with an axes input), and 1/sqrt(d) folded into the q rows of the qkv conv
  (OpenCV 4.6 divides the 3-D score tensor by a scalar constant wrongly);
- cross-attention the same way, the token features sliced from cond as rows [B*17, tokens]
  for a Gemm, 1/sqrt(d) folded into the k rows of the kv layer.

Text encoder (text_encoder_for_export, see ExportTextEncoder): one-hot lookups instead of
Gather with run-time indices, the padding mask as arithmetic, LayerNorm as
InstanceNormalization, no Expand/ConstantOfShape/Where/ReduceSum; token features (v0.3) as
a Gemm on rows, concatenated after the pooled vector.

Both: inline_constant_identities() on the exported file (OpenCV cannot import an Identity of
an initializer). The graphs keep the dynamic batch "B"; the native engine pins it at load
(OnnxEngine::load(path, {{"B", n}})): unpinned, OpenCV 4.6 imports them but fails when
running (computeShapeByReshapeMask at the first node reading the 1-D input [B]).

  unet = opencv_compat.unet_for_export(model.unet)       # then torch.onnx.export(unet, ...)
  text = opencv_compat.text_encoder_for_export(model.text)
  mo = opencv_compat.inline_constant_identities(onnx.load(path))
"""
import copy
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

import tinylib as T


class StaticGroupNorm(nn.Module):
    def __init__(self, gn: nn.GroupNorm, hw):
        super().__init__()
        g, c = gn.num_groups, gn.num_channels
        self.grouped = [-1, g, (c // g) * hw[0] * hw[1]]
        self.full = [-1, c, hw[0], hw[1]]
        self.eps = gn.eps
        self.weight = nn.Parameter(gn.weight.detach().reshape(c, 1, 1).clone())
        self.bias = nn.Parameter(gn.bias.detach().reshape(c, 1, 1).clone())
        # per-group unit scale / zero shift: the exporter needs InstanceNormalization's size
        self.register_buffer("unit", torch.ones(g))
        self.register_buffer("zero", torch.zeros(g))

    def forward(self, x):
        y = F.instance_norm(x.reshape(self.grouped), weight=self.unit, bias=self.zero, eps=self.eps).reshape(self.full)
        return y * self.weight + self.bias


def film_forward(self, x, e):
    """tinylib.ResBlock.forward with the FiLM scale and shift spread to full size by a
    nearest-neighbour Resize (exact copies) before the Mul and Add (see module docstring)."""
    h = self.c1(F.silu(self.n1(x)))
    f = self.film(e).reshape(-1, 2 * self.cout, 1, 1)
    f = F.interpolate(f, scale_factor=self.hw, mode="nearest")  # [B, 2C, H, W]
    s, b = f[:, : self.cout], f[:, self.cout:]
    h = self.n2(h) * (1 + s) + b
    h = self.c2(F.silu(h))
    return self.skip(x) + h


def attn_forward(self, x):
    """tinylib.Attn2d.forward with constant reshapes and 3-D (batch x heads) matmuls."""
    c, hh, ww = self.shape
    dh = c // self.h
    qkv = self.qkv(self.n(x)).reshape(-1, 3, self.h, dh, hh * ww)
    # Gather, not unbind's Split + Squeeze(axes input); heads folded into the batch
    q, k, v = (qkv[:, i].reshape(-1, dh, hh * ww) for i in range(3))
    # 1/sqrt(dh) is folded into the q rows of qkv (unet_for_export): OpenCV 4.6 divides
    # this 3-D tensor by a scalar constant wrongly (measured)
    a = torch.softmax(q.transpose(-1, -2) @ k, -1)  # [b*h, n, n]
    o = (v @ a.transpose(-1, -2)).reshape(-1, c, hh, ww)
    return x + self.proj(o)


def cross_forward(self, x, tok_rows):
    """tinylib.CrossAttn2d.forward on token rows [B*n, tokens] (Gemm), with constant
    reshapes, heads folded into a 3-D batch, k/v taken by Gather and 1/sqrt(dh) folded
    into the k rows of kv (unet_for_export), as in attn_forward."""
    c, hh, ww = self.shape
    dh, n = c // self.h, self.n_tokens
    kv = self.kv(tok_rows).reshape(-1, n, 2, self.h, dh).permute(0, 2, 3, 1, 4)  # [B, 2, h, n, dh]
    k, v = (kv[:, i].reshape(-1, n, dh) for i in range(2))
    q = self.q(self.n(x)).reshape(-1, dh, hh * ww)
    a = torch.softmax(q.transpose(-1, -2) @ k.transpose(-1, -2), -1)  # [b*h, N, n]
    o = (a @ v).transpose(-1, -2).reshape(-1, c, hh, ww)
    return x + self.proj(o)


class ExportUNet(nn.Module):
    def __init__(self, unet):
        super().__init__()
        self.unet = unet
        half = 64
        freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
        self.register_buffer("freqs", freqs[None])  # [1, 64]

    def forward(self, sample, timestep, cond):
        u = self.unet
        a = (timestep.reshape(-1, 1) * 1000.0) @ self.freqs
        temb = torch.cat([torch.cos(a), torch.sin(a)], 1)
        e = F.silu(u.temb(temb) + u.cemb(cond[:, : u.cond] if u.tokens else cond))
        rows = cond[:, u.cond:].reshape(-1, u.tokens) if u.tokens else None  # [B*n, tokens]
        h1 = u.d1(u.inc(sample), e)
        h2 = T.cross_attend(u.x2, u.d2(u.down1(h1), e), rows)
        h3 = u.d3(u.down2(h2), e)
        m = u.mid(T.cross_attend(u.x3, u.mid_attn(h3), rows), e)
        x = T.cross_attend(u.xu3, u.u3(torch.cat([m, h3], 1), e), rows)
        x = T.cross_attend(u.xu2, u.u2(torch.cat([u.up2(x), h2], 1), e), rows)
        x = u.u1(torch.cat([u.up1(x), h1], 1), e)
        return u.outc(F.silu(u.outn(x)))


def fold_attention_scale(layer, rows, heads):
    """Divide the first `rows` outputs of `layer` (the q, or k, projection of `heads` heads) by
    sqrt(rows / heads), so the graph needs no scaling of the attention scores."""
    with torch.no_grad():
        layer.weight[:rows] /= math.sqrt(rows // heads)
        layer.bias[:rows] /= math.sqrt(rows // heads)


def unet_for_export(unet):
    """A copy of `unet` (tinylib.UNet, 32x32) rewritten as described above."""
    unet = copy.deepcopy(unet).eval()
    sizes = {}
    hooks = [m.register_forward_hook(lambda mod, inp, out, n=name: sizes.__setitem__(n, tuple(inp[0].shape[1:])))
             for name, m in unet.named_modules() if isinstance(m, (nn.GroupNorm, T.Attn2d, T.CrossAttn2d))]
    with torch.no_grad():
        unet(torch.zeros(1, 3, 32, 32), torch.zeros(1), torch.zeros(1, unet.cond + (T.MAX_LEN + 1) * unet.tokens))
    for h in hooks:
        h.remove()
    for name, m in list(unet.named_modules()):
        if isinstance(m, T.ResBlock):
            m.cout = m.c1.out_channels
            m.hw = tuple(float(v) for v in sizes[name + ".n2"][1:])
            m.forward = film_forward.__get__(m)
        if isinstance(m, T.Attn2d):
            m.shape = sizes[name]
            m.forward = attn_forward.__get__(m)
            fold_attention_scale(m.qkv, m.shape[0], m.h)
        if isinstance(m, T.CrossAttn2d):
            m.shape, m.n_tokens = sizes[name], T.MAX_LEN + 1
            m.forward = cross_forward.__get__(m)
            fold_attention_scale(m.kv, m.shape[0], m.h)  # kv rows: k (heads x dh) first, then v
    for name, m in list(unet.named_modules()):
        for child_name, child in list(m.named_children()):
            full = f"{name}.{child_name}" if name else child_name
            if isinstance(child, nn.GroupNorm):
                setattr(m, child_name, StaticGroupNorm(child, sizes[full][1:]))
    return ExportUNet(unet).eval()


def inline_constant_identities(mo):
    """torch 1.13 de-duplicates equal weights (e.g. the GroupNorm unit/zero buffers) and
    re-creates them with Identity nodes on an initializer; OpenCV 4.6 cannot import an
    Identity of a constant. Give each such output its own initializer instead."""
    from onnx import numpy_helper
    g = mo.graph
    inits = {t.name: t for t in g.initializer}
    for n in [n for n in g.node if n.op_type == "Identity" and n.input[0] in inits]:
        copy_ = numpy_helper.from_array(numpy_helper.to_array(inits[n.input[0]]), n.output[0])
        g.initializer.append(copy_)
        g.node.remove(n)
    return mo


# --------------------------------------------------------------------------- text encoder


def one_hot_layers(k):
    """Two Linear(1, k) layers whose ReLUs multiply to the one-hot of an integer x in 0..k-1:
    relu(1 - (x - j)) * relu(1 + (x - j)) is 1 at j = x and 0 at every other integer j, exact
    in float32 (OpenCV 4.6 has no Gather with run-time indices; Gemm imports)."""
    j = torch.arange(k, dtype=torch.float32)
    down, up = nn.Linear(1, k), nn.Linear(1, k)
    with torch.no_grad():
        down.weight.fill_(-1.0)
        down.bias.copy_(1.0 + j)
        up.weight.fill_(1.0)
        up.bias.copy_(1.0 - j)
    return down, up


def one_hot(x, layers):
    down, up = layers
    return F.relu(down(x)) * F.relu(up(x))


class LayerNorm2d(nn.Module):
    """nn.LayerNorm over the last axis of [N, d] rows as InstanceNormalization of [N, 1, d]
    (no LayerNormalization, no broadcasting Sub in OpenCV 4.6), then the affine weights."""

    def __init__(self, ln: nn.LayerNorm):
        super().__init__()
        self.d = ln.normalized_shape[0]
        self.eps = ln.eps
        self.weight = nn.Parameter(ln.weight.detach().clone())
        self.bias = nn.Parameter(ln.bias.detach().clone())
        self.register_buffer("unit", torch.ones(1))
        self.register_buffer("zero", torch.zeros(1))

    def forward(self, x):
        y = F.instance_norm(x.reshape(-1, 1, self.d), weight=self.unit, bias=self.zero, eps=self.eps)
        return y.reshape(-1, self.d) * self.weight + self.bias


def gelu_erf(x):
    """nn.GELU() (the erf form) with a Mul by 1/sqrt(2) instead of torch's Div by sqrt(2)."""
    return x * 0.5 * (1.0 + torch.erf(x * 0.7071067811865476))


class ExportBlock(nn.Module):
    """tinylib.Block on rows [B*L, d]: Linear layers as Gemm, heads folded into a 3-D batch,
    q/k/v taken by Gather, 1/sqrt(dh) folded into the q rows of qkv, and the padding bias
    handed in at full size [B*h, L, L] (no broadcasting Add)."""

    def __init__(self, blk, length):
        super().__init__()
        d = blk.qkv.in_features
        self.h, self.d, self.l = blk.h, d, length
        self.n1, self.n2 = LayerNorm2d(blk.n1), LayerNorm2d(blk.n2)
        self.qkv, self.proj = copy.deepcopy(blk.qkv), copy.deepcopy(blk.proj)
        self.ff1, self.ff2 = copy.deepcopy(blk.ff[0]), copy.deepcopy(blk.ff[2])
        fold_attention_scale(self.qkv, d, self.h)

    def forward(self, x, bias):
        h, d, l = self.h, self.d, self.l
        dh = d // h
        qkv = self.qkv(self.n1(x)).reshape(-1, l, 3, h, dh).permute(0, 2, 3, 1, 4)  # [B, 3, h, L, dh]
        q, k, v = (qkv[:, i].reshape(-1, l, dh) for i in range(3))
        a = torch.softmax(q @ k.transpose(-1, -2) + bias, -1)  # [B*h, L, L]
        o = (a @ v).reshape(-1, h, l, dh).permute(0, 2, 1, 3).reshape(-1, d)
        x = x + self.proj(o)
        return x + self.ff2(gelu_erf(self.ff1(self.n2(x))))


class ExportTextEncoder(nn.Module):
    """tinylib.TextEncoder computing the same function from the same weights in operators
    OpenCV 4.6 imports (docs/native-engine.md, point 7):
    - the word lookup as one-hot rows (one_hot_layers) times the GloVe table, the has-vector
      flag and the no-vector index as extra one-hot products (exact selections), then the
      learned no-vector embedding by a second one-hot: the same arithmetic as word_vectors();
    - the BOS slot made by a constant [L, L+1] shift matrix (no Expand/Concat with a batch
      of constants), BOS vector and positions added as one constant row per sequence;
    - the padding mask as arithmetic on the one-hot's pad column: -1e4 on pad keys (the
      original's additive bias) built at full size with constant MatMuls, the masked mean as
      a batched MatMul with the keep weights;
    - LayerNorm as InstanceNormalization, GELU with a Mul, the style lookup as a one-hot.
    Token and style ids are integers below 2^24, exact in OpenCV's float32."""

    def __init__(self, te):
        super().__init__()
        v, d = te.glove.shape[0], te.d
        self.l, self.d = te.pos.shape[0] - 1, d
        self.h = te.blocks[0].h
        self.words = one_hot_layers(v)
        self.words_down, self.words_up = self.words
        self.register_buffer("glove", te.glove.clone())                          # [V, 100]
        has = te.has_vec.clone()                                                 # [V, 1]
        pad = torch.zeros(v, 1)
        pad[0] = -1e4  # tinylib: bias = (ids == 0) * -1e4
        # columns: has a GloVe vector, has none, no-vector index, additive pad bias, keep
        self.register_buffer("flags", torch.cat([has, 1.0 - has, te.novec_index.float()[:, None], pad,
                                                 (torch.arange(v) > 0).float()[:, None]], 1))
        self.novec = one_hot_layers(te.novec.num_embeddings)
        self.novec_down, self.novec_up = self.novec
        self.register_buffer("novec_table", te.novec.weight.detach().clone())
        self.glove_proj = copy.deepcopy(te.glove_proj)
        self.register_buffer("ones_d", torch.ones(1, d))
        shift = torch.zeros(self.l, self.l + 1)
        shift[torch.arange(self.l), torch.arange(1, self.l + 1)] = 1.0
        self.register_buffer("shift", shift)                                     # token i -> slot i+1
        start = te.pos.detach().clone()
        start[0] += te.bos.detach()
        self.register_buffer("start", start.reshape(-1))                         # [(L+1)*d]
        self.register_buffer("bos_keep", torch.eye(1, self.l + 1).reshape(-1))  # [L+1]: 1, 0, ...
        self.register_buffer("ones_row", torch.ones(1, self.l + 1))
        self.blocks = nn.ModuleList([ExportBlock(b, self.l + 1) for b in te.blocks])
        self.norm = LayerNorm2d(te.norm)
        self.out1, self.out2 = copy.deepcopy(te.out[0]), copy.deepcopy(te.out[2])
        self.tok_out = copy.deepcopy(te.tok_out)
        self.styles = one_hot_layers(te.style.num_embeddings)
        self.styles_down, self.styles_up = self.styles
        self.register_buffer("style_table", te.style.weight.detach().clone())

    def forward(self, input_ids, style_id):
        l, d, n = self.l, self.d, self.l + 1
        ids = input_ids.float().reshape(-1, 1)                                   # [B*L, 1]
        oh = one_hot(ids, self.words)                                            # [B*L, V]
        flags = oh @ self.flags                                                  # [B*L, 5]
        has, hasnt, nidx, pad, keep = (flags[:, i].reshape(-1, 1) for i in range(5))
        gv = self.glove_proj(oh @ self.glove) * (has @ self.ones_d)
        nv = (one_hot(nidx, self.novec) @ self.novec_table) * (hasnt @ self.ones_d)
        x = (gv + nv).reshape(-1, l, d).transpose(1, 2).reshape(-1, l) @ self.shift  # [B*d, L+1]
        x = x.reshape(-1, d, n).transpose(1, 2).reshape(-1, n * d) + self.start
        x = x.reshape(-1, d)                                                     # rows [B*(L+1), d]
        bias = (pad.reshape(-1, l) @ self.shift).reshape(-1, n, 1) @ self.ones_row  # [B, key, query]
        bias = bias.transpose(1, 2).reshape(-1, 1, n, n)
        bias = torch.cat([bias] * self.h, 1).reshape(-1, n, n)                   # [B*h, L+1, L+1]
        for blk in self.blocks:
            x = blk(x, bias)
        x = self.norm(x).reshape(-1, n, d)
        keep = keep.reshape(-1, l) @ self.shift + self.bos_keep                  # [B, L+1]
        count = keep @ self.ones_row.t()                                         # [B, 1]
        mean = (keep.reshape(-1, 1, n) @ x).reshape(-1, d) / (count @ self.ones_d)
        hidden = self.out2(F.silu(self.out1(torch.cat([x[:, 0], mean], 1))))
        style = one_hot(style_id.float().reshape(-1, 1), self.styles) @ self.style_table
        if self.tok_out is None:
            return hidden + style
        tokens = self.tok_out(x.reshape(-1, d)).reshape(-1, n * self.tok_out.out_features)  # Gemm on rows
        return torch.cat([hidden + style, tokens], 1)


def text_encoder_for_export(te):
    """A copy of `te` (tinylib.TextEncoder) rewritten as ExportTextEncoder."""
    return ExportTextEncoder(copy.deepcopy(te).eval()).eval()
