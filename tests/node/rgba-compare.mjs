// PSNR (and the largest difference) over the RGB channels of two RGBA8 pixel arrays of the
// same size: how the native-vs-browser parity tests compare pictures.
export function psnrRgb(a, b) {
  let se = 0, n = 0, max = 0;
  for (let i = 0; i < a.length; i++) {
    if (i % 4 === 3) continue;
    const d = a[i] - b[i];
    se += d * d; n++; max = Math.max(max, Math.abs(d));
  }
  return { db: se === 0 ? Infinity : 10 * Math.log10((255 * 255 * n) / se), max };
}
