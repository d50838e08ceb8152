// Ink outline (core/src/filters/ink_outline.cpp): DoG threshold, speck removal, no thickening
// (the default thickness is 0).
import { gaussianBlur, loadRgb, lumaOf, makeOutput } from './planes.mjs';

export function ink(img, { sigma = 1.2, threshold = 0.012, minArea = 16 } = {}) {
  const { width: w, height: h } = img;
  const { r, g, b } = loadRgb(img);
  const l = lumaOf(r, g, b);
  const g1 = gaussianBlur(l, w, h, sigma), g2 = gaussianBlur(l, w, h, 1.6 * sigma);
  const inkMask = new Uint8Array(w * h);
  for (let i = 0; i < inkMask.length; i++) inkMask[i] = g1[i] - g2[i] < -threshold ? 1 : 0;
  const visited = new Uint8Array(w * h);
  const stack = [];
  for (let start = 0; start < inkMask.length; start++) {
    if (visited[start] || !inkMask[start]) continue;
    stack.length = 0;
    stack.push(start);
    visited[start] = 1;
    for (let next = 0; next < stack.length; next++) {
      const cx = stack[next] % w, cy = (stack[next] - cx) / w;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = cx + dx, ny = cy + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          const n = ny * w + nx;
          if (visited[n] || !inkMask[n]) continue;
          visited[n] = 1;
          stack.push(n);
        }
      }
    }
    if (stack.length < minArea) for (const i of stack) inkMask[i] = 0;
  }
  const out = makeOutput(img);
  for (let i = 0; i < inkMask.length; i++) {
    const v = inkMask[i] ? 0 : 255;
    out.data[4 * i] = out.data[4 * i + 1] = out.data[4 * i + 2] = v;
  }
  return out;
}
