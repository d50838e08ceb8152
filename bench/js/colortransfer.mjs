// Reinhard colour transfer in Oklab (core/src/filters/color_transfer.cpp).
const toLinear = new Float32Array(256);
for (let i = 0; i < 256; i++) {
  const c = i / 255;
  toLinear[i] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}
const toSrgbByte = (v) => {
  const c = v <= 0.0031308 ? 12.92 * v : 1.055 * Math.max(v, 0) ** (1 / 2.4) - 0.055;
  return c <= 0 ? 0 : c >= 1 ? 255 : Math.round(c * 255);
};

function oklab(d, o, out) {
  const r = toLinear[d[o]], g = toLinear[d[o + 1]], b = toLinear[d[o + 2]];
  const l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  const m = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  out[0] = 0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s;
  out[1] = 1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s;
  out[2] = 0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s;
}

function stats(img) {
  const sum = [0, 0, 0], sq = [0, 0, 0], lab = [0, 0, 0];
  let n = 0;
  for (let o = 0; o < img.data.length; o += 4) {
    if (img.data[o + 3] === 0) continue;
    oklab(img.data, o, lab);
    for (let k = 0; k < 3; k++) { sum[k] += lab[k]; sq[k] += lab[k] * lab[k]; }
    n++;
  }
  const mean = sum.map((s) => s / n);
  return { mean, std: sq.map((s, k) => Math.sqrt(Math.max(0, s / n - mean[k] * mean[k]))) };
}

export function colorTransfer(img, reference, strength = 1) {
  const from = stats(img), to = stats(reference);
  const scale = from.std.map((s, k) => (s > 1e-6 ? to.std[k] / s : 1));
  const shift = scale.map((s, k) => to.mean[k] - from.mean[k] * s);
  const out = new Uint8Array(img.data);
  const lab = [0, 0, 0];
  for (let o = 0; o < out.length; o += 4) {
    oklab(img.data, o, lab);
    const L = lab[0] + strength * (lab[0] * scale[0] + shift[0] - lab[0]);
    const A = lab[1] + strength * (lab[1] * scale[1] + shift[1] - lab[1]);
    const B = lab[2] + strength * (lab[2] * scale[2] + shift[2] - lab[2]);
    const l = (L + 0.3963377774 * A + 0.2158037573 * B) ** 3;
    const m = (L - 0.1055613458 * A - 0.0638541728 * B) ** 3;
    const s = (L - 0.0894841775 * A - 1.291485548 * B) ** 3;
    out[o] = toSrgbByte(4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s);
    out[o + 1] = toSrgbByte(-1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s);
    out[o + 2] = toSrgbByte(-0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s);
  }
  return { width: img.width, height: img.height, data: out };
}
