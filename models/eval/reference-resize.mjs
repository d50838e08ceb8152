// Reference resizers for the SR evaluation protocol, in plain JS so the numbers do not
// depend on any image library. Images are {width, height, data} with interleaved RGB
// (3 channels) in a Float32Array, values on the 0..255 scale.

// Area (box) downscale by an integer factor: each output pixel is the mean of a
// scale x scale block. Width and height must be multiples of `scale` (crop first).
export function downscaleBox(img, scale) {
  const { width: W, height: H, data } = img;
  if (W % scale || H % scale) throw new Error(`size ${W}x${H} is not a multiple of ${scale}`);
  const w = W / scale, h = H / scale, out = new Float32Array(w * h * 3), n = scale * scale;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) {
    let sum = 0;
    for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) {
      sum += data[((y * scale + dy) * W + x * scale + dx) * 3 + c];
    }
    out[(y * w + x) * 3 + c] = sum / n;
  }
  return { width: w, height: h, data: out };
}

// Keys cubic convolution kernel; a = -0.5 is the classic "bicubic" (MATLAB imresize,
// Pillow BICUBIC); OpenCV's INTER_CUBIC uses a = -0.75.
export function keys(t, a = -0.5) {
  t = Math.abs(t);
  if (t <= 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
  return 0;
}

// Per output coordinate: the 4 source indices (clamped to the edge) and their weights.
// Pixel centres are aligned (half-pixel convention): src = (dst + 0.5) / scale - 0.5.
function taps(outLen, inLen, scale, a) {
  const idx = new Int32Array(outLen * 4), wts = new Float64Array(outLen * 4);
  for (let o = 0; o < outLen; o++) {
    const s = (o + 0.5) / scale - 0.5, f = Math.floor(s);
    for (let k = 0; k < 4; k++) {
      const i = f - 1 + k;
      idx[o * 4 + k] = Math.min(inLen - 1, Math.max(0, i));
      wts[o * 4 + k] = keys(s - i, a);
    }
  }
  return { idx, wts };
}

// Bicubic upscale by an integer factor, separable (rows, then columns), edges replicated.
// Output is unclamped float; quantise with toUint8 like any 8-bit image.
export function upscaleBicubic(img, scale, a = -0.5) {
  const { width: w, height: h, data } = img, W = w * scale, H = h * scale;
  const tx = taps(W, w, scale, a), ty = taps(H, h, scale, a);
  const tmp = new Float64Array(h * W * 3);
  for (let y = 0; y < h; y++) for (let X = 0; X < W; X++) for (let c = 0; c < 3; c++) {
    let v = 0;
    for (let k = 0; k < 4; k++) v += tx.wts[X * 4 + k] * data[(y * w + tx.idx[X * 4 + k]) * 3 + c];
    tmp[(y * W + X) * 3 + c] = v;
  }
  const out = new Float32Array(H * W * 3);
  for (let Y = 0; Y < H; Y++) for (let X = 0; X < W; X++) for (let c = 0; c < 3; c++) {
    let v = 0;
    for (let k = 0; k < 4; k++) v += ty.wts[Y * 4 + k] * tmp[(ty.idx[Y * 4 + k] * W + X) * 3 + c];
    out[(Y * W + X) * 3 + c] = v;
  }
  return { width: W, height: H, data: out };
}

// Round and clamp to 0..255 integers (kept as Float32Array for the metrics).
export function toUint8(img) {
  const out = new Float32Array(img.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(255, Math.max(0, Math.round(img.data[i])));
  return { ...img, data: out };
}

// Crop a rectangle (x0, y0, w, h).
export function crop(img, x0, y0, w, h) {
  const out = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const s = ((y0 + y) * img.width + x0) * 3;
    out.set(img.data.subarray(s, s + w * 3), y * w * 3);
  }
  return { width: w, height: h, data: out };
}
