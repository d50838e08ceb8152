// Checks our ONNX conversion of esrgan-slim against the ORIGINAL TF.js layers model
// (run by @tensorflow/tfjs on its cpu backend) on identical inputs.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { loadOrt, createSession, runSR } from '../../models/eval/ort.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const srcDir = (s) => path.join(root, 'node_modules/@upscalerjs/esrgan-slim/models', `x${s}`);
const TOL = 1e-3; // max abs difference allowed, on the 0..255 scale

// Custom IOHandler from disk: model.json + its shards, concatenated in manifest order.
async function loadTfjsLayers(dir) {
  const spec = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'));
  const weightSpecs = spec.weightsManifest.flatMap((g) => g.weights);
  const shards = [];
  for (const g of spec.weightsManifest) for (const p of g.paths) shards.push(await readFile(path.join(dir, p)));
  const all = Buffer.concat(shards);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: spec.modelTopology, weightSpecs, weightData }));
}

// Deterministic inputs, HWC float 0..255: seeded noise, and a structured pattern
// (gradients, a checkerboard, hard edges, exact 0 and 255) that exercises borders.
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function makeInput(kind, h, w, seed = 1) {
  const rnd = mulberry32(seed);
  const hwc = new Float32Array(h * w * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) {
    let v;
    if (kind === 'random') v = rnd() * 255;
    else if (c === 0) v = (255 * x) / (w - 1);
    else if (c === 1) v = ((x >> 2) + (y >> 2)) % 2 ? 255 : 0;
    else v = y < h / 2 ? 0 : 128 + 127 * Math.sin(x * 0.7 + y * 0.3);
    hwc[(y * w + x) * 3 + c] = v;
  }
  return hwc;
}
const hwcToChw = (hwc, h, w) => {
  const out = new Float32Array(hwc.length);
  for (let i = 0; i < h * w; i++) for (let c = 0; c < 3; c++) out[c * h * w + i] = hwc[i * 3 + c];
  return out;
};

let ortCtx;
before(async () => {
  await tf.setBackend('cpu');
  ortCtx = await loadOrt();
});

for (const scale of [2, 4]) {
  test(`esrgan-slim x${scale}: ONNX matches TF.js within ${TOL}`, async (t) => {
    const tfModel = await loadTfjsLayers(srcDir(scale));
    const session = await createSession(ortCtx, path.join(root, `models/esrgan-slim-x${scale}/model.onnx`));
    assert.deepEqual(session.inputNames, ['input']);
    assert.deepEqual(session.outputNames, ['output']);
    for (const [kind, h, w] of [['random', 24, 32], ['structured', 24, 32], ['random', 37, 29], ['structured', 37, 29]]) {
      const hwc = makeInput(kind, h, w, h * 1000 + w);
      const ref = tf.tidy(() => tfModel.predict(tf.tensor4d(hwc, [1, h, w, 3])).dataSync());
      const got = await runSR(ortCtx, session, hwcToChw(hwc, h, w), h, w);
      assert.deepEqual(got.dims.map(Number), [1, 3, h * scale, w * scale]);
      const H = h * scale, W = w * scale;
      let maxAbs = 0;
      for (let i = 0; i < H * W; i++) for (let c = 0; c < 3; c++) {
        maxAbs = Math.max(maxAbs, Math.abs(ref[i * 3 + c] - got.data[c * H * W + i]));
      }
      t.diagnostic(`${ortCtx.backend} x${scale} ${kind} ${h}x${w}: max abs diff ${maxAbs.toExponential(3)}`);
      assert.ok(maxAbs <= TOL, `max abs diff ${maxAbs} > ${TOL}`);
    }
    tfModel.dispose();
    await session.release?.();
  });
}
