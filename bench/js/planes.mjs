// Shared helpers for the JS baselines: float planes (0..1), Gaussian blur, bilateral filter.

export function loadRgb(img) {
  const n = img.width * img.height;
  const r = new Float32Array(n), g = new Float32Array(n), b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    r[i] = img.data[4 * i] / 255;
    g[i] = img.data[4 * i + 1] / 255;
    b[i] = img.data[4 * i + 2] / 255;
  }
  return { r, g, b };
}

export function lumaOf(r, g, b) {
  const l = new Float32Array(r.length);
  for (let i = 0; i < r.length; i++) l[i] = 0.299 * r[i] + 0.587 * g[i] + 0.114 * b[i];
  return l;
}

export const toByte = (v) => (v > 0 ? (v >= 1 ? 255 : Math.floor(v * 255 + 0.5)) : 0);

// Output image with the input's alpha; fill(i, out, o) writes RGB at byte offset o.
export function makeOutput(img) {
  const data = new Uint8Array(img.data.length);
  for (let i = 3; i < data.length; i += 4) data[i] = img.data[i];
  return { width: img.width, height: img.height, data };
}

export function storeRgb(img, r, g, b) {
  const out = makeOutput(img);
  for (let i = 0; i < r.length; i++) {
    out.data[4 * i] = toByte(r[i]);
    out.data[4 * i + 1] = toByte(g[i]);
    out.data[4 * i + 2] = toByte(b[i]);
  }
  return out;
}

export function storeGray(img, v) {
  return storeRgb(img, v, v, v);
}

export function gaussianKernel(sigma) {
  const r = Math.ceil(3 * sigma);
  const k = new Float32Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) sum += (k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma)));
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}

// Separable blur with clamped borders.
export function gaussianBlur(src, w, h, sigma) {
  const k = gaussianKernel(sigma);
  const r = (k.length - 1) / 2;
  const mid = new Float32Array(w * h), out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let j = -r; j <= r; j++) {
        const sx = x + j < 0 ? 0 : x + j >= w ? w - 1 : x + j;
        acc += k[j + r] * src[row + sx];
      }
      mid[row + x] = acc;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let j = -r; j <= r; j++) {
        const sy = y + j < 0 ? 0 : y + j >= h ? h - 1 : y + j;
        acc += k[j + r] * mid[sy * w + x];
      }
      out[y * w + x] = acc;
    }
  }
  return out;
}

// Separable bilateral (rows, then columns), spatial radius ceil(2 sigma).
export function bilateral(p, w, h, sigmaSpace, sigmaRange) {
  const rad = Math.ceil(2 * sigmaSpace);
  const ws = new Float32Array(2 * rad + 1);
  for (let i = -rad; i <= rad; i++) ws[i + rad] = Math.exp(-(i * i) / (2 * sigmaSpace * sigmaSpace));
  const inv = 1 / (2 * sigmaRange * sigmaRange);
  const pass = (src, horizontal) => {
    const out = { r: new Float32Array(w * h), g: new Float32Array(w * h), b: new Float32Array(w * h) };
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const c = y * w + x;
        const cr = src.r[c], cg = src.g[c], cb = src.b[c];
        let sr = 0, sg = 0, sb = 0, sw = 0;
        const lo = Math.max(0, (horizontal ? x : y) - rad), hi = Math.min((horizontal ? w : h) - 1, (horizontal ? x : y) + rad);
        for (let j = lo; j <= hi; j++) {
          const q = horizontal ? y * w + j : j * w + x;
          const dr = src.r[q] - cr, dg = src.g[q] - cg, db = src.b[q] - cb;
          const wt = ws[j - (horizontal ? x : y) + rad] * Math.exp(-(dr * dr + dg * dg + db * db) * inv);
          sr += wt * src.r[q];
          sg += wt * src.g[q];
          sb += wt * src.b[q];
          sw += wt;
        }
        out.r[c] = sr / sw;
        out.g[c] = sg / sw;
        out.b[c] = sb / sw;
      }
    }
    return out;
  };
  return pass(pass(p, true), false);
}
