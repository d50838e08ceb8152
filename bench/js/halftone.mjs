// Mono halftone (core/src/filters/halftone.cpp, mode 0): blurred luma at each rotated cell's
// centre sets the dot area.
import { gaussianBlur, loadRgb, makeOutput, toByte } from './planes.mjs';

export function halftone(img, { cell = 8, angle = 45 } = {}) {
  const { width: w, height: h } = img;
  const { r, g, b } = loadRgb(img);
  const br = gaussianBlur(r, w, h, cell / 4), bg = gaussianBlur(g, w, h, cell / 4), bb = gaussianBlur(b, w, h, cell / 4);
  const cos = Math.cos((angle * Math.PI) / 180), sin = Math.sin((angle * Math.PI) / 180);
  const out = makeOutput(img);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const px = x + 0.5, py = y + 0.5;
      const u = px * cos + py * sin, v = py * cos - px * sin;
      const cu = (Math.floor(u / cell) + 0.5) * cell, cv = (Math.floor(v / cell) + 0.5) * cell;
      const sx = Math.min(w - 1, Math.max(0, Math.floor(cu * cos - cv * sin)));
      const sy = Math.min(h - 1, Math.max(0, Math.floor(cu * sin + cv * cos)));
      const s = sy * w + sx;
      const amount = 1 - (0.299 * br[s] + 0.587 * bg[s] + 0.114 * bb[s]);
      const d = Math.hypot(u - cu, v - cv);
      let dot;
      if (amount <= 0.5) dot = Math.min(1, Math.max(0, cell * Math.sqrt(amount / Math.PI) - d + 0.5));
      else dot = 1 - Math.min(1, Math.max(0, cell * Math.sqrt((1 - amount) / Math.PI) - d + 0.5));
      const o = 4 * (y * w + x);
      out.data[o] = out.data[o + 1] = out.data[o + 2] = toByte(1 - dot);
    }
  }
  return out;
}
