// Cartoon (core/src/filters/cartoon.cpp): bilateral passes, luma bands, DoG edges.
import { bilateral, gaussianBlur, loadRgb, lumaOf, storeRgb } from './planes.mjs';

export function cartoon(img, { smoothing = 3, range = 0.12, iterations = 2, levels = 8, edgeWidth = 1, edgeThreshold = 0.006 } = {}) {
  const { width: w, height: h } = img;
  let p = loadRgb(img);
  for (let i = 0; i < iterations; i++) p = bilateral(p, w, h, smoothing, range);
  const l = lumaOf(p.r, p.g, p.b);
  const g1 = gaussianBlur(l, w, h, edgeWidth), g2 = gaussianBlur(l, w, h, 1.6 * edgeWidth);
  for (let i = 0; i < l.length; i++) {
    const d = g1[i] - g2[i] + edgeThreshold;
    const ink = d >= 0 ? 1 : 1 + Math.tanh(100 * d);
    const band = (Math.floor(l[i] * levels) + 0.5) / levels;
    const scale = l[i] > 1e-4 ? band / l[i] : 0;
    for (const c of [p.r, p.g, p.b]) c[i] = l[i] > 1e-4 ? Math.min(1, Math.max(0, c[i] * scale)) * ink : band * ink;
  }
  return storeRgb(img, p.r, p.g, p.b);
}
