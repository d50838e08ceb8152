// Anisotropic Kuwahara (core/src/filters/oil_kuwahara.cpp): structure tensor, 8 polynomial
// sectors over an oriented ellipse, variance-weighted sector means.
import { gaussianBlur, loadRgb, toByte, makeOutput } from './planes.mjs';

export function oil(img, { radius = 6, sharpness = 4, tensorSigma = 2, anisotropy = 1 } = {}) {
  const { width: w, height: h } = img;
  const { r, g, b } = loadRgb(img);
  const E = new Float32Array(w * h), F = new Float32Array(w * h), G = new Float32Array(w * h);
  for (const c of [r, g, b]) {
    for (let y = 0; y < h; y++) {
      const up = Math.max(0, y - 1) * w, mid = y * w, down = Math.min(h - 1, y + 1) * w;
      for (let x = 0; x < w; x++) {
        const lx = Math.max(0, x - 1), rx = Math.min(w - 1, x + 1);
        const fx = (c[up + rx] + 2 * c[mid + rx] + c[down + rx] - (c[up + lx] + 2 * c[mid + lx] + c[down + lx])) * 0.25;
        const fy = (c[down + lx] + 2 * c[down + x] + c[down + rx] - (c[up + lx] + 2 * c[up + x] + c[up + rx])) * 0.25;
        E[mid + x] += fx * fx;
        F[mid + x] += fx * fy;
        G[mid + x] += fy * fy;
      }
    }
  }
  const e = gaussianBlur(E, w, h, tensorSigma), f = gaussianBlur(F, w, h, tensorSigma), gg = gaussianBlur(G, w, h, tensorSigma);
  const zeta = 2 / radius;
  const eta = (zeta + Math.cos(Math.PI / 8)) / Math.sin(Math.PI / 8) ** 2;
  const wt = new Float32Array(8), m = new Float32Array(32), sums = new Float32Array(8);
  const out = makeOutput(img);
  const sectorWeights = (vx, vy, o) => {
    const vxx = zeta - eta * vx * vx, vyy = zeta - eta * vy * vy;
    let z;
    z = Math.max(0, vy + vxx); wt[o] = z * z;
    z = Math.max(0, -vx + vyy); wt[o + 2] = z * z;
    z = Math.max(0, -vy + vxx); wt[o + 4] = z * z;
    z = Math.max(0, vx + vyy); wt[o + 6] = z * z;
  };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const E0 = e[i], F0 = f[i], G0 = gg[i];
      const root = Math.sqrt((E0 - G0) * (E0 - G0) + 4 * F0 * F0);
      const l1 = 0.5 * (E0 + G0 + root), l2 = 0.5 * (E0 + G0 - root);
      let tx = l1 - E0, ty = -F0;
      const len = Math.hypot(tx, ty);
      if (len > 0) { tx /= len; ty /= len; } else { tx = 0; ty = 1; }
      const A = l1 + l2 > 0 ? (l1 - l2) / (l1 + l2) : 0;
      const a = radius * Math.min(2, (anisotropy + A) / anisotropy);
      const bb = radius * Math.max(0.5, anisotropy / (anisotropy + A));
      const s00 = (0.5 / a) * tx, s01 = (0.5 / a) * ty, s10 = (-0.5 / bb) * ty, s11 = (0.5 / bb) * tx;
      const maxX = Math.floor(Math.sqrt(a * a * tx * tx + bb * bb * ty * ty));
      const maxY = Math.floor(Math.sqrt(a * a * ty * ty + bb * bb * tx * tx));
      m.fill(0);
      sums.fill(0);
      for (let j = -maxY; j <= maxY; j++) {
        const sy = Math.min(h - 1, Math.max(0, y + j)) * w;
        for (let k = -maxX; k <= maxX; k++) {
          const vx = s00 * k + s01 * j, vy = s10 * k + s11 * j;
          const d2 = vx * vx + vy * vy;
          if (d2 > 0.25) continue;
          sectorWeights(vx, vy, 0);
          sectorWeights(Math.SQRT1_2 * (vx - vy), Math.SQRT1_2 * (vx + vy), 1);
          let sum = 0;
          for (let s = 0; s < 8; s++) sum += wt[s];
          if (!(sum > 0)) continue;
          const gfall = Math.exp(-3.125 * d2) / sum;
          const q = sy + Math.min(w - 1, Math.max(0, x + k));
          const cr = r[q], cg = g[q], cb = b[q], sq = cr * cr + cg * cg + cb * cb;
          for (let s = 0; s < 8; s++) {
            const ws = wt[s] * gfall;
            sums[s] += ws;
            m[4 * s] += ws * cr;
            m[4 * s + 1] += ws * cg;
            m[4 * s + 2] += ws * cb;
            m[4 * s + 3] += ws * sq;
          }
        }
      }
      let or = 0, og = 0, ob = 0, ow = 0;
      for (let s = 0; s < 8; s++) {
        const sw = sums[s];
        if (!(sw > 0)) continue;
        const mr = m[4 * s] / sw, mg = m[4 * s + 1] / sw, mb = m[4 * s + 2] / sw;
        const variance = Math.abs(m[4 * s + 3] / sw - (mr * mr + mg * mg + mb * mb));
        const weight = 1 / (1 + (255 * variance) ** sharpness);
        or += weight * mr; og += weight * mg; ob += weight * mb; ow += weight;
      }
      out.data[4 * i] = toByte(or / ow);
      out.data[4 * i + 1] = toByte(og / ow);
      out.data[4 * i + 2] = toByte(ob / ow);
    }
  }
  return out;
}
