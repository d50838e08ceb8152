// Image quality metrics for the SR evaluation. Images: {width, height, data} interleaved
// RGB on the 0..255 scale. `shave` drops that many pixels at every border first (the usual
// SR convention: the scale factor), since both methods are unreliable at image borders.

const mse2psnr = (mse) => (mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse));

// PSNR over all three channels.
export function psnrRGB(a, b, shave = 0) {
  let se = 0, n = 0;
  for (let y = shave; y < a.height - shave; y++) for (let x = shave; x < a.width - shave; x++) {
    for (let c = 0; c < 3; c++) {
      const i = (y * a.width + x) * 3 + c, d = a.data[i] - b.data[i];
      se += d * d; n++;
    }
  }
  return mse2psnr(se / n);
}

// BT.601 luma as used by SR papers (16..235), from 0..255 RGB; shaved.
export function lumaY(img, shave = 0) {
  const w = img.width - 2 * shave, h = img.height - 2 * shave, out = new Float64Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = ((y + shave) * img.width + x + shave) * 3;
    out[y * w + x] = 16 + (65.481 * img.data[i] + 128.553 * img.data[i + 1] + 24.966 * img.data[i + 2]) / 255;
  }
  return { width: w, height: h, data: out };
}

export function psnrPlane(a, b) {
  let se = 0;
  for (let i = 0; i < a.data.length; i++) se += (a.data[i] - b.data[i]) ** 2;
  return mse2psnr(se / a.data.length);
}

// SSIM (Wang et al. 2004): 11x11 Gaussian window, sigma 1.5, K1 0.01, K2 0.03, L 255,
// 'valid' filtering (no padding), mean over the map. Single plane (use on Y).
export function ssimPlane(a, b) {
  const R = 5, g = [];
  for (let i = -R; i <= R; i++) g.push(Math.exp(-(i * i) / (2 * 1.5 * 1.5)));
  const gs = g.reduce((s, v) => s + v, 0);
  for (let i = 0; i < g.length; i++) g[i] /= gs;
  const { width: w, height: h } = a, ow = w - 2 * R, oh = h - 2 * R;
  // Separable blur, 'valid' in both directions.
  const blur = (f) => {
    const tmp = new Float64Array(h * ow), out = new Float64Array(oh * ow);
    for (let y = 0; y < h; y++) for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let k = 0; k <= 2 * R; k++) s += g[k] * f(y * w + x + k);
      tmp[y * ow + x] = s;
    }
    for (let y = 0; y < oh; y++) for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let k = 0; k <= 2 * R; k++) s += g[k] * tmp[(y + k) * ow + x];
      out[y * ow + x] = s;
    }
    return out;
  };
  const A = a.data, B = b.data;
  const mu1 = blur((i) => A[i]), mu2 = blur((i) => B[i]);
  const s11 = blur((i) => A[i] * A[i]), s22 = blur((i) => B[i] * B[i]), s12 = blur((i) => A[i] * B[i]);
  const C1 = (0.01 * 255) ** 2, C2 = (0.03 * 255) ** 2;
  let sum = 0;
  for (let i = 0; i < mu1.length; i++) {
    const m1 = mu1[i], m2 = mu2[i], v1 = s11[i] - m1 * m1, v2 = s22[i] - m2 * m2, c = s12[i] - m1 * m2;
    sum += ((2 * m1 * m2 + C1) * (2 * c + C2)) / ((m1 * m1 + m2 * m2 + C1) * (v1 + v2 + C2));
  }
  return sum / mu1.length;
}
