// The app-side input for huabu-sketch: a person draws anywhere on a canvas of any size, but
// the model was trained on emoji framing (the drawing centred, filling ~90% of 128x128).
// sketchInput() crops the canvas to the ink's bounding box, makes it square with a margin,
// centres it, resamples to 128x128 (4x4 supersampling per output pixel, so thin strokes
// survive the downscale) and maps luminance to the model's range: paper +1, ink -1.
export const SIZE = 128;

// rgba: ImageData.data layout (transparent pixels count as white paper).
export function sketchInput(rgba, width, height, { size = SIZE, margin = 0.06, inkLevel = 0.25 } = {}) {
  if (rgba.length !== width * height * 4) throw new Error(`expected ${width}x${height} RGBA bytes, got ${rgba.length}`);
  const lum = new Float32Array(width * height);
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const i = y * width + x, a = rgba[i * 4 + 3] / 255;
    const l = (0.299 * rgba[i * 4] + 0.587 * rgba[i * 4 + 1] + 0.114 * rgba[i * 4 + 2]) / 255;
    lum[i] = l * a + (1 - a);
    if (1 - lum[i] > inkLevel) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
  }
  if (x1 < 0) throw new Error('empty sketch: nothing is drawn on the canvas');
  const side = Math.max(x1 - x0 + 1, y1 - y0 + 1) / (1 - 2 * margin);
  const left = (x0 + x1 + 1) / 2 - side / 2, top = (y0 + y1 + 1) / 2 - side / 2;
  const step = side / size, sub = 4, data = new Float32Array(size * size);
  for (let oy = 0; oy < size; oy++) for (let ox = 0; ox < size; ox++) {
    let sum = 0;
    for (let j = 0; j < sub; j++) for (let i = 0; i < sub; i++) {
      const sx = Math.floor(left + (ox + (i + 0.5) / sub) * step), sy = Math.floor(top + (oy + (j + 0.5) / sub) * step);
      sum += sx >= 0 && sy >= 0 && sx < width && sy < height ? lum[sy * width + sx] : 1; // outside = paper
    }
    data[oy * size + ox] = (sum / (sub * sub)) * 2 - 1;
  }
  return { data, box: { x: left, y: top, side } };
}
