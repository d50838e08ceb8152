// XDoG line art (core/src/filters/lineart.cpp), defaults of the core's table.
import { gaussianBlur, loadRgb, lumaOf, storeGray } from './planes.mjs';

export function lineart(img, { sigma = 1.0, k = 1.6, sharpen = 30, threshold = 0.3, softness = 4 } = {}) {
  const { width: w, height: h } = img;
  const { r, g, b } = loadRgb(img);
  const l = lumaOf(r, g, b);
  const g1 = gaussianBlur(l, w, h, sigma), g2 = gaussianBlur(l, w, h, k * sigma);
  const out = new Float32Array(w * h);
  for (let i = 0; i < out.length; i++) {
    const d = (1 + sharpen) * g1[i] - sharpen * g2[i];
    out[i] = d >= threshold ? 1 : 1 + Math.tanh(softness * (d - threshold));
  }
  return storeGray(img, out);
}
