// Anisotropic Kuwahara (core/src/filters/oil_kuwahara.cpp): structure tensor, 8 polynomial
// sectors over an oriented ellipse (tabulated weights, samples in symmetric pairs, as in the
// core), variance-weighted sector means.
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
  // Sector weights tabulated on a 32x32 grid over the unit-diameter disc, as half-sums E and
  // half-differences O of opposite sectors (0,4), (2,6), (1,5), (3,7); samples go in pairs
  // (v, -v), as in the core.
  const cells = 32;
  const zeta = 2 / radius;
  const eta = (zeta + Math.cos(Math.PI / 8)) / Math.sin(Math.PI / 8) ** 2;
  const table = new Float32Array(cells * cells * 8);
  const wt = new Float64Array(8);
  const sectorWeights = (vx, vy, o) => {
    const vxx = zeta - eta * vx * vx, vyy = zeta - eta * vy * vy;
    let z;
    z = Math.max(0, vy + vxx); wt[o] = z * z;
    z = Math.max(0, -vx + vyy); wt[o + 2] = z * z;
    z = Math.max(0, -vy + vxx); wt[o + 4] = z * z;
    z = Math.max(0, vx + vyy); wt[o + 6] = z * z;
  };
  for (let cy = 0; cy < cells; cy++) {
    for (let cx = 0; cx < cells; cx++) {
      const vx = (cx + 0.5) / cells - 0.5, vy = (cy + 0.5) / cells - 0.5;
      sectorWeights(vx, vy, 0);
      sectorWeights(Math.SQRT1_2 * (vx - vy), Math.SQRT1_2 * (vx + vy), 1);
      let sum = 0;
      for (let s = 0; s < 8; s++) sum += wt[s];
      if (!(sum > 0)) continue;
      const k = Math.exp(-3.125 * (vx * vx + vy * vy)) / sum;
      const o = 8 * (cy * cells + cx);
      const pairs = [[0, 4], [2, 6], [1, 5], [3, 7]];
      for (let l = 0; l < 4; l++) {
        table[o + l] = 0.5 * k * (wt[pairs[l][0]] + wt[pairs[l][1]]);
        table[o + 4 + l] = 0.5 * k * (wt[pairs[l][0]] - wt[pairs[l][1]]);
      }
    }
  }
  // (r, g, b, r^2 + g^2 + b^2) per pixel, rows padded with edge copies.
  const pad = 2 * radius + 1, stride = 4 * (w + 2 * pad);
  const px = new Float32Array(stride * h);
  for (let y = 0; y < h; y++) {
    for (let xp = 0; xp < w + 2 * pad; xp++) {
      const q = y * w + Math.min(w - 1, Math.max(0, xp - pad)), o = y * stride + 4 * xp;
      px[o] = r[q]; px[o + 1] = g[q]; px[o + 2] = b[q]; px[o + 3] = r[q] * r[q] + g[q] * g[q] + b[q] * b[q];
    }
  }
  const acc = new Float64Array(36);  // E sums (4 lanes x 4 channels), O sums, E weights
  const out = makeOutput(img);
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
      const ea = s00 * s00 + s10 * s10, eb = s00 * s01 + s10 * s11, ec = s01 * s01 + s11 * s11;
      const centre = -eb / ea, spread = (eb * eb - ea * ec) / (ea * ea), half0 = 0.25 / ea;
      acc.fill(0);
      const addPair = (cell, pa, pb, bWeight) => {
        for (let l = 0; l < 4; l++) {
          const we = table[cell + l], wo = table[cell + 4 + l];
          acc[32 + l] += we;
          for (let c = 0; c < 4; c++) {
            acc[4 * l + c] += we * (px[pa + c] + bWeight * px[pb + c]);
            acc[16 + 4 * l + c] += wo * (px[pa + c] - bWeight * px[pb + c]);
          }
        }
      };
      const cellOf = (ii, j) => {
        const cx = Math.min(cells - 1, Math.max(0, Math.trunc((s00 * ii + s01 * j) * cells + cells / 2)));
        const cy = Math.min(cells - 1, Math.max(0, Math.trunc((s10 * ii + s11 * j) * cells + cells / 2)));
        return 8 * (cy * cells + cx);
      };
      for (let j = 0; j <= maxY; j++) {
        const half2 = spread * j * j + half0;
        if (!(half2 >= 0)) continue;
        const half = Math.sqrt(half2), mid = centre * j;
        const lo = j === 0 ? 1 : Math.max(-maxX, Math.ceil(mid - half)), hi = Math.min(maxX, Math.floor(mid + half));
        const rowA = Math.min(h - 1, y + j) * stride, rowB = Math.max(0, y - j) * stride;
        for (let ii = lo; ii <= hi; ii++) addPair(cellOf(ii, j), rowA + 4 * (x + ii + pad), rowB + 4 * (x - ii + pad), 1);
      }
      // Weights of the pairs count twice; the centre pixel once (its B is zero).
      for (let l = 0; l < 4; l++) acc[32 + l] *= 2;
      const centreCell = cellOf(0, 0), c0 = y * stride + 4 * (x + pad);
      addPair(centreCell, c0, c0, 0);
      let or = 0, og = 0, ob = 0, ow = 0;
      for (const sign of [1, -1]) {
        for (let l = 0; l < 4; l++) {
          const sw = acc[32 + l] + sign * table[centreCell + 4 + l];
          if (!(sw > 0)) continue;
          const m = [0, 1, 2, 3].map((c) => (acc[4 * l + c] + sign * acc[16 + 4 * l + c]) / sw);
          const variance = Math.abs(m[3] - (m[0] * m[0] + m[1] * m[1] + m[2] * m[2]));
          const weight = 1 / (1 + (255 * variance) ** sharpness);
          or += weight * m[0]; og += weight * m[1]; ob += weight * m[2]; ow += weight;
        }
      }
      out.data[4 * i] = toByte(or / ow);
      out.data[4 * i + 1] = toByte(og / ow);
      out.data[4 * i + 2] = toByte(ob / ow);
    }
  }
  return out;
}
