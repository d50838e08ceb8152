// Watercolour (core/src/filters/watercolor.cpp): bilateral wash, pigment density from hashed
// noise and the luma gradient, C' = C - (C - C^2)(d - 1).
import { bilateral, loadRgb, lumaOf, storeRgb } from './planes.mjs';

function hash01(x, y, seed) {
  let h = (Math.imul(x, 0x9e3779b1) ^ Math.imul(y, 0x85ebca77) ^ Math.imul(seed, 0xc2b2ae3d)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b) >>> 0;
  h ^= h >>> 16;
  return (h >>> 8) / 16777216;
}

function valueNoise(x, y, cell, seed) {
  const cx = Math.floor(x / cell), cy = Math.floor(y / cell);
  const fx = (x - cx * cell) / cell, fy = (y - cy * cell) / cell;
  const sx = fx * fx * (3 - 2 * fx), sy = fy * fy * (3 - 2 * fy);
  const top = hash01(cx, cy, seed) + sx * (hash01(cx + 1, cy, seed) - hash01(cx, cy, seed));
  const bottom = hash01(cx, cy + 1, seed) + sx * (hash01(cx + 1, cy + 1, seed) - hash01(cx, cy + 1, seed));
  return top + sy * (bottom - top);
}

export function watercolor(img, { spread = 4, granulation = 0.6, turbulence = 0.5, edgeDarkening = 3, seed = 0 } = {}) {
  const { width: w, height: h } = img;
  const p = bilateral(loadRgb(img), w, h, spread, 0.12);
  const l = lumaOf(p.r, p.g, p.b);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const gx = l[y * w + Math.min(w - 1, x + 1)] - l[y * w + Math.max(0, x - 1)];
      const gy = l[Math.min(h - 1, y + 1) * w + x] - l[Math.max(0, y - 1) * w + x];
      const grain = 0.5 * hash01(x, y, seed) + 0.5 * valueNoise(x, y, 3, seed + 1);
      const wash = valueNoise(x, y, 48, seed + 2);
      const d = 1 + granulation * (grain - 0.5) + turbulence * (wash - 0.5) + edgeDarkening * Math.sqrt(gx * gx + gy * gy);
      for (const c of [p.r, p.g, p.b]) {
        const v = c[i];
        c[i] = Math.min(1, Math.max(0, v - (v - v * v) * (d - 1)));
      }
    }
  }
  return storeRgb(img, p.r, p.g, p.b);
}
