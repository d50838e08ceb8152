// Pixel art (core/src/filters/pixel_art.cpp): block means, median-cut palette, no dither.
import { extractPalette } from './palette.mjs';

export function pixelart(img, { block = 8, colors = 16 } = {}) {
  const { width: w, height: h } = img;
  const bw = Math.ceil(w / block), bh = Math.ceil(h / block);
  const small = { width: bw, height: bh, data: new Uint8Array(bw * bh * 4) };
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      const s = [0, 0, 0];
      let n = 0;
      for (let y = by * block; y < Math.min(h, by * block + block); y++) {
        for (let x = bx * block; x < Math.min(w, bx * block + block); x++) {
          const o = 4 * (y * w + x);
          s[0] += img.data[o]; s[1] += img.data[o + 1]; s[2] += img.data[o + 2];
          n++;
        }
      }
      const o = 4 * (by * bw + bx);
      for (let c = 0; c < 3; c++) small.data[o + c] = Math.floor((s[c] + Math.floor(n / 2)) / n);
      small.data[o + 3] = 255;
    }
  }
  const palette = extractPalette(small, colors);
  const index = new Uint8Array(bw * bh);
  for (let i = 0; i < index.length; i++) {
    let best = 0, bestD = Infinity;
    for (let p = 0; p < palette.length; p++) {
      const dr = small.data[4 * i] - palette[p][0], dg = small.data[4 * i + 1] - palette[p][1], db = small.data[4 * i + 2] - palette[p][2];
      const d = dr * dr + dg * dg + db * db;
      if (d < bestD) { bestD = d; best = p; }
    }
    index[i] = best;
  }
  const out = new Uint8Array(img.data);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const c = palette[index[Math.floor(y / block) * bw + Math.floor(x / block)]];
      const o = 4 * (y * w + x);
      out[o] = c[0]; out[o + 1] = c[1]; out[o + 2] = c[2];
    }
  }
  return { width: w, height: h, data: out };
}
