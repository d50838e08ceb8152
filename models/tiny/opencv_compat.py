"""Export-time rewrites that let the native engine (OpenCV dnn 4.6, docs/native-engine.md)
import huabu-tiny's UNet as well as onnxruntime does. Each replacement computes the same
function as the module it replaces (same weights, same float operations up to summation
order); only the ONNX it traces to differs:

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
- inline_constant_identities() on the exported file (OpenCV cannot import an Identity of
  an initializer).

Status (not yet used by export_tiny.py): exported with a FIXED batch of 2, the rewritten
UNet imports into OpenCV and matches torch within 3e-5. Exported with the dynamic batch
"B" it imports too, but running it fails at the first node that touches the 1-D dynamic
input `timestep` [B] (Mul or Reshape: computeShapeByReshapeMask), even at batch 1. See
docs/native-engine.md for the full list and the options.

  unet = opencv_compat.unet_for_export(model.unet)   # then torch.onnx.export(unet, ...)
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
        e = F.silu(u.temb(temb) + u.cemb(cond))
        h1 = u.d1(u.inc(sample), e)
        h2 = u.d2(u.down1(h1), e)
        h3 = u.d3(u.down2(h2), e)
        m = u.mid(u.mid_attn(h3), e)
        x = u.u3(torch.cat([m, h3], 1), e)
        x = u.u2(torch.cat([u.up2(x), h2], 1), e)
        x = u.u1(torch.cat([u.up1(x), h1], 1), e)
        return u.outc(F.silu(u.outn(x)))


def unet_for_export(unet):
    """A copy of `unet` (tinylib.UNet, 32x32) rewritten as described above."""
    unet = copy.deepcopy(unet).eval()
    sizes = {}
    hooks = [m.register_forward_hook(lambda mod, inp, out, n=name: sizes.__setitem__(n, tuple(inp[0].shape[1:])))
             for name, m in unet.named_modules() if isinstance(m, (nn.GroupNorm, T.Attn2d))]
    with torch.no_grad():
        unet(torch.zeros(1, 3, 32, 32), torch.zeros(1), torch.zeros(1, unet.cemb.in_features))
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
            c = m.shape[0]
            with torch.no_grad():
                m.qkv.weight[:c] /= math.sqrt(c // m.h)
                m.qkv.bias[:c] /= math.sqrt(c // m.h)
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
