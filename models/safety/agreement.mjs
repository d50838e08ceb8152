// Agreement of the ONNX conversion with the original nsfwjs model run by TF.js, on the same
// preprocessed inputs. Shared by check_nsfwjs.mjs (records metrics.json), the node test and
// the evaluator. No NSFW images are used or needed: the point is numerical equality of two
// implementations of one network, which any image exercises.
import { createRequire } from 'node:module';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pngjs from 'pngjs';
import jpeg from 'jpeg-js';
import { SIZE, prepare, rgbaToRgb01 } from '../../web/src/ml/safety-input.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PHOTO_DIR = '/usr/lib/python3/dist-packages/skimage/data'; // Debian python3-skimage
const DATA_DIR = path.join(root, '.cache/data/png128');

// The original model, straight from nsfwjs's JS bundles (topology + base64 weights).
export async function loadReference(tf) {
  const require = createRequire(import.meta.url);
  const src = path.join(root, 'node_modules/nsfwjs/dist/models/mobilenet_v2');
  const topology = require(path.join(src, 'model.min.js'));
  const bytes = Buffer.from(require(path.join(src, 'group1-shard1of1.min.js')), 'base64');
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: topology.modelTopology, weightSpecs: topology.weightsManifest[0].weights, weightData,
  }));
}

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Deterministic RGBA images of several sizes (the resize path matters): noise, gradients,
// a checkerboard, flat skin-like and other colour fields, a soft blob, half-transparent.
export function syntheticImages() {
  const make = (name, w, h, f) => {
    const rgba = new Uint8ClampedArray(w * h * 4);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const [r, g, b, a = 255] = f(x, y, w, h);
      rgba.set([r, g, b, a], (y * w + x) * 4);
    }
    return { name: `synthetic/${name}`, width: w, height: h, rgba };
  };
  const rnd = mulberry32(7);
  return [
    make('noise-300x200', 300, 200, () => [rnd() * 255, rnd() * 255, rnd() * 255]),
    make('gradient-224', 224, 224, (x, y, w, h) => [255 * x / (w - 1), 255 * y / (h - 1), 128]),
    make('checker-97x131', 97, 131, (x, y) => (((x >> 3) + (y >> 3)) % 2 ? [255, 255, 255] : [0, 0, 0])),
    make('skin-tone-field-160', 160, 160, (x, y) => [224 - y / 4, 172 - x / 5, 105 + (x ^ y) % 16]),
    make('warm-blob-256', 256, 256, (x, y) => { const d = Math.hypot(x - 128, y - 120) / 128; return [230 - 60 * d, 160 - 80 * d, 140 - 90 * d]; }),
    make('white-64', 64, 64, () => [255, 255, 255]),
    make('black-64', 64, 64, () => [0, 0, 0]),
    make('stripes-half-transparent-128', 128, 128, (x) => [x % 16 < 8 ? 200 : 30, 60, 220, x < 64 ? 255 : 90]),
  ];
}

function decode(file) {
  const buf = readFileSync(file);
  const img = /\.png$/i.test(file) ? pngjs.PNG.sync.read(buf) : jpeg.decode(buf, { useTArray: true, formatAsRGBA: true });
  return { width: img.width, height: img.height, rgba: img.data };
}

// Colour and grey photos of Debian's python3-skimage (public domain / CC0; see models/LICENSES.md).
export function photoImages() {
  if (!existsSync(PHOTO_DIR)) return [];
  const out = [];
  for (const f of readdirSync(PHOTO_DIR).sort()) {
    if (!/\.(png|jpg)$/.test(f) || f === 'truncated.jpg') continue; // truncated.jpg is broken on purpose
    try {
      out.push({ name: `photo/${f}`, ...decode(path.join(PHOTO_DIR, f)) });
    } catch { /* palette/16-bit PNGs pngjs cannot read: not needed */ }
  }
  return out;
}

// Emoji rasters of the training data (any style), `perStyle` each, picked by sha256 of the name.
export function datasetImages(perStyle = 8) {
  if (!existsSync(DATA_DIR)) return [];
  const out = [];
  for (const style of readdirSync(DATA_DIR).sort()) {
    const files = readdirSync(path.join(DATA_DIR, style)).sort((a, b) =>
      createHash('sha256').update(a).digest('hex').localeCompare(createHash('sha256').update(b).digest('hex')));
    for (const f of files.slice(0, perStyle)) out.push({ name: `dataset/${style}/${f}`, ...decode(path.join(DATA_DIR, style, f)) });
  }
  return out;
}

const chwToHwc = (chw) => {
  const n = SIZE * SIZE, out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) out[i * 3 + c] = chw[c * n + i];
  return out;
};
const argmax = (a) => a.reduce((m, v, i) => (v > a[m] ? i : m), 0);

// Runs both models on each image; returns per-image rows and the summary.
export async function compare(tf, reference, ort, session, images) {
  const rows = [];
  for (const img of images) {
    const x = prepare(img.rgba, img.width, img.height);
    const want = tf.tidy(() => reference.predict(tf.tensor4d(chwToHwc(x), [1, SIZE, SIZE, 3])).dataSync().slice());
    const got = (await session.run({ input: new ort.Tensor('float32', x, [1, 3, SIZE, SIZE]) })).probabilities.data;
    let d = 0;
    for (let i = 0; i < want.length; i++) d = Math.max(d, Math.abs(want[i] - got[i]));
    rows.push({ name: img.name, max_abs_diff: d, argmax_tfjs: argmax(want), argmax_onnx: argmax(got), tfjs: Array.from(want) });
  }
  return { rows, summary: summarise(rows) };
}

export function summarise(rows) {
  return {
    images: rows.length,
    max_abs_diff_probabilities: rows.reduce((m, r) => Math.max(m, r.max_abs_diff), 0),
    mean_max_abs_diff: rows.reduce((s, r) => s + r.max_abs_diff, 0) / Math.max(rows.length, 1),
    argmax_agreement: rows.filter((r) => r.argmax_tfjs === r.argmax_onnx).length / Math.max(rows.length, 1),
  };
}

// Our JS resize vs tf.image.resizeBilinear(alignCorners = true) on the same image.
export function resizeDiff(tf, img) {
  const ours = prepare(img.rgba, img.width, img.height);
  const hwc = rgbaToRgb01(img.rgba, img.width, img.height);
  const theirs = tf.tidy(() => tf.image.resizeBilinear(tf.tensor3d(hwc, [img.height, img.width, 3]), [SIZE, SIZE], true).dataSync());
  const mine = chwToHwc(ours);
  let d = 0;
  for (let i = 0; i < mine.length; i++) d = Math.max(d, Math.abs(mine[i] - theirs[i]));
  return d;
}
