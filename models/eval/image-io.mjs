// Decode PNG/JPEG files to {width, height, data} interleaved RGB Float32Array (0..255).
// Pure JS decoders (pngjs, jpeg-js) so results do not depend on system libraries.
import { readFile } from 'node:fs/promises';
import pngjs from 'pngjs';
import jpeg from 'jpeg-js';

export async function readRGB(file) {
  const buf = await readFile(file);
  const rgba = /\.png$/i.test(file)
    ? pngjs.PNG.sync.read(buf)
    : jpeg.decode(buf, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
  const { width, height } = rgba, data = new Float32Array(width * height * 3);
  for (let i = 0; i < width * height; i++) for (let c = 0; c < 3; c++) data[i * 3 + c] = rgba.data[i * 4 + c];
  return { width, height, data };
}

// Interleaved HWC <-> planar CHW (the ONNX models' NCHW layout, batch 1).
export function toPlanar({ width, height, data }) {
  const n = width * height, out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) out[c * n + i] = data[i * 3 + c];
  return out;
}
export function fromPlanar(planar, width, height) {
  const n = width * height, data = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) data[i * 3 + c] = planar[c * n + i];
  return { width, height, data };
}
