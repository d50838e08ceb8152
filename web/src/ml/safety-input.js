// Input preparation for nsfw-mobilenet-v2 (shared by the app and models/safety/), as nsfwjs
// does it: RGB / 255, resized to 224x224 with bilinear interpolation and align_corners = true
// (tf.image.resizeBilinear(x, [224,224], true)), laid out NCHW. Transparent pixels are
// composited onto white first: Huabu's images (emoji, drawings) are shown on white, and black
// behind transparency would change the class.
export const SIZE = 224;
export const CLASSES = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'];

// rgba: Uint8ClampedArray/Uint8Array (ImageData.data layout). Returns HWC float32 RGB 0..1.
export function rgbaToRgb01(rgba, width, height) {
  if (rgba.length !== width * height * 4) throw new Error(`expected ${width}x${height} RGBA bytes, got ${rgba.length}`);
  const out = new Float32Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    const a = rgba[i * 4 + 3] / 255;
    for (let c = 0; c < 3; c++) out[i * 3 + c] = (rgba[i * 4 + c] * a + 255 * (1 - a)) / 255;
  }
  return out;
}

// HWC float RGB -> NCHW float [1,3,224,224], bilinear with align_corners (source pixel
// centres at the grid ends map exactly onto the output ends), as TF.js computes it.
export function resizeToInput(hwc, width, height) {
  const n = SIZE * SIZE, out = new Float32Array(3 * n);
  const sy = (height - 1) / (SIZE - 1), sx = (width - 1) / (SIZE - 1);
  for (let y = 0; y < SIZE; y++) {
    const fy = y * sy, y0 = Math.floor(fy), y1 = Math.min(y0 + 1, height - 1), dy = fy - y0;
    for (let x = 0; x < SIZE; x++) {
      const fx = x * sx, x0 = Math.floor(fx), x1 = Math.min(x0 + 1, width - 1), dx = fx - x0;
      for (let c = 0; c < 3; c++) {
        const at = (yy, xx) => hwc[(yy * width + xx) * 3 + c];
        const top = at(y0, x0) + (at(y0, x1) - at(y0, x0)) * dx;
        const bottom = at(y1, x0) + (at(y1, x1) - at(y1, x0)) * dx;
        out[c * n + y * SIZE + x] = top + (bottom - top) * dy;
      }
    }
  }
  return out;
}

export const prepare = (rgba, width, height) => resizeToInput(rgbaToRgb01(rgba, width, height), width, height);
